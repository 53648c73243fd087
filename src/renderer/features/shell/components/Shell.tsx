import { useEffect, useRef } from 'react';
import { AboutPanel } from '../../about';
import { CertificatesSection, useCertificatesSync } from '../../certificates';
import { DatabasesSection, useDatabasesVaultSync } from '../../databases';
import { useAlertEvents } from '../../alerts';
import { MetricsSection, useMetricsSync } from '../../metrics';
import { OperationsDrawer } from '../../operations';
import { PanelsSection, usePanelsVaultSync } from '../../panels';
import { ServersSection } from '../../servers';
import { SettingsPanel } from '../../settings';
import { SitesSection } from '../../sites';
import { SshPrompts, TerminalSection } from '../../terminal';
import { Toasts } from '../../toasts';
import { useStore } from '../../../store';
import { sectionShortcutIndex } from '../../../lib/section-shortcut';
import { SECTIONS } from '../sections';
import { EmptyState } from './EmptyState';
import { Sidebar } from './Sidebar';
import { VaultGate, VaultSection } from '../../vault';

function sectionContent(current: (typeof SECTIONS)[number]): React.JSX.Element {
  switch (current.id) {
    case 'about':
      return <AboutPanel />;
    case 'settings':
      return <SettingsPanel />;
    case 'servers':
      return <ServersSection />;
    case 'vault':
      return <VaultSection />;
    case 'sites':
      return <SitesSection />;
    case 'databases':
      return <DatabasesSection />;
    case 'certificates':
      return <CertificatesSection />;
    case 'panels':
      return <PanelsSection />;
    case 'terminal':
      return <TerminalSection />;
    case 'metrics':
      return <MetricsSection />;
    default: {
      // Every section has its view now; one added later shows what it will do until its view lands.
      const later = current as (typeof SECTIONS)[number];
      return <EmptyState title={later.label} text={later.empty} />;
    }
  }
}

/** The app frame: sidebar, main area for the current section, and the global toasts. */
export function Shell(): React.JSX.Element {
  const section = useStore((s) => s.section);
  const setSection = useStore((s) => s.setSection);
  const mainRef = useRef<HTMLElement>(null);
  useCertificatesSync();
  useDatabasesVaultSync();
  usePanelsVaultSync();
  useMetricsSync();
  useAlertEvents();

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      const index = sectionShortcutIndex(e);
      const target = index === null ? undefined : SECTIONS[index];
      if (!target) return;
      e.preventDefault();
      setSection(target.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setSection]);

  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <Sidebar />
      <main id="main" ref={mainRef} tabIndex={-1} className="main" aria-label={current.label}>
        {'needsVault' in current ? <VaultGate>{sectionContent(current)}</VaultGate> : sectionContent(current)}
      </main>
      <SshPrompts />
      <OperationsDrawer />
      <Toasts />
    </div>
  );
}

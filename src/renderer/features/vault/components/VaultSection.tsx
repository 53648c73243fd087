import { useState } from 'react';
import { CredentialsTab } from '../../credentials';
import { Tabs } from '../../../ui/Tabs';
import { AuditTab } from './AuditTab';
import { KnownHostsTab } from './KnownHostsTab';
import { TransferTab } from './TransferTab';
import { VaultSettingsTab } from './VaultSettingsTab';
import '../vault.css';

const TABS = [
  { id: 'credentials', label: 'Credentials' },
  { id: 'audit', label: 'Audit' },
  { id: 'hostkeys', label: 'Trusted host keys' },
  { id: 'transfer', label: 'Import / Export' },
  { id: 'settings', label: 'Settings' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** The Vault section: credentials, the audit trail, import/export and the vault's own settings. */
export function VaultSection(): React.JSX.Element {
  const [tab, setTab] = useState<TabId>('credentials');
  return (
    <section className="vault-section" aria-labelledby="vault-title">
      <div className="section-header">
        <h1 id="vault-title">Vault</h1>
      </div>
      <Tabs label="Vault" tabs={TABS} current={tab} onChange={setTab} idPrefix="vault" />
      <div role="tabpanel" id="vault-panel" aria-labelledby={`vault-tab-${tab}`} tabIndex={-1}>
        {tab === 'credentials' ? (
          <CredentialsTab />
        ) : tab === 'audit' ? (
          <AuditTab />
        ) : tab === 'hostkeys' ? (
          <KnownHostsTab />
        ) : tab === 'transfer' ? (
          <TransferTab />
        ) : (
          <VaultSettingsTab />
        )}
      </div>
    </section>
  );
}

import { useEffect } from 'react';
import { useOperationEvents } from './features/operations';
import { Shell } from './features/shell';
import { useSitesVaultSync } from './features/sites';
import { useTerminalEvents, useTerminalOptionsSync } from './features/terminal';
import { useLockShortcut, useVaultEvents } from './features/vault';
import { client } from './lib/client';
import { describeError, wasShownInline } from './lib/errors';
import { useStore } from './store';

/** Applies the theme (OS preference unless overridden) to the document root. */
function useTheme(): void {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/**
 * Routes contract errors and core notices to the global toasts. VAULT_LOCKED is not toasted: the vault gate
 * already shows the unlock screen, so the status is refreshed instead. Errors a component shows itself (its call
 * lists them as `expected`, or its catch puts them on screen through errorMessage/fieldErrors) are not toasted.
 */
function useGlobalErrors(): void {
  const push = useStore((s) => s.pushToast);
  useEffect(() => {
    const offError = client.onError((e, method) => {
      if (e.code === 'VAULT_LOCKED')
        return void useStore
          .getState()
          .loadVault()
          .catch(() => undefined);
      // Shown by the component that made the call (an inline error line): never a second time as a toast.
      if (wasShownInline(e)) return;
      const d = describeError(e, method);
      push({ level: 'error', title: d.title, message: d.message, code: e.code, details: d.details });
    });
    const offNotice = client.on('app.notice', (n) =>
      push({ level: n.level, title: n.level === 'error' ? 'Error' : 'Notice', message: n.message }),
    );
    return () => {
      offError();
      offNotice();
    };
  }, [push]);
}

/**
 * Tells the core the user is here (keys, pointer, wheel), at most every 30 s, so auto-lock counts real idleness:
 * reading a page without clicking keeps the vault open, a terminal streaming output to an empty room does not.
 */
function useActivityReporter(): void {
  useEffect(() => {
    let last = 0;
    const onActivity = (): void => {
      const now = Date.now();
      if (now - last < 30_000) return;
      last = now;
      client.call('app.activity', {}).catch(() => undefined);
    };
    const kinds = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const k of kinds) window.addEventListener(k, onActivity, { passive: true });
    return () => {
      for (const k of kinds) window.removeEventListener(k, onActivity);
    };
  }, []);
}

/** The root component. */
export function App(): React.JSX.Element {
  useTheme();
  useGlobalErrors();
  useVaultEvents();
  useLockShortcut();
  useActivityReporter();
  useTerminalEvents();
  useTerminalOptionsSync();
  useOperationEvents();
  useSitesVaultSync();
  return <Shell />;
}

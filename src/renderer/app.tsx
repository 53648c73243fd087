import { useEffect } from 'react';
import { Shell } from './features/shell';
import { useLockShortcut, useVaultEvents } from './features/vault';
import { client } from './lib/client';
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
 * already shows the unlock screen, so the status is refreshed instead (errors a form shows inline are passed
 * as `expected` by its call and never arrive here).
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
      push({ level: 'error', title: `${method} failed`, message: e.message, code: e.code });
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

/** The root component. */
export function App(): React.JSX.Element {
  useTheme();
  useGlobalErrors();
  useVaultEvents();
  useLockShortcut();
  return <Shell />;
}

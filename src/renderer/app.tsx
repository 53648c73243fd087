import { useEffect } from 'react';
import { Shell } from './features/shell';
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

/** Routes contract errors and core notices to the global toasts. */
function useGlobalErrors(): void {
  const push = useStore((s) => s.pushToast);
  useEffect(() => {
    const offError = client.onError((e, method) =>
      push({ level: 'error', title: `${method} failed`, message: e.message, code: e.code }),
    );
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
  return <Shell />;
}

import { useEffect } from 'react';
import { useStore } from '../../../store';
import '../toasts.css';

/**
 * Global toasts, newest last; errors are announced assertively. Escape dismisses the newest. A toast says what
 * happened in words; the code and call stay behind "Details" for a bug report.
 */
export function Toasts(): React.JSX.Element {
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const last = toasts.at(-1);
      if (e.key === 'Escape' && last) dismiss(last.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toasts, dismiss]);

  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.level}`}
          role={t.level === 'error' ? 'alert' : 'status'}
          data-code={t.code}
        >
          <div className="toast-body">
            <strong>{t.title}</strong>
            <p>{t.message}</p>
            {t.details ? (
              <details className="toast-details">
                <summary>Details</summary>
                <code className="toast-code">{t.details}</code>
              </details>
            ) : null}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

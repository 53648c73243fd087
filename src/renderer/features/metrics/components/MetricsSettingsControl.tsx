import { useState } from 'react';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';

/** Collection on/off and its interval (metrics.settings.*): off until the user turns it on. */
export function MetricsSettingsControl(): React.JSX.Element {
  const settings = useStore((s) => s.metricsSettings);
  const save = useStore((s) => s.saveMetricsSettings);
  /** The interval as typed, until it is committed (null: show the saved one). */
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const interval = draft ?? String(settings?.intervalSec ?? '');

  const apply = (patch: { enabled?: boolean; intervalSec?: number }): void => {
    setError(null);
    save(patch).catch((e: unknown) => setError(errorMessage(e)));
  };
  const commitInterval = (): void => {
    const n = Number(interval);
    setDraft(null);
    if (!settings || n === settings.intervalSec) return;
    if (!Number.isInteger(n) || n < 1 || n > 300)
      return setError('The interval is a whole number of seconds, 1 to 300.');
    apply({ intervalSec: n });
  };

  return (
    <div className="metrics-settings" role="group" aria-label="Collection">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings?.enabled ?? false}
          disabled={!settings}
          onChange={(e) => apply({ enabled: e.target.checked })}
        />
        Collect metrics
      </label>
      <label className="metrics-interval">
        Every
        <input
          className="input"
          type="number"
          min={1}
          max={300}
          aria-label="Interval (seconds)"
          value={interval}
          disabled={!settings}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commitInterval}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitInterval();
          }}
        />
        s
      </label>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

import { useState } from 'react';
import type { Alert, AlertRule } from '../../../../shared/contract/alerts.contract';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';
import { SEVERITY_TONE, STATE_TONE } from '../alert-view';

const SNOOZES = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 480, label: '8 h' },
  { minutes: 1440, label: '1 day' },
];

const time = (t: number): string => new Date(t).toLocaleString();

/** One alert: what fired where, its state and value, its history, and acknowledge / snooze / resolve. */
function AlertItem({
  alert,
  rule,
  serverName,
  onError,
}: {
  alert: Alert;
  rule: AlertRule | undefined;
  serverName: string;
  onError: (message: string) => void;
}): React.JSX.Element {
  const s = useStore.getState();
  const open = alert.state !== 'resolved';
  const run = (p: Promise<void>): void => void p.catch((e: unknown) => onError(errorMessage(e)));
  return (
    <li
      className={`alert-item alert-${alert.state}`}
      data-testid="alert"
      data-state={alert.state}
      data-rule={rule?.name}
    >
      <div className="alert-head">
        <span className={`badge ${SEVERITY_TONE[alert.severity]}`}>{alert.severity}</span>
        <span className={`badge ${STATE_TONE[alert.state]}`} data-testid="alert-state">
          {alert.state}
        </span>
        <strong>{alert.source ? alert.source.message : (rule?.name ?? 'Deleted rule')}</strong>
        <span>on</span>
        <button
          type="button"
          className="metrics-link"
          onClick={() => s.openMetrics({ kind: 'server', serverId: alert.serverId })}
        >
          {serverName}
        </button>
        <span className="muted">{alert.subject}</span>
        {alert.source ? (
          <span className="badge" data-testid="alert-panel">
            Panel: {alert.source.panelName}
          </span>
        ) : null}
        {alert.value !== null ? (
          <span className="muted">
            value {alert.value.toFixed(1)}
            {alert.lastValue !== null && alert.lastValue !== alert.value ? ` → ${alert.lastValue.toFixed(1)}` : ''}
          </span>
        ) : null}
        {alert.snoozedUntil !== null ? (
          <span className="muted">snoozed until {new Date(alert.snoozedUntil).toLocaleTimeString()}</span>
        ) : null}
        <span className="metrics-spacer" />
        {open ? (
          <span className="alert-actions">
            {alert.state === 'triggered' ? (
              <button type="button" className="button small" onClick={() => run(s.acknowledgeAlert(alert.id))}>
                Acknowledge
              </button>
            ) : null}
            {alert.source ? null : (
              <select
                className="select small"
                aria-label="Snooze"
                value=""
                onChange={(e) => run(s.snoozeAlert(alert.id, Number(e.target.value)))}
              >
                <option value="" disabled>
                  Snooze…
                </option>
                {SNOOZES.map((o) => (
                  <option key={o.minutes} value={o.minutes}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
            <button type="button" className="button small" onClick={() => run(s.resolveAlert(alert.id))}>
              Resolve
            </button>
          </span>
        ) : null}
      </div>
      <details className="alert-history">
        <summary className="muted">
          Fired {time(alert.firedAt)}
          {alert.resolvedAt !== null ? ` · resolved ${time(alert.resolvedAt)}` : ''}
        </summary>
        <ol>
          {alert.history.map((h, i) => (
            <li key={i}>
              {time(h.at)}: {h.state}
              {h.note ? ` (${h.note})` : ''}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}

type ListFilter = 'open' | 'resolved' | 'all';

/** The alert list: open alerts (triggered, acknowledged) and the resolved history, newest first. */
export function AlertList(): React.JSX.Element {
  const alerts = useStore((s) => s.alerts);
  const rules = useStore((s) => s.alertRules);
  const servers = useStore((s) => s.servers);
  const [filter, setFilter] = useState<ListFilter>('open');
  const [error, setError] = useState<string | null>(null);
  const shown = alerts.filter((a) =>
    filter === 'all' ? true : filter === 'open' ? a.state !== 'resolved' : a.state === 'resolved',
  );
  const openCount = alerts.filter((a) => a.state !== 'resolved').length;
  return (
    <section className="alerts-list" aria-labelledby="alerts-list-title">
      <div className="section-header">
        <h2 id="alerts-list-title">Alerts</h2>
        <div className="metrics-ranges" role="group" aria-label="Show">
          {(['open', 'resolved', 'all'] as const).map((f) => (
            <button
              key={f}
              type="button"
              className={`button small ${f === filter ? 'primary' : 'ghost'}`}
              aria-pressed={f === filter}
              onClick={() => setFilter(f)}
            >
              {f === 'open' ? `Open (${openCount})` : f === 'resolved' ? 'Resolved' : 'All'}
            </button>
          ))}
        </div>
      </div>
      <p className="form-error" role="alert">
        {error}
      </p>
      {shown.length === 0 ? (
        <p className="muted" data-testid="alerts-empty">
          {filter === 'open' ? 'No open alert.' : 'No alert yet.'}
        </p>
      ) : (
        <ul className="alert-items">
          {shown.map((a) => (
            <AlertItem
              key={a.id}
              alert={a}
              rule={rules.find((r) => r.id === a.ruleId)}
              serverName={
                servers.find((x) => x.id === a.serverId)?.name ??
                (a.source ? `${a.source.panelName} server` : 'Removed server')
              }
              onError={setError}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

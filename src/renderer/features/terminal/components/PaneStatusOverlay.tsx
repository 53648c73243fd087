import { useCountdown } from '../../../lib/use-countdown';
import { closePane, reconnectPane } from '../sessions';
import type { TermPane } from '../slice';
import { HostKeyChangedPanel, hostKeyChange } from './HostKeyChangedPanel';

function Reconnecting({ attempt, retryAt, error }: { attempt: number; retryAt: number; error: string | null }) {
  const secs = useCountdown(retryAt);
  return (
    <div className="pane-banner warn" role="status" data-testid="pane-reconnecting">
      <strong>Connection lost, reconnecting…</strong> attempt {attempt}
      {secs > 0 ? `, next try in ${secs} s` : ', trying now'}
      {error ? <span className="muted"> · {error}</span> : null}
    </div>
  );
}

/** What covers a pane's terminal: connecting / reconnecting banners, or the closed panel with its actions. */
export function PaneStatusOverlay({ pane }: { pane: TermPane }): React.JSX.Element | null {
  const s = pane.status;
  switch (s.kind) {
    case 'connected':
      return null;
    case 'opening':
    case 'connecting':
      return (
        <div className="pane-banner" role="status">
          Connecting…
        </div>
      );
    case 'reconnecting':
      return <Reconnecting attempt={s.attempt} retryAt={s.retryAt} error={s.error} />;
    case 'closed': {
      const change = hostKeyChange(s.error);
      if (change) return <HostKeyChangedPanel paneId={pane.id} change={change} />;
      const title =
        s.reason === 'exit'
          ? `The shell exited${s.code === null ? '' : ` with code ${s.code}`}.`
          : s.reason === 'closed'
            ? 'The session was closed.'
            : 'The connection failed.';
      return (
        <div className="pane-closed" role="alert" data-testid="pane-closed">
          <strong>{title}</strong>
          {s.error ? <p className="muted">{s.error.message}</p> : null}
          <div className="form-row">
            <button type="button" className="button primary" onClick={() => void reconnectPane(pane.id)}>
              Reconnect
            </button>
            <button type="button" className="button" onClick={() => closePane(pane.id)}>
              Close pane
            </button>
          </div>
        </div>
      );
    }
  }
}

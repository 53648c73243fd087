import type { WireError } from '../../../../shared/errors';
import { client } from '../../../lib/client';
import { useCountdown } from '../../../lib/use-countdown';
import { closePane, reconnectPane } from '../sessions';
import type { TermPane } from '../slice';
import { HostKeyChangedPanel, hostKeyChange } from './HostKeyChangedPanel';

interface ReconnectingProps {
  readonly pane: TermPane;
  readonly attempt: number;
  readonly retryAt: number;
  readonly error: string | null;
}

function Reconnecting({ pane, attempt, retryAt, error }: ReconnectingProps) {
  const secs = useCountdown(retryAt);
  return (
    <div className="pane-banner warn" role="status" data-testid="pane-reconnecting">
      <strong>Connection lost, reconnecting…</strong> attempt {attempt}
      {secs > 0 ? `, next try in ${secs} s` : ', trying now'}
      {error ? <span className="muted"> · {error}</span> : null}{' '}
      <button type="button" className="button small" onClick={() => cancelReconnect(pane)}>
        Cancel
      </button>
    </div>
  );
}

/** Stops reconnecting: the session is closed and the pane offers Reconnect / Close pane. */
function cancelReconnect(pane: TermPane): void {
  if (pane.sessionId === null) return;
  client.call('terminal.close', { sessionId: pane.sessionId }, { expected: ['NOT_FOUND'] }).catch(() => undefined);
}

/** "user@host:port" of the hop a failure names (the core puts it in the error's details), if any. */
function failedHop(error: WireError | null): { hop: string; via: string | null } | null {
  const d = error?.details;
  if (typeof d?.['hop'] !== 'string') return null;
  return { hop: d['hop'], via: typeof d['via'] === 'string' ? d['via'] : null };
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
      return <Reconnecting pane={pane} attempt={s.attempt} retryAt={s.retryAt} error={s.error} />;
    case 'closed': {
      const change = hostKeyChange(s.error);
      if (change) return <HostKeyChangedPanel paneId={pane.id} change={change} />;
      const hop = failedHop(s.error);
      const title =
        s.reason === 'exit'
          ? `The shell exited${s.code === null ? '' : ` with code ${s.code}`}.`
          : s.reason === 'closed'
            ? 'The session was closed.'
            : hop
              ? `Could not connect to ${hop.hop}${hop.via ? ` (through ${hop.via})` : ''}.`
              : 'The connection failed.';
      return (
        <div className="pane-closed" role="alert" data-testid="pane-closed">
          <strong>{title}</strong>
          {s.error ? (
            <p className="muted" data-testid="pane-closed-cause">
              {s.error.message}
            </p>
          ) : null}
          <div className="form-row">
            <button type="button" className="button primary" onClick={() => void reconnectPane(pane.id)}>
              {s.reason === 'failed' ? 'Retry' : 'Reconnect'}
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

import { STATE_LABEL } from '../format';
import type { CollectState } from '../metrics-types';

/** A server's collection state as a badge (up, degraded, unreachable, auth failed …); the reason as its title. */
export function CollectStateBadge({
  state,
  reason,
}: {
  state: CollectState;
  reason?: string | null;
}): React.JSX.Element {
  const { label, tone } = STATE_LABEL[state];
  return (
    <span className={`badge ${tone}`} data-testid="collect-state" data-state={state} title={reason ?? undefined}>
      {label}
    </span>
  );
}

import { useState } from 'react';
import type { Operation, OperationState, StepState } from '../../../../shared/contract/operations.contract';
import { client } from '../../../lib/client';
import { useStore } from '../../../store';
import { isActive } from '../slice';
import { StepRow } from './StepRow';

/** What each state reads as, and its badge colour. */
export const OPERATION_STATE: Record<
  OperationState,
  { label: string; tone: '' | 'ok' | 'warn' | 'danger' | 'accent' }
> = {
  queued: { label: 'Queued', tone: '' },
  running: { label: 'Running', tone: 'accent' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'danger' },
  rolled_back: { label: 'Rolled back', tone: 'warn' },
  cancelled: { label: 'Cancelled', tone: '' },
  interrupted: { label: 'Interrupted', tone: 'warn' },
};

const RETRYABLE = new Set<OperationState>(['failed', 'interrupted', 'cancelled', 'rolled_back']);
const ROLLBACKABLE = new Set<OperationState>(['failed', 'interrupted', 'cancelled']);
const STEP_DONE = new Set<StepState>(['succeeded', 'skipped']);

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * One journal entry in the drawer: title, server, state, a progress bar, and (expanded) its steps with their logs;
 * Cancel while it is queued or running, Retry and Roll back once it stopped short.
 */
export function OperationItem({ op }: { op: Operation }): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const expanded = useStore((s) => s.expandedOpId === op.id);
  const detail = useStore((s) => s.opDetails[op.id]);
  const setExpanded = useStore((s) => s.setExpandedOp);
  const applyChanged = useStore((s) => s.applyOperationChanged);
  const [busy, setBusy] = useState(false);
  const server = servers.find((s) => s.id === op.serverId)?.name ?? 'Removed server';
  const state = OPERATION_STATE[op.state];
  const percent = Math.round(op.progress * 100);
  const done = op.steps.filter((s) => STEP_DONE.has(s.state)).length;

  const act = async (method: 'operations.cancel' | 'operations.retry' | 'operations.rollback'): Promise<void> => {
    setBusy(true);
    try {
      applyChanged(await client.call(method, { id: op.id }));
    } catch {
      // the global error toast says what failed
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="op-item" data-state={op.state} data-testid="operation" data-operation-id={op.id}>
      <button
        type="button"
        className="op-summary"
        aria-expanded={expanded}
        onClick={() => setExpanded(expanded ? null : op.id)}
      >
        <span className="op-chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="op-title">{op.title}</span>
        <span className={`badge ${state.tone}`} data-testid="operation-state">
          {state.label}
        </span>
      </button>
      <div className="op-meta muted">
        <span>{server}</span>
        <span aria-hidden="true">·</span>
        <span>{when(op.createdAt)}</span>
        <span aria-hidden="true">·</span>
        <span>
          {done} of {op.steps.length} steps
        </span>
      </div>
      <div
        className={`op-progress ${state.tone}`}
        role="progressbar"
        aria-label={`Progress of ${op.title}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="op-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      {op.error ? <p className="op-error">{op.error}</p> : null}
      {op.notRestored.length > 0 ? (
        <p className="op-error">Not restored on the server: {op.notRestored.join(', ')}.</p>
      ) : null}
      {expanded ? (
        <ol className="op-steps" aria-label={`Steps of ${op.title}`}>
          {op.steps.map((st) => (
            <StepRow
              key={st.id}
              step={st}
              lines={detail?.logs[st.id] ?? st.log}
              commands={detail?.commands[st.id] ?? st.commands}
            />
          ))}
        </ol>
      ) : null}
      <div className="op-actions">
        {isActive(op) ? (
          <button type="button" className="button small" disabled={busy} onClick={() => void act('operations.cancel')}>
            Cancel
          </button>
        ) : null}
        {RETRYABLE.has(op.state) ? (
          <button type="button" className="button small" disabled={busy} onClick={() => void act('operations.retry')}>
            Retry
          </button>
        ) : null}
        {ROLLBACKABLE.has(op.state) ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => void act('operations.rollback')}
          >
            Roll back
          </button>
        ) : null}
      </div>
    </li>
  );
}

import type { CommandRecord, OperationStep, StepState } from '../../../../shared/contract/operations.contract';

const STEP_STATE: Record<StepState, { icon: string; label: string }> = {
  pending: { icon: '○', label: 'Pending' },
  running: { icon: '◐', label: 'Running' },
  succeeded: { icon: '✓', label: 'Done' },
  failed: { icon: '✕', label: 'Failed' },
  rolled_back: { icon: '↶', label: 'Rolled back' },
  rollback_failed: { icon: '!', label: 'Rollback failed' },
  interrupted: { icon: '‖', label: 'Interrupted' },
  skipped: { icon: '–', label: 'Skipped' },
};

interface StepRowProps {
  readonly step: OperationStep;
  readonly lines: readonly string[];
  readonly commands: readonly CommandRecord[];
}

/** One step: its state, title, error, and a disclosure with its log lines and the exact commands it ran. */
export function StepRow({ step, lines, commands }: StepRowProps): React.JSX.Element {
  const s = STEP_STATE[step.state];
  const hasLog = lines.length > 0 || commands.length > 0;
  return (
    <li className="op-step" data-state={step.state} data-testid="operation-step">
      <div className="op-step-head">
        <span className="op-step-icon" aria-hidden="true">
          {s.icon}
        </span>
        <span className="op-step-title">{step.title}</span>
        <span className="op-step-state muted">{s.label}</span>
      </div>
      {step.error ? <p className="op-error">{step.error}</p> : null}
      {hasLog ? (
        <details className="op-step-log" open={step.state === 'running' || step.state === 'failed' ? true : undefined}>
          <summary>Log{lines.length > 0 ? ` (${lines.length} ${lines.length === 1 ? 'line' : 'lines'})` : ''}</summary>
          {lines.length > 0 ? <pre className="op-log">{lines.join('\n')}</pre> : null}
          {commands.map((c, i) => (
            <div key={i} className="op-command">
              <code>$ {c.command}</code>
              <span className={`op-exit ${c.exitCode === 0 ? 'ok' : 'bad'}`}>
                {c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`}
              </span>
              {c.output ? <pre className="op-log">{c.output}</pre> : null}
            </div>
          ))}
        </details>
      ) : null}
    </li>
  );
}

import { useState, type ReactNode } from 'react';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { PlanView } from './PlanView';

interface PlanApplyProps {
  readonly plan: PlanPreview;
  readonly applyLabel: string;
  readonly danger?: boolean;
  /** Replaces PlanView's nginx safety note (see PlanView). */
  readonly note?: ReactNode;
  /** Back to the form that made the plan (absent: Cancel only). */
  readonly onBack?: () => void;
  readonly onCancel: () => void;
  /** Called with the operation id once the plan is queued (the operations drawer follows it). */
  readonly onApplied: (operationId: string) => void;
}

/** The plan preview with its Apply button: applies exactly the plan shown (plans.apply), errors inline. */
export function PlanApply({
  plan,
  applyLabel,
  danger,
  note,
  onBack,
  onCancel,
  onApplied,
}: PlanApplyProps): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const apply = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const { operationId } = await client.call('plans.apply', { planId: plan.planId }, { expected: 'all' });
      onApplied(operationId);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <>
      <PlanView plan={plan} {...(note !== undefined ? { note } : {})} />
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="dialog-actions">
        {onBack ? (
          <button type="button" className="button spacer" onClick={onBack}>
            Back
          </button>
        ) : null}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={`button ${danger ? 'danger' : 'primary'}`}
          disabled={busy}
          onClick={() => void apply()}
          data-autofocus
        >
          {applyLabel}
        </button>
      </div>
    </>
  );
}

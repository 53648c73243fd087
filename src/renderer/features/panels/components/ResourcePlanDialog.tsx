import { useEffect, useRef, useState } from 'react';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { errorMessage } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { PlanApply } from '../../sites';

/** What a panel plan's note says instead of the nginx one: the panel does the work; the journal follows it. */
export const PANEL_PLAN_NOTE =
  'The panel carries out these requests itself. PanelDeck checks the values before sending, sends each write once, and follows the panel’s own progress in the operations drawer.';

interface ResourcePlanDialogProps {
  readonly title: string;
  readonly applyLabel: string;
  readonly danger?: boolean;
  /** Asks the core for the plan (dryRun: true). */
  readonly makePlan: () => Promise<PlanPreview>;
  readonly children?: React.ReactNode;
  readonly onClose: () => void;
}

/**
 * Confirms a delete or a row action by showing its plan first (asked on open, dryRun); Apply runs exactly that
 * plan as an operation.
 */
export function ResourcePlanDialog(p: ResourcePlanDialogProps): React.JSX.Element {
  const { onClose } = p;
  // Planned once, on open (the caller's function may be a new one on every render).
  const makePlan = useRef(p.makePlan);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    makePlan.current().then(
      (pl) => live && setPlan(pl),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <Dialog title={p.title} onClose={onClose} className="dialog-wide plan-dialog">
      {p.children}
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel={p.applyLabel}
          note={PANEL_PLAN_NOTE}
          {...(p.danger ? { danger: true } : {})}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <>
          <p className={error ? 'form-error' : 'muted'} role={error ? 'alert' : 'status'}>
            {error ?? 'Planning…'}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} data-autofocus>
              {error ? 'Close' : 'Cancel'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

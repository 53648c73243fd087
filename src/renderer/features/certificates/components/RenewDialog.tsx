import { useEffect, useState } from 'react';
import type { Certificate } from '../../../../shared/contract/certificates.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { PlanApply } from '../../sites';

/**
 * Renews a PanelDeck ACME certificate now (the scheduler does it by itself when a third of its life remains): asks
 * the core for the plan as soon as it opens, shows it, and applies exactly that plan.
 */
export function RenewDialog({ cert, onClose }: { cert: Certificate; onClose: () => void }): React.JSX.Element {
  const domain = cert.domains[0] ?? '';
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client
      .call('certificates.renew', { serverId: cert.serverId, domain, dryRun: true }, { expected: 'all' })
      .then((r) => live && setPlan(r.plan))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [cert.serverId, domain]);
  return (
    <Dialog title={`Renew the certificate of ${domain}`} onClose={onClose} className="dialog-wide plan-dialog">
      {plan ? (
        <PlanApply plan={plan} applyLabel="Renew now" onCancel={onClose} onApplied={() => onClose()} />
      ) : (
        <>
          <p className={error ? 'form-error' : 'muted'} role={error ? 'alert' : 'status'}>
            {error ?? 'Planning the renewal…'}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

import { useEffect, useState } from 'react';
import type { PlanPreview, Site } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { PlanApply } from './PlanApply';

/** Enables or disables a site: asks the core for the plan at once, shows it, and applies it on confirmation. */
export function ToggleSiteDialog({ site, onClose }: { site: Site; onClose: () => void }): React.JSX.Element {
  const enable = !site.enabled;
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client
      .call(
        'sites.setEnabled',
        { serverId: site.serverId, domain: site.domain, enabled: enable, dryRun: true },
        { expected: 'all' },
      )
      .then((r) => live && setPlan(r.plan))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [site.serverId, site.domain, enable]);

  return (
    <Dialog
      title={`${enable ? 'Enable' : 'Disable'} ${site.domain}?`}
      onClose={onClose}
      className="dialog-wide plan-dialog"
    >
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel={enable ? 'Enable site' : 'Disable site'}
          danger={!enable}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <>
          <p className={error ? 'form-error' : 'muted'} role={error ? 'alert' : 'status'}>
            {error ?? 'Planning…'}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

import { useState, type FormEvent } from 'react';
import type { PlanPreview, Site } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { PlanApply } from './PlanApply';

/**
 * Deletes a site: the user types the domain to confirm (the core checks it again), chooses whether the webroot
 * goes too (kept by default), reviews the plan, then applies it.
 */
export function DeleteSiteDialog({
  site,
  serverName,
  onClose,
}: {
  site: Site;
  serverName: string;
  onClose: () => void;
}): React.JSX.Element {
  const [confirm, setConfirm] = useState('');
  const [deleteWebroot, setDeleteWebroot] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const matches = confirm.trim() === site.domain;

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!matches) return setError({ field: 'confirm', message: `Type ${site.domain} to confirm.` });
    setBusy(true);
    setError(null);
    try {
      const input = { serverId: site.serverId, domain: site.domain, confirm, deleteWebroot, dryRun: true };
      const { plan: p } = await client.call('sites.delete', input, { expected: 'all' });
      setPlan(p);
    } catch (err) {
      const onConfirm = fieldErrors(err).confirm;
      setError(onConfirm ? { field: 'confirm', message: onConfirm } : { message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Delete ${site.domain}?`} onClose={onClose} className="dialog-wide plan-dialog">
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel="Delete site"
          danger
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <p className="confirm-body">
            The nginx configuration of <strong>{site.domain}</strong> on <strong>{serverName}</strong> is removed and
            nginx reloaded.{' '}
            {site.root ? (
              <>
                Its files in <code>{site.root}</code> are kept unless you choose otherwise below.
              </>
            ) : null}
          </p>
          <Field
            label="Type the domain"
            error={error?.field === 'confirm' ? error.message : undefined}
            hint={`Type ${site.domain} to confirm.`}
          >
            {(c) => (
              <input
                {...c}
                className="input mono"
                value={confirm}
                spellCheck={false}
                autoComplete="off"
                data-autofocus
                onChange={(e) => {
                  setConfirm(e.target.value);
                  setError(null);
                }}
              />
            )}
          </Field>
          {site.root ? (
            <label className="checkbox">
              <input type="checkbox" checked={deleteWebroot} onChange={(e) => setDeleteWebroot(e.target.checked)} />
              Also delete the webroot <code>{site.root}</code> and everything in it
            </label>
          ) : null}
          <p className="form-error" role="alert">
            {error && error.field !== 'confirm' ? error.message : null}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button danger" disabled={busy || !matches}>
              {busy ? 'Planning…' : 'Preview deletion'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

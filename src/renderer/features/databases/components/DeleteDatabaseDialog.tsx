import { useState, type FormEvent } from 'react';
import type { Database, DatabaseUser } from '../../../../shared/contract/databases.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { PlanApply } from '../../sites';
import { userLabel } from '../database-view';

/** What is being deleted: a database, or a database user. */
export type DeleteTarget = { kind: 'database'; database: Database } | { kind: 'user'; user: DatabaseUser };

/**
 * Deletes a database or a database user: the user types the name to confirm (the core checks it again), reviews
 * the plan, then applies it.
 */
export function DeleteDatabaseDialog({
  target,
  serverName,
  onClose,
}: {
  target: DeleteTarget;
  serverName: string;
  onClose: () => void;
}): React.JSX.Element {
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const name = target.kind === 'database' ? target.database.name : target.user.name;
  const label = target.kind === 'database' ? name : userLabel(target.user);
  const matches = confirm.trim() === name;

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!matches) return setError({ field: 'confirm', message: `Type ${name} to confirm.` });
    setBusy(true);
    setError(null);
    try {
      const { plan: p } =
        target.kind === 'database'
          ? await client.call(
              'databases.delete',
              { serverId: target.database.serverId, engine: target.database.engine, name, confirm, dryRun: true },
              { expected: 'all' },
            )
          : await client.call(
              'databases.deleteUser',
              {
                serverId: target.user.serverId,
                engine: target.user.engine,
                user: name,
                ...(target.user.host !== null ? { host: target.user.host } : {}),
                confirm,
                dryRun: true,
              },
              { expected: 'all' },
            );
      setPlan(p);
    } catch (err) {
      const onConfirm = fieldErrors(err).confirm;
      setError(onConfirm ? { field: 'confirm', message: onConfirm } : { message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const what = target.kind === 'database' ? 'database' : 'user';
  return (
    <Dialog title={`Delete ${what} ${label}?`} onClose={onClose} className="dialog-wide plan-dialog">
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel={target.kind === 'database' ? 'Delete database' : 'Delete user'}
          danger
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <p className="confirm-body">
            {target.kind === 'database' ? (
              <>
                The database <strong>{name}</strong> on <strong>{serverName}</strong> and every table and row in it are
                deleted. This cannot be undone; take a dump first if you may need the data.
              </>
            ) : (
              <>
                The user <strong>{label}</strong> on <strong>{serverName}</strong> is dropped with its grants, and its
                password leaves the vault. Applications that log in as it stop working.
              </>
            )}
          </p>
          <Field
            label={target.kind === 'database' ? 'Type the database name' : 'Type the user name'}
            error={error?.field === 'confirm' ? error.message : undefined}
            hint={`Type ${name} to confirm.`}
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

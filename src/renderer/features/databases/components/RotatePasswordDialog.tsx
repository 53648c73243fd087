import { useState, type FormEvent } from 'react';
import { DbPassword, type DatabaseUser } from '../../../../shared/contract/databases.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { PlanApply } from '../../sites';
import { coreDatabaseErrors, userLabel } from '../database-view';

/**
 * Rotates a database user's password: a generated one (the default) or a typed one, validated as you type; the
 * vault credential is updated when the plan is applied.
 */
export function RotatePasswordDialog({
  user,
  serverName,
  onClose,
}: {
  user: DatabaseUser;
  serverName: string;
  onClose: () => void;
}): React.JSX.Element {
  const [generate, setGenerate] = useState(true);
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const check = (): string | undefined => {
    if (generate) return undefined;
    const r = DbPassword.safeParse(password);
    return r.success ? undefined : r.error.issues[0]?.message;
  };
  const passwordError = (touched ? check() : undefined) ?? errors.password;

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setTouched(true);
    if (check()) return;
    setBusy(true);
    setErrors({});
    try {
      const input = {
        serverId: user.serverId,
        engine: user.engine,
        user: user.name,
        ...(user.host !== null ? { host: user.host } : {}),
        ...(generate ? {} : { password }),
        dryRun: true,
      };
      const { plan: p } = await client.call('databases.changePassword', input, { expected: 'all' });
      setPlan(p);
    } catch (err) {
      setErrors(coreDatabaseErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`New password for ${userLabel(user)}`} onClose={onClose} className="dialog-wide plan-dialog">
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel="Change password"
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <p className="confirm-body">
            The password of <strong>{userLabel(user)}</strong> on <strong>{serverName}</strong> changes, and the vault
            keeps the new one. Applications that log in as this user need it too.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={generate} onChange={(e) => setGenerate(e.target.checked)} />
            Generate a strong password (32 letters and digits)
          </label>
          {generate ? null : (
            <Field label="New password" error={passwordError} hint="12 to 128 printable characters, no quotes.">
              {(c) => (
                <input
                  {...c}
                  type="password"
                  className="input mono"
                  value={password}
                  autoComplete="new-password"
                  data-autofocus
                  onChange={(e) => {
                    setPassword(e.target.value);
                    setTouched(true);
                    setErrors({});
                  }}
                />
              )}
            </Field>
          )}
          <p className="form-error" role="alert">
            {errors._ ?? (errors.password && generate ? errors.password : null)}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Planning…' : 'Preview'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

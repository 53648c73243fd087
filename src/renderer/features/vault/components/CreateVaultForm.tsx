import { useState, type FormEvent } from 'react';
import { weakPasswordReason } from '../../../../shared/password-strength';
import { fieldErrors, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { StrengthMeter } from './StrengthMeter';
import { ShieldIcon } from '../../../ui/icons';
import '../vault.css';
import { PasswordField } from '../../../ui/PasswordField';

/** First run: choose the master password that derives the vault key. There is no recovery, and it says so. */
export function CreateVaultForm(): React.JSX.Element {
  const createVault = useStore((s) => s.createVault);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: FieldErrors = {};
    // The same rule the core applies (shared/password-strength.ts), so the reason shows before a round trip.
    const weak = weakPasswordReason(password);
    if (weak) local.password = weak;
    if (confirm !== password) local.confirm = 'The two passwords differ.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await createVault(password);
    } catch (err) {
      setErrors(fieldErrors(err));
      setBusy(false);
    }
  };

  return (
    <section className="gate" aria-labelledby="gate-title">
      <form className="gate-card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="gate-icon" aria-hidden="true">
          <ShieldIcon size={24} />
        </div>
        <h1 id="gate-title">Create your vault</h1>
        <p className="muted gate-lead">
          Servers, credentials and keys are encrypted with a key derived from this master password. Nobody can recover
          it for you: choose something long that you will remember. It must rate at least “Fair”: a few unrelated words
          are easy to remember and hard to guess.
        </p>
        <PasswordField
          label="Master password"
          error={errors.password}
          className="stacked"
          value={password}
          onChange={setPassword}
          autoFocus
        />
        <StrengthMeter password={password} />
        <PasswordField
          label="Confirm master password"
          error={errors.confirm}
          className="stacked"
          value={confirm}
          onChange={setConfirm}
        />
        <p className="form-error" role="alert">
          {errors._}
        </p>
        <button type="submit" className="button primary gate-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create vault'}
        </button>
      </form>
    </section>
  );
}

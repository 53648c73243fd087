import { useState, type FormEvent } from 'react';
import { AppError } from '../../../../shared/errors';
import { weakPasswordReason } from '../../../../shared/password-strength';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Field, type ControlProps } from '../../../ui/Field';
import { StrengthMeter } from './StrengthMeter';
import '../vault.css';

function AutoLockForm(): React.JSX.Element {
  const vault = useStore((s) => s.vault);
  const setAutoLock = useStore((s) => s.setAutoLock);
  const [minutes, setMinutes] = useState(String(vault?.autoLockMinutes ?? 15));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState('');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const n = Number(minutes);
    if (!Number.isInteger(n) || n < 0 || n > 1440) return setError('Whole minutes from 0 to 1440.');
    setError(undefined);
    try {
      await setAutoLock(n);
      setSaved(n === 0 ? 'Saved: the vault never locks by itself.' : `Saved: locks after ${n} idle minutes.`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="autolock-title">
      <h2 id="autolock-title">Auto-lock</h2>
      <Field label="Lock after (minutes)" error={error} hint="0 keeps the vault open until you lock it.">
        {(c) => (
          <div className="form-row">
            <input
              {...c}
              className="input"
              type="number"
              min={0}
              max={1440}
              style={{ width: 110 }}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <button type="submit" className="button">
              Save
            </button>
          </div>
        )}
      </Field>
      <p className="result-line" role="status">
        {saved}
      </p>
    </form>
  );
}

function KeychainToggle(): React.JSX.Element {
  const vault = useStore((s) => s.vault);
  const setKeychain = useStore((s) => s.setKeychain);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const toggle = async (enabled: boolean): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      await setKeychain(enabled);
    } catch (err) {
      setError(err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE' ? `${err.message}` : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card form">
      <h2>Unlock with this computer</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={vault?.keychainEnabled ?? false}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        Keep a key in the system keychain so this computer can open the vault without the master password
      </label>
      <p className="form-error" role="alert">
        {error}
      </p>
    </div>
  );
}

function ChangePasswordForm(): React.JSX.Element {
  const change = useStore((s) => s.changeMasterPassword);
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!form.current) local.current = 'Enter the current password.';
    const weak = weakPasswordReason(form.next);
    if (weak) local.next = weak;
    if (form.confirm !== form.next) local.confirm = 'The two passwords differ.';
    setErrors(local);
    setDone('');
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await change(form.current, form.next);
      setForm({ current: '', next: '', confirm: '' });
      setDone('Master password changed.');
    } catch (err) {
      if (err instanceof AppError && err.code === 'WRONG_PASSWORD') setErrors({ current: 'Wrong master password.' });
      else setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (key: keyof typeof form, autoComplete: string) => (c: ControlProps) => (
    <input
      {...c}
      className="input"
      type="password"
      autoComplete={autoComplete}
      value={form[key]}
      onChange={(e) => setForm({ ...form, [key]: e.target.value })}
    />
  );
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="changepw-title">
      <h2 id="changepw-title">Change master password</h2>
      <Field label="Current password" error={errors.current}>
        {input('current', 'current-password')}
      </Field>
      <Field label="New password" error={errors.next} hint={<StrengthMeter password={form.next} />}>
        {input('next', 'new-password')}
      </Field>
      <Field label="Confirm new password" error={errors.confirm}>
        {input('confirm', 'new-password')}
      </Field>
      <div className="dialog-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Change password
        </button>
      </div>
      <p className="result-line" role="status">
        {done}
      </p>
    </form>
  );
}

/** The vault's own settings: auto-lock, keychain unlock, master password. */
export function VaultSettingsTab(): React.JSX.Element {
  return (
    <div className="settings-grid">
      <AutoLockForm />
      <KeychainToggle />
      <ChangePasswordForm />
    </div>
  );
}

import { useRef, useState, type FormEvent } from 'react';
import { AppError } from '../../../../shared/errors';
import { errorMessage } from '../../../lib/errors';
import { useCountdown } from '../../../lib/use-countdown';
import { useStore } from '../../../store';
import { Field } from '../../../ui/Field';
import { LockIcon } from '../../../ui/icons';
import '../vault.css';

/** details.retryAfter (epoch ms per the core; a small number is read as a delay in seconds, defensively). */
function retryUntil(e: AppError): number | null {
  const v = e.details?.retryAfter;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (v > 1e12) return v;
  return Date.now() + (v > 3600 ? v : v * 1000);
}

/** The locked vault: master password, or "unlock with this computer" when the keychain holds a key. */
export function UnlockScreen(): React.JSX.Element {
  const vault = useStore((s) => s.vault);
  const unlock = useStore((s) => s.unlockVault);
  const unlockWithKeychain = useStore((s) => s.unlockWithKeychain);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [until, setUntil] = useState<number | null>(() =>
    vault?.retryAfter && vault.retryAfter > Date.now() ? vault.retryAfter : null,
  );
  const wait = useCountdown(until);
  const inputRef = useRef<HTMLInputElement>(null);

  const fail = (e: unknown): void => {
    setBusy(false);
    if (e instanceof AppError && e.code === 'WRONG_PASSWORD') {
      setError('Wrong master password. Check Caps Lock and try again.');
      setUntil(retryUntil(e)); // after repeated failures the core also imposes a wait
      inputRef.current?.select();
    } else if (e instanceof AppError && e.code === 'RATE_LIMITED') {
      setUntil(retryUntil(e) ?? Date.now() + 30_000);
      setError('Too many wrong passwords.');
    } else {
      setError(errorMessage(e));
    }
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!password || wait > 0) return;
    setBusy(true);
    setError(null);
    try {
      await unlock(password);
    } catch (err) {
      fail(err);
    }
  };

  const viaKeychain = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await unlockWithKeychain();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section className="gate" aria-labelledby="gate-title">
      <form className="gate-card form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="gate-icon locked" aria-hidden="true">
          <LockIcon size={24} />
        </div>
        <h1 id="gate-title">Vault locked</h1>
        <p className="muted gate-lead">Enter your master password to open servers, credentials and keys.</p>
        <Field label="Master password" className="stacked" error={error ?? undefined}>
          {(c) => (
            <input
              {...c}
              ref={inputRef}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoFocus
            />
          )}
        </Field>
        <p className="gate-wait" aria-live="polite" data-testid="unlock-wait">
          {wait > 0 ? `You can try again in ${wait} s.` : ''}
        </p>
        <button type="submit" className="button primary gate-submit" disabled={busy || wait > 0 || !password}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        {vault?.keychainEnabled ? (
          <button type="button" className="button gate-submit" disabled={busy} onClick={() => void viaKeychain()}>
            Unlock with this computer
          </button>
        ) : null}
      </form>
    </section>
  );
}

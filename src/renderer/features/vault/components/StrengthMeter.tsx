import { useMemo } from 'react';
import { estimateStrength, MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE } from '../../../../shared/password-strength';
import '../vault.css';

/**
 * The meter under a new master password: five segments, a label with the estimated bits, whether the vault accepts
 * it yet (the core's own rule, shared/password-strength.ts), and hints.
 */
export function StrengthMeter({ password, id }: { password: string; id?: string }): React.JSX.Element {
  const s = useMemo(() => estimateStrength(password), [password]);
  return (
    <div className="strength" id={id} data-score={password ? s.score : undefined} data-testid="strength-meter">
      <div className="strength-bar" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={password && i <= s.score ? 'on' : undefined} />
        ))}
      </div>
      <div className="strength-text" aria-live="polite">
        {password ? (
          <>
            <strong className="strength-label">{s.label}</strong>
            <span className="muted"> · about {s.bits} bits</span>
            {s.score < MIN_PASSWORD_SCORE || password.length < MIN_PASSWORD_LENGTH ? (
              <span className="strength-verdict" data-testid="strength-verdict">
                {' '}
                · not accepted yet: needs “Fair” or better and {MIN_PASSWORD_LENGTH}+ characters
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">Strength appears as you type.</span>
        )}
      </div>
      {s.hints.length > 0 ? (
        <ul className="strength-hints">
          {s.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

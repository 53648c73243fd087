import type { ReactNode } from 'react';
import { Field } from './Field';

interface PasswordFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly className?: string;
  /** new-password (default) for anything being set, current-password to unlock, off for one-time answers. */
  readonly autoComplete?: 'new-password' | 'current-password' | 'off';
  readonly autoFocus?: boolean;
}

/** A labelled password input: the one shape every master, export, key and credential password field shares. */
export function PasswordField(p: PasswordFieldProps): React.JSX.Element {
  return (
    <Field label={p.label} error={p.error} hint={p.hint} {...(p.className ? { className: p.className } : {})}>
      {(c) => (
        <input
          {...c}
          className="input"
          type="password"
          autoComplete={p.autoComplete ?? 'new-password'}
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          autoFocus={p.autoFocus}
        />
      )}
    </Field>
  );
}

import type { FieldErrors } from '../../../lib/errors';
import { Field } from '../../../ui/Field';
import { PasswordField } from '../../../ui/PasswordField';

/** The SSH-key part of the credential form. */
export interface KeyForm {
  keyMode: 'generate' | 'import';
  keyType: 'ed25519' | 'rsa';
  passphrase: string;
  comment: string;
  privateKey: string;
}

interface KeyFieldsProps {
  readonly form: KeyForm;
  readonly errors: FieldErrors;
  readonly onChange: (patch: Partial<KeyForm>) => void;
}

/** Generate an ed25519/RSA key pair, or import a private key (with its passphrase). */
export function KeyFields({ form, errors, onChange }: KeyFieldsProps): React.JSX.Element {
  return (
    <>
      <fieldset className="segmented" aria-label="Key source">
        <legend className="visually-hidden">Key source</legend>
        {(['generate', 'import'] as const).map((m) => (
          <label key={m} className={form.keyMode === m ? 'on' : undefined}>
            <input
              type="radio"
              name="key-mode"
              checked={form.keyMode === m}
              onChange={() => onChange({ keyMode: m })}
            />
            {m === 'generate' ? 'Generate a new key' : 'Import a private key'}
          </label>
        ))}
      </fieldset>
      {form.keyMode === 'generate' ? (
        <>
          <Field label="Key type">
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.keyType}
                onChange={(e) => onChange({ keyType: e.target.value as KeyForm['keyType'] })}
              >
                <option value="ed25519">Ed25519 (recommended)</option>
                <option value="rsa">RSA 4096 (for old servers)</option>
              </select>
            )}
          </Field>
          <Field label="Comment" error={errors.comment} hint="Shown at the end of the public key, e.g. you@laptop.">
            {(c) => (
              <input
                {...c}
                className="input"
                value={form.comment}
                onChange={(e) => onChange({ comment: e.target.value })}
              />
            )}
          </Field>
        </>
      ) : (
        <Field label="Private key" error={errors.privateKey} hint="OpenSSH or PEM, as in ~/.ssh/id_ed25519.">
          {(c) => (
            <textarea
              {...c}
              className="textarea mono"
              rows={6}
              spellCheck={false}
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              value={form.privateKey}
              onChange={(e) => onChange({ privateKey: e.target.value })}
            />
          )}
        </Field>
      )}
      <PasswordField
        label="Passphrase"
        error={errors.passphrase}
        hint={
          form.keyMode === 'generate'
            ? 'Optional: the vault already encrypts the key.'
            : 'Only if the key is encrypted.'
        }
        value={form.passphrase}
        onChange={(v) => onChange({ passphrase: v })}
      />
    </>
  );
}

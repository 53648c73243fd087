import { useState, type FormEvent } from 'react';
import type { CredentialKind, CredentialSummary } from '../../../../shared/contract/inventory.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { KIND_LABELS } from '../kinds';
import { KeyFields, type KeyForm } from './KeyFields';
import { PublicKeyView } from './PublicKeyDialog';
import '../credentials.css';
import { PasswordField } from '../../../ui/PasswordField';
import { EditorFooter } from '../../../ui/EditorFooter';

interface Form extends KeyForm {
  kind: CredentialKind;
  name: string;
  username: string;
  secret: string;
  notes: string;
}

const SECRET_LABEL: Record<CredentialKind, string> = {
  password: 'Password',
  login: 'Password',
  'api-token': 'Token',
  'ssh-key': 'Private key',
};

/** Creates a credential of any kind (SSH keys generated or imported), or edits one's name, user, notes, secret. */
export function CredentialEditor(props: { editing?: CredentialSummary; onClose: () => void }): React.JSX.Element {
  const { editing, onClose } = props;
  const loadCredentials = useStore((s) => s.loadCredentials);
  const [form, setForm] = useState<Form>({
    kind: editing?.kind ?? 'password',
    name: editing?.name ?? '',
    username: editing?.username ?? '',
    secret: '',
    notes: editing?.notes ?? '',
    keyMode: 'generate',
    keyType: 'ed25519',
    passphrase: '',
    comment: '',
    privateKey: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [createdKey, setCreatedKey] = useState<CredentialSummary | null>(null);
  const patch = (p: Partial<Form>): void => setForm((f) => ({ ...f, ...p }));
  const isKey = form.kind === 'ssh-key';
  const generating = !editing && isKey && form.keyMode === 'generate';

  const save = async (): Promise<CredentialSummary> => {
    const opts = { expected: ['VALIDATION'] as const };
    const username = form.username.trim() || null;
    if (editing) {
      const base = { name: form.name, notes: form.notes };
      const extra = isKey ? {} : { username, ...(form.secret ? { secret: form.secret } : {}) };
      return client.call('credentials.update', { id: editing.id, patch: { ...base, ...extra } }, opts);
    }
    if (isKey && form.keyMode === 'generate') {
      const passphrase = form.passphrase || null;
      return client.call(
        'keys.generate',
        { name: form.name, type: form.keyType, passphrase, comment: form.comment },
        opts,
      );
    }
    if (isKey) {
      const input = { name: form.name, privateKey: form.privateKey, passphrase: form.passphrase || null };
      return client.call('keys.import', input, { expected: ['VALIDATION', 'WRONG_PASSWORD'] });
    }
    const input = { name: form.name, kind: form.kind, secret: form.secret, username, notes: form.notes };
    return client.call('credentials.create', input, opts);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!form.name.trim()) local.name = 'A name is required.';
    if (!editing && !isKey && !form.secret) local.secret = `${SECRET_LABEL[form.kind]} is required.`;
    if (!editing && isKey && form.keyMode === 'import' && !form.privateKey.trim())
      local.privateKey = 'Paste a private key.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const saved = await save();
      setForm((f) => ({ ...f, secret: '', passphrase: '', privateKey: '' }));
      await loadCredentials();
      if (!editing && isKey) setCreatedKey(saved);
      else onClose();
    } catch (err) {
      const f = fieldErrors(err, editing ? 'patch.' : '');
      if ((err as { code?: string }).code === 'WRONG_PASSWORD') f.passphrase = 'Wrong passphrase for this key.';
      setErrors(Object.keys(f).length ? f : { _: errorMessage(err) });
      setBusy(false);
    }
  };

  if (createdKey) {
    return (
      <Dialog title={`Key “${createdKey.name}” is ready`} onClose={onClose} className="dialog-wide">
        <PublicKeyView credential={createdKey} />
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onClose} data-autofocus>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : 'New credential'} onClose={onClose} className="dialog-wide">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {editing ? null : (
          <Field label="Kind">
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.kind}
                onChange={(e) => patch({ kind: e.target.value as CredentialKind })}
                data-autofocus
              >
                {Object.entries(KIND_LABELS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Name" error={errors.name}>
          {(c) => (
            <input
              {...c}
              className="input"
              value={form.name}
              onChange={(e) => patch({ name: e.target.value })}
              data-autofocus={editing ? true : undefined}
            />
          )}
        </Field>
        {form.kind === 'password' || form.kind === 'login' ? (
          <Field label="User name" error={errors.username} hint={form.kind === 'password' ? 'Optional.' : undefined}>
            {(c) => (
              <input
                {...c}
                className="input"
                autoComplete="off"
                value={form.username}
                onChange={(e) => patch({ username: e.target.value })}
              />
            )}
          </Field>
        ) : null}
        {isKey ? (
          editing ? null : (
            <KeyFields form={form} errors={errors} onChange={patch} />
          )
        ) : (
          <PasswordField
            label={SECRET_LABEL[form.kind]}
            error={errors.secret}
            hint={editing ? 'Leave empty to keep the current one.' : undefined}
            value={form.secret}
            onChange={(v) => patch({ secret: v })}
          />
        )}
        <EditorFooter
          notes={form.notes}
          onNotes={(notes) => patch({ notes })}
          notesError={errors.notes}
          formError={errors._}
          submitLabel={editing ? 'Save' : generating ? 'Generate key' : 'Add credential'}
          busy={busy}
          busyLabel={generating ? 'Generating…' : 'Saving…'}
          busyNote={
            generating && form.keyType === 'rsa'
              ? 'Generating a 4096-bit RSA key pair; this can take several seconds.'
              : generating
                ? 'Generating the key pair…'
                : undefined
          }
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

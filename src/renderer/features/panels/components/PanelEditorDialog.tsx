import { useEffect, useState, type FormEvent } from 'react';
import type { PanelAccount } from '../../../../shared/contract/panels.contract';
import type { DriverKind } from '../../../../shared/contract/inventory.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { client } from '../../../lib/client';
import type { FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { PasswordField } from '../../../ui/PasswordField';
import {
  HTTP_KINDS,
  addInput,
  checkPanelForm,
  emptyPanelForm,
  keyOnly,
  panelFieldErrors,
  type PanelForm,
} from '../panel-form';

interface PanelEditorProps {
  /** Absent: "Add panel". */
  readonly panel?: PanelAccount;
  readonly onClose: () => void;
  /** Called with the saved account (the section then tests the connection). */
  readonly onSaved: (panel: PanelAccount, added: boolean) => void;
}

/**
 * Adds or edits a panel account: kind (HTTP kinds), name, address, and the credential it signs in with, picked
 * from the vault or typed in (user name + password or API key, masked; stored in the vault with the account).
 */
export function PanelEditorDialog({ panel, onClose, onSaved }: PanelEditorProps): React.JSX.Element {
  const adding = panel === undefined;
  const credentials = useStore((s) => s.credentials);
  const loadCredentials = useStore((s) => s.loadCredentials);
  const [form, setForm] = useState<PanelForm>(() =>
    panel
      ? {
          ...emptyPanelForm(),
          name: panel.name,
          kind: panel.kind,
          baseUrl: panel.baseUrl,
          credentialMode: 'vault',
          credentialId: panel.credentialId,
        }
      : emptyPanelForm(),
  );
  const [submitted, setSubmitted] = useState(false);
  const [coreErrors, setCoreErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadCredentials().catch(() => undefined);
  }, [loadCredentials]);

  const usable = credentials.filter((c) => c.kind !== 'ssh-key');
  const errors: FieldErrors = { ...(submitted ? checkPanelForm(form, adding) : {}), ...coreErrors };
  const patch = <K extends keyof PanelForm>(field: K, value: PanelForm[K]): void => {
    setForm((f) => ({ ...f, [field]: value }));
    setCoreErrors(({ [field]: _gone, _: _form, ...rest }) => rest);
  };

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(checkPanelForm(form, adding)).length > 0) return;
    setBusy(true);
    setCoreErrors({});
    try {
      const saved = panel
        ? await client.call(
            'panels.update',
            {
              id: panel.id,
              patch: { name: form.name.trim(), baseUrl: form.baseUrl.trim(), credentialId: form.credentialId },
            },
            { expected: 'all' },
          )
        : await client.call('panels.add', addInput(form), { expected: 'all' });
      if (adding) loadCredentials().catch(() => undefined);
      onSaved(saved, adding);
    } catch (err) {
      setCoreErrors(panelFieldErrors(err));
      setBusy(false);
    }
  };

  const secretLabel = keyOnly(form.kind) ? 'API key' : 'Password';
  return (
    <Dialog title={adding ? 'Add panel' : `Edit ${panel.name}`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <Field label="Kind" error={errors.kind} hint={adding ? undefined : 'The kind of a panel cannot change.'}>
          {(c) => (
            <select
              {...c}
              className="select"
              value={form.kind}
              disabled={!adding}
              onChange={(e) => patch('kind', e.target.value as DriverKind)}
            >
              {(adding ? HTTP_KINDS : [form.kind]).map((k) => (
                <option key={k} value={k}>
                  {panelKindLabel(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name" error={errors.name}>
          {(c) => (
            <input
              {...c}
              className="input"
              value={form.name}
              autoComplete="off"
              data-autofocus
              placeholder="cloudpanel-prod"
              onChange={(e) => patch('name', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Address"
          error={errors.baseUrl}
          hint={
            adding
              ? 'The panel’s URL, e.g. https://panel.example.com:8443. A self-signed certificate is shown for you to trust on first contact.'
              : 'A new address must have its certificate trusted again.'
          }
        >
          {(c) => (
            <input
              {...c}
              className="input mono"
              value={form.baseUrl}
              spellCheck={false}
              autoComplete="off"
              placeholder="https://panel.example.com:8443"
              onChange={(e) => patch('baseUrl', e.target.value)}
            />
          )}
        </Field>
        {adding ? (
          <fieldset className="radio-group panel-cred-mode">
            <legend>Credential</legend>
            <label>
              <input
                type="radio"
                name="cred-mode"
                checked={form.credentialMode === 'new'}
                onChange={() => patch('credentialMode', 'new')}
              />
              Type a new one
            </label>
            <label>
              <input
                type="radio"
                name="cred-mode"
                checked={form.credentialMode === 'vault'}
                onChange={() => patch('credentialMode', 'vault')}
              />
              From the vault
            </label>
          </fieldset>
        ) : null}
        {form.credentialMode === 'vault' || !adding ? (
          <Field label="Credential" error={errors.credentialId}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.credentialId}
                onChange={(e) => patch('credentialId', e.target.value)}
              >
                <option value="">Choose a credential…</option>
                {usable.map((cr) => (
                  <option key={cr.id} value={cr.id}>
                    {cr.name}
                    {cr.username ? ` (${cr.username})` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <>
            {keyOnly(form.kind) ? null : (
              <Field label="User name" error={errors.username}>
                {(c) => (
                  <input
                    {...c}
                    className="input"
                    value={form.username}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => patch('username', e.target.value)}
                  />
                )}
              </Field>
            )}
            <PasswordField
              label={secretLabel}
              value={form.secret}
              error={errors.secret}
              autoComplete="off"
              hint="Kept in the vault, encrypted; never shown back."
              onChange={(v) => patch('secret', v)}
            />
          </>
        )}
        <p className="form-error" role="alert">
          {errors._}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : adding ? 'Add panel' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

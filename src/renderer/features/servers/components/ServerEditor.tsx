import { useState, type FormEvent } from 'react';
import type { AuthMethod, CredentialKind, PanelBinding, Server } from '../../../../shared/contract/inventory.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { ChipInput } from '../../../ui/ChipInput';
import { Dialog } from '../../../ui/Dialog';
import { Field, type ControlProps } from '../../../ui/Field';
import { JumpHostPicker } from './JumpHostPicker';
import { PanelBindingsField } from './PanelBindingsField';
import '../servers.css';
import { EditorFooter } from '../../../ui/EditorFooter';

const AUTH: { id: AuthMethod; label: string; kinds: CredentialKind[] }[] = [
  { id: 'key', label: 'SSH key', kinds: ['ssh-key'] },
  { id: 'password', label: 'Password', kinds: ['password', 'login'] },
  { id: 'agent', label: 'SSH agent', kinds: [] },
  { id: 'keyboard-interactive', label: 'Keyboard-interactive', kinds: ['password', 'login'] },
];

interface Form {
  name: string;
  host: string;
  port: string;
  user: string;
  auth: AuthMethod;
  credentialId: string;
  jumpHostIds: string[];
  tags: string[];
  group: string;
  notes: string;
  panels: PanelBinding[];
}

function initial(s: Server | undefined): Form {
  return {
    name: s?.name ?? '',
    host: s?.host ?? '',
    port: String(s?.port ?? 22),
    user: s?.user ?? 'root',
    auth: s?.auth ?? 'key',
    credentialId: s?.credentialId ?? '',
    jumpHostIds: s?.jumpHostIds ?? [],
    tags: s?.tags ?? [],
    group: s?.group ?? '',
    notes: s?.notes ?? '',
    panels: s?.panels ?? [],
  };
}

/** Adds or edits a server: every ServerField, validated by the core, errors shown beside their fields. */
export function ServerEditor({ editing, onClose }: { editing?: Server; onClose: () => void }): React.JSX.Element {
  const credentials = useStore((s) => s.credentials);
  const servers = useStore((s) => s.servers);
  const facets = useStore((s) => s.facets);
  const loadServers = useStore((s) => s.loadServers);
  const [form, setForm] = useState<Form>(() => initial(editing));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  // A new server's "root" is only a default: picking a credential with a user fills User in until it is typed in.
  const [userChosen, setUserChosen] = useState(editing !== undefined);
  const patch = (p: Partial<Form>): void => setForm((f) => ({ ...f, ...p }));
  const auth = AUTH.find((a) => a.id === form.auth) ?? AUTH[0];
  const usable = credentials.filter((c) => auth?.kinds.includes(c.kind));
  const chosenCredential = usable.find((c) => c.id === form.credentialId);
  const credentialUser = chosenCredential?.username ?? '';

  /** Picks a credential; its user fills User in when User is empty or still the untouched default. */
  const pickCredential = (credentialId: string): void => {
    const user = credentials.find((c) => c.id === credentialId)?.username ?? '';
    const fill = user !== '' && (!userChosen || form.user.trim() === '');
    patch(fill ? { credentialId, user } : { credentialId });
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const port = Number(form.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return setErrors({ port: 'A port from 1 to 65535.' });
    const fields = {
      name: form.name,
      host: form.host,
      port,
      user: form.user,
      auth: form.auth,
      credentialId: auth?.kinds.length && form.credentialId ? form.credentialId : null,
      jumpHostIds: form.jumpHostIds,
      tags: form.tags,
      group: form.group.trim() || null,
      notes: form.notes,
      panels: form.panels,
    };
    setBusy(true);
    setErrors({});
    try {
      if (editing) await client.call('servers.update', { id: editing.id, patch: fields }, { expected: ['VALIDATION'] });
      else await client.call('servers.create', fields, { expected: ['VALIDATION'] });
      await loadServers();
      onClose();
    } catch (err) {
      const f = fieldErrors(err, editing ? 'patch.' : '');
      setErrors(Object.keys(f).length ? f : { _: errorMessage(err) });
      setBusy(false);
    }
  };

  const text =
    (key: 'name' | 'host' | 'user' | 'group', extra?: { autoFocus?: boolean; list?: string; mono?: boolean }) =>
    (c: ControlProps) => (
      <input
        {...c}
        className={`input${extra?.mono ? ' mono' : ''}`}
        value={form[key]}
        list={extra?.list}
        spellCheck={false}
        data-autofocus={extra?.autoFocus ? true : undefined}
        onChange={(e) => {
          if (key === 'user') setUserChosen(true);
          patch({ [key]: e.target.value });
        }}
      />
    );

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : 'Add server'} onClose={onClose} className="dialog-wide">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" error={errors.name}>
          {text('name', { autoFocus: true })}
        </Field>
        <div className="field">
          <span className="field-label-spacer" aria-hidden="true" />
          <div className="address-row">
            <Field label="Host" error={errors.host} className="stacked grow">
              {text('host', { mono: true })}
            </Field>
            <Field label="Port" error={errors.port} className="stacked port">
              {(c) => (
                <input
                  {...c}
                  className="input mono"
                  inputMode="numeric"
                  value={form.port}
                  onChange={(e) => patch({ port: e.target.value })}
                />
              )}
            </Field>
            <Field label="User" error={errors.user} className="stacked user">
              {text('user', { mono: true })}
            </Field>
          </div>
        </div>
        <Field label="Authentication" error={errors.auth}>
          {(c) => (
            <select
              {...c}
              className="select"
              value={form.auth}
              onChange={(e) => patch({ auth: e.target.value as AuthMethod })}
            >
              {AUTH.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {auth && auth.kinds.length > 0 ? (
          <Field
            label="Credential"
            error={errors.credentialId}
            hint={
              usable.length === 0 ? (
                'No matching credential yet: add one in Vault › Credentials.'
              ) : credentialUser !== '' && credentialUser !== form.user.trim() ? (
                <span data-testid="user-differs-hint">
                  Signs in as <b className="mono">{form.user.trim() || '(no user)'}</b>: the server&apos;s User wins
                  over this credential&apos;s user <b className="mono">{credentialUser}</b>.
                </span>
              ) : undefined
            }
          >
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.credentialId}
                onChange={(e) => pickCredential(e.target.value)}
              >
                <option value="">None (ask when connecting)</option>
                {usable.map((cr) => (
                  <option key={cr.id} value={cr.id}>
                    {cr.name}
                    {cr.username ? ` (${cr.username})` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Jump hosts" error={errors.jumpHostIds} hint="Connect through these first, in order (ProxyJump).">
          {(c) => (
            <JumpHostPicker
              {...c}
              value={form.jumpHostIds}
              onChange={(jumpHostIds) => patch({ jumpHostIds })}
              servers={servers.filter((s) => s.id !== editing?.id)}
            />
          )}
        </Field>
        <Field
          label="Tags"
          error={errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith('tags.'))?.[1]}
          hint="Enter, comma or space adds a tag."
        >
          {(c) => (
            <ChipInput
              {...c}
              values={form.tags}
              onChange={(tags) => patch({ tags })}
              placeholder="prod, web, eu…"
              suggestions={facets.tags.map((t) => t.name)}
            />
          )}
        </Field>
        <Field label="Group" error={errors.group}>
          {text('group', { list: 'server-groups-list' })}
        </Field>
        <datalist id="server-groups-list">
          {facets.groups.map((g) => (
            <option key={g.name} value={g.name} />
          ))}
        </datalist>
        <PanelBindingsField
          value={form.panels}
          onChange={(panels) => patch({ panels })}
          errors={errors}
          credentials={credentials}
        />
        <EditorFooter
          notes={form.notes}
          onNotes={(notes) => patch({ notes })}
          notesError={errors.notes}
          formError={errors._}
          submitLabel={editing ? 'Save' : 'Add server'}
          busy={busy}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

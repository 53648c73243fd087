import { useEffect, useState, type FormEvent } from 'react';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import type { DbEngine } from '../../../../shared/remote-names';
import { client } from '../../../lib/client';
import { errorMessage, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field, type ControlProps } from '../../../ui/Field';
import { PlanApply } from '../../sites';
import {
  DATABASE_FIELDS,
  ENGINE_LABEL,
  checkDatabaseForm,
  coreDatabaseErrors,
  databaseCreateInput,
  enginesOf,
  type DatabaseField,
  type DatabaseForm,
} from '../database-view';

/** What a server's probe said: the engines found, or why it failed (absent while probing). */
type Engines = { state: 'ok'; engines: DbEngine[] } | { state: 'error'; message: string };

/**
 * Creates a database with its own user: the form validates as you type with the contract's schemas; the engine
 * menu offers what the server's probe found; Preview asks the core for the plan (dryRun); Apply runs exactly that
 * plan. The password, typed or generated, goes into the vault, never into the plan.
 */
export function CreateDatabaseDialog({
  serverId,
  onClose,
}: {
  serverId?: string;
  onClose: () => void;
}): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const [form, setForm] = useState<DatabaseForm>({
    serverId: serverId ?? (servers.length === 1 ? (servers[0]?.id ?? '') : ''),
    engine: '',
    name: '',
    charset: '',
    collation: '',
    user: '',
    generate: true,
    password: '',
  });
  const [touched, setTouched] = useState<ReadonlySet<DatabaseField>>(new Set());
  const [coreErrors, setCoreErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [probes, setProbes] = useState<Readonly<Record<string, Engines>>>({});

  useEffect(() => {
    const id = form.serverId;
    if (!id) return undefined;
    let live = true;
    client
      .call('servers.capabilities', { id }, { expected: 'all' })
      .then(({ probe }) => {
        if (live) setProbes((p) => ({ ...p, [id]: { state: 'ok', engines: enginesOf(probe.databases) } }));
      })
      .catch((e: unknown) => {
        if (live) setProbes((p) => ({ ...p, [id]: { state: 'error', message: errorMessage(e) } }));
      });
    return () => {
      live = false;
    };
  }, [form.serverId]);

  // The engine shown: the one chosen when the server runs it, else the first the server runs.
  const engines: Engines | { state: 'idle' | 'probing' } = !form.serverId
    ? { state: 'idle' }
    : (probes[form.serverId] ?? { state: 'probing' });
  const offered: DbEngine[] = engines.state === 'ok' ? engines.engines : [];
  const engine: DbEngine | '' = form.engine !== '' && offered.includes(form.engine) ? form.engine : (offered[0] ?? '');
  const current: DatabaseForm = { ...form, engine };

  const errors: FieldErrors = { ...checkDatabaseForm(current, touched), ...coreErrors };
  const patch = (field: DatabaseField, value: string): void => {
    setForm((f) => ({ ...f, [field]: value }));
    setTouched((t) => new Set(t).add(field));
    setCoreErrors(({ [field]: _gone, _: _form, ...rest }) => rest);
  };

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setTouched(DATABASE_FIELDS);
    if (Object.keys(checkDatabaseForm(current)).length > 0) return;
    setBusy(true);
    setCoreErrors({});
    try {
      const { plan: p } = await client.call('databases.create', databaseCreateInput(current, true), {
        expected: 'all',
      });
      setPlan(p);
    } catch (err) {
      setCoreErrors(coreDatabaseErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const text =
    (field: 'name' | 'charset' | 'collation' | 'user', extra?: { placeholder?: string; autoFocus?: boolean }) =>
    (c: ControlProps) => (
      <input
        {...c}
        className="input mono"
        value={form[field]}
        spellCheck={false}
        autoComplete="off"
        placeholder={extra?.placeholder}
        data-autofocus={extra?.autoFocus ? true : undefined}
        onChange={(e) => patch(field, e.target.value)}
      />
    );

  const engineHint =
    engines.state === 'probing'
      ? 'Looking at what the server runs…'
      : engines.state === 'error'
        ? `Could not read what the server runs: ${engines.message}`
        : engines.state === 'ok' && offered.length === 0
          ? 'No MariaDB, MySQL or PostgreSQL server was found on this server. Install one, then try again.'
          : undefined;
  const noEngine = engines.state === 'ok' && offered.length === 0;

  return (
    <Dialog
      title={plan ? `Create ${form.name.trim()}: review the plan` : 'Create database'}
      onClose={onClose}
      className="dialog-wide plan-dialog"
    >
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel="Apply"
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <Field label="Server" error={errors.serverId}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.serverId}
                onChange={(e) => patch('serverId', e.target.value)}
              >
                <option value="">Choose a server…</option>
                {servers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.host})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Engine" error={errors.engine} hint={engineHint}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={engine}
                disabled={offered.length === 0}
                onChange={(e) => patch('engine', e.target.value)}
              >
                {offered.length === 0 ? <option value="">—</option> : null}
                {offered.map((k) => (
                  <option key={k} value={k}>
                    {ENGINE_LABEL[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Database name"
            error={errors.name}
            hint="Lower-case letters, digits and underscores, starting with a letter."
          >
            {text('name', { placeholder: 'shop', autoFocus: true })}
          </Field>
          {engine === 'mariadb' ? (
            <div className="database-form-pair">
              <Field label="Character set" error={errors.charset} hint="Empty: utf8mb4.">
                {text('charset', { placeholder: 'utf8mb4' })}
              </Field>
              <Field label="Collation" error={errors.collation} hint="Empty: utf8mb4_unicode_ci.">
                {text('collation', { placeholder: 'utf8mb4_unicode_ci' })}
              </Field>
            </div>
          ) : null}
          <Field label="User" error={errors.user} hint="A new user with every privilege on this database only.">
            {text('user', { placeholder: 'shop' })}
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.generate}
              onChange={(e) => {
                const generate = e.target.checked;
                setForm((f) => ({ ...f, generate }));
                setCoreErrors(({ password: _gone, ...rest }) => rest);
              }}
            />
            Generate a strong password (kept in the vault)
          </label>
          {form.generate ? null : (
            <Field
              label="Password"
              error={errors.password}
              hint="12 to 128 printable characters, no spaces, quotes or backslashes. Kept in the vault."
            >
              {(c) => (
                <input
                  {...c}
                  type="password"
                  className="input mono"
                  value={form.password}
                  autoComplete="new-password"
                  onChange={(e) => patch('password', e.target.value)}
                />
              )}
            </Field>
          )}
          <p className="form-error" role="alert">
            {errors._ ?? (form.generate ? errors.password : undefined)}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy || noEngine}>
              {busy ? 'Planning…' : 'Preview'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

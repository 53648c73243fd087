import { useState, type FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/contract/vault.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { Field } from '../../../ui/Field';
import { StrengthMeter } from './StrengthMeter';
import '../vault.css';
import { PasswordField } from '../../../ui/PasswordField';

type Policy = 'skip' | 'replace' | 'keep-both';
const POLICIES: { id: Policy; label: string }[] = [
  { id: 'skip', label: 'Keep mine, skip theirs' },
  { id: 'replace', label: 'Replace mine with theirs' },
  { id: 'keep-both', label: 'Keep both (theirs renamed)' },
];

function ExportForm(): React.JSX.Element {
  const [form, setForm] = useState({ path: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!form.path.trim()) local.path = 'Where should the file go?';
    if (form.password.length < 10) local.password = 'Use at least 10 characters.';
    if (form.confirm !== form.password) local.confirm = 'The two passwords differ.';
    setErrors(local);
    setResult('');
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const r = await client.call(
        'vault.export',
        { path: form.path.trim(), password: form.password },
        { expected: ['VALIDATION'] },
      );
      setForm({ ...form, password: '', confirm: '' });
      setResult(`Exported ${r.records} records to ${r.path}.`);
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(Object.keys(f).length ? f : { _: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p className="muted">One file with every server, credential and key, sealed with a password of its own.</p>
      <Field label="File path" error={errors.path} hint="Full path on this computer, e.g. /home/me/paneldeck.pdvault">
        {(c) => (
          <input
            {...c}
            className="input mono"
            value={form.path}
            onChange={(e) => setForm({ ...form, path: e.target.value })}
          />
        )}
      </Field>
      <PasswordField
        label="Export password"
        error={errors.password}
        hint={<StrengthMeter password={form.password} />}
        value={form.password}
        onChange={(v) => setForm({ ...form, password: v })}
      />
      <PasswordField
        label="Confirm password"
        error={errors.confirm}
        value={form.confirm}
        onChange={(v) => setForm({ ...form, confirm: v })}
      />
      <p className="form-error" role="alert">
        {errors._}
      </p>
      <div className="dialog-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      <p className="result-line" role="status">
        {result}
      </p>
    </form>
  );
}

function ImportForm(): React.JSX.Element {
  const [form, setForm] = useState({ path: '', password: '' });
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [policy, setPolicy] = useState<Policy>('skip');
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const onPreview = (e: FormEvent): void => {
    e.preventDefault();
    setResult('');
    if (!form.path.trim() || !form.password) return setError('Enter the file path and its export password.');
    void run(async () => {
      const input = { path: form.path.trim(), password: form.password };
      setPreview(
        await client.call('vault.importPreview', input, {
          expected: ['WRONG_PASSWORD', 'VALIDATION', 'NOT_FOUND', 'TAMPERED'],
        }),
      );
    });
  };
  const onImport = (): void =>
    void run(async () => {
      const r = await client.call('vault.import', {
        path: form.path.trim(),
        password: form.password,
        onConflict: policy,
      });
      setPreview(null);
      setForm({ path: '', password: '' });
      setResult(`Imported: ${r.created} created, ${r.replaced} replaced, ${r.skipped} skipped.`);
    });
  const conflicts = preview?.items.filter((i) => i.action === 'conflict').length ?? 0;
  return (
    <form className="card form" onSubmit={onPreview} noValidate aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <Field label="File path" hint="An export file from PanelDeck.">
        {(c) => (
          <input
            {...c}
            className="input mono"
            value={form.path}
            onChange={(e) => (setForm({ ...form, path: e.target.value }), setPreview(null))}
          />
        )}
      </Field>
      <PasswordField
        label="Export password"
        value={form.password}
        onChange={(v) => (setForm({ ...form, password: v }), setPreview(null))}
        autoComplete="off"
      />
      <p className="form-error" role="alert">
        {error}
      </p>
      {preview ? (
        <>
          <table className="table" aria-label="What the import would do">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {preview.items.map((i, n) => (
                <tr key={`${i.kind}-${i.name}-${n}`}>
                  <td>{i.kind}</td>
                  <td>{i.name}</td>
                  <td>
                    <span className={`badge ${i.action === 'create' ? 'ok' : i.action === 'conflict' ? 'warn' : ''}`}>
                      {i.action}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {conflicts > 0 ? (
            <fieldset className="radio-group">
              <legend>
                {conflicts} conflicting {conflicts === 1 ? 'record' : 'records'}
              </legend>
              {POLICIES.map((p) => (
                <label key={p.id}>
                  <input type="radio" name="import-policy" checked={policy === p.id} onChange={() => setPolicy(p.id)} />{' '}
                  {p.label}
                </label>
              ))}
            </fieldset>
          ) : null}
        </>
      ) : null}
      <div className="dialog-actions">
        {preview ? (
          <button type="button" className="button primary" disabled={busy} onClick={onImport}>
            Import {preview.items.filter((i) => i.action !== 'identical').length} records
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Reading…' : 'Preview'}
          </button>
        )}
      </div>
      <p className="result-line" role="status">
        {result}
      </p>
    </form>
  );
}

/** Moving a vault between machines: export to a sealed file, import with a preview and a conflict policy. */
export function TransferTab(): React.JSX.Element {
  return (
    <div className="settings-grid">
      <ExportForm />
      <ImportForm />
    </div>
  );
}

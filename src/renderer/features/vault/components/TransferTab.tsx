import { useState, type FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/contract/vault.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { AppError } from '../../../../shared/errors';
import { weakPasswordReason } from '../../../../shared/password-strength';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { PathField } from '../../../ui/PathField';
import { StrengthMeter } from './StrengthMeter';
import '../vault.css';
import { PasswordField } from '../../../ui/PasswordField';
import { plural } from '../../../lib/plural';

type Policy = 'skip' | 'replace' | 'keep-both';
const EXPORT_FILTERS = [
  { name: 'PanelDeck export', extensions: ['pdvault'] },
  { name: 'All files', extensions: ['*'] },
];
const POLICIES: { id: Policy; label: string }[] = [
  { id: 'skip', label: 'Keep mine, skip theirs' },
  { id: 'replace', label: 'Replace mine with theirs' },
  { id: 'keep-both', label: 'Keep both (theirs renamed)' },
];

/** Where a failed export belongs on the form: a file-system error next to the path, a weak password next to it. */
function exportErrors(err: unknown): FieldErrors {
  const f = fieldErrors(err);
  if (Object.keys(f).length > 0 && !f._) return f;
  if (err instanceof AppError && typeof err.details?.path === 'string') return { path: err.message };
  if (err instanceof AppError && err.code === 'VALIDATION' && /path/i.test(err.message)) return { path: err.message };
  return { _: errorMessage(err) };
}

function ExportForm(): React.JSX.Element {
  const [form, setForm] = useState({ path: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  /** The path the user agreed to replace (in our dialog, or in the native save dialog, which asks itself). */
  const [replaceOk, setReplaceOk] = useState<string | null>(null);
  const [askReplace, setAskReplace] = useState<string | null>(null);

  const exportTo = async (path: string, overwrite: boolean): Promise<void> => {
    const r = await client.call('vault.export', { path, password: form.password, overwrite }, { expected: 'all' });
    setForm({ ...form, password: '', confirm: '' });
    setReplaceOk(null);
    setResult(`Exported ${plural(r.records, 'record')} to ${r.path}.`);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: FieldErrors = {};
    const path = form.path.trim();
    if (!path) local.path = 'Where should the file go?';
    const weak = weakPasswordReason(form.password);
    if (weak) local.password = weak;
    if (form.confirm !== form.password) local.confirm = 'The two passwords differ.';
    setErrors(local);
    setResult('');
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await exportTo(path, replaceOk === path);
    } catch (err) {
      // Ask about the file the core found (its full path, ~ expanded), then export to exactly that one.
      if (err instanceof AppError && err.code === 'FILE_EXISTS') {
        setAskReplace(typeof err.details?.path === 'string' ? err.details.path : path);
      } else setErrors(exportErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p className="muted">
        One file with every server, credential, key, snippet, panel account and alert rule, sealed with a password of
        its own.
      </p>
      <PathField
        label="File path"
        mode="save"
        value={form.path}
        error={errors.path}
        placeholder="~/paneldeck.pdvault"
        dialog={{ title: 'Export the vault to', defaultPath: '~/paneldeck.pdvault', filters: EXPORT_FILTERS }}
        onChange={(v) => setForm({ ...form, path: v })}
        onPicked={(v) => setReplaceOk(v)}
      />
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
      {askReplace !== null ? (
        <ConfirmDialog
          title="Replace the existing file?"
          confirmLabel="Replace"
          danger
          onClose={() => setAskReplace(null)}
          onConfirm={async () => {
            try {
              await exportTo(askReplace, true);
            } catch (err) {
              setErrors(exportErrors(err));
            }
          }}
        >
          <p>
            <code>{askReplace}</code> already exists. Replacing it loses what it holds now; choose Cancel to pick
            another name.
          </p>
        </ConfirmDialog>
      ) : null}
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
      setPreview(await client.call('vault.importPreview', input, { expected: 'all' }));
    });
  };
  const onImport = (): void =>
    void run(async () => {
      const r = await client.call(
        'vault.import',
        { path: form.path.trim(), password: form.password, onConflict: policy },
        { expected: 'all' },
      );
      setPreview(null);
      setForm({ path: '', password: '' });
      setResult(`Imported: ${r.created} created, ${r.replaced} replaced, ${r.skipped} skipped.`);
    });
  const conflicts = preview?.items.filter((i) => i.action === 'conflict').length ?? 0;
  return (
    <form className="card form" onSubmit={onPreview} noValidate aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <PathField
        label="File path"
        mode="open"
        value={form.path}
        placeholder="~/paneldeck.pdvault"
        hint="An export file from PanelDeck: a full path, or ~/ for your home folder."
        dialog={{ title: 'Import a PanelDeck export', filters: EXPORT_FILTERS }}
        onChange={(v) => (setForm({ ...form, path: v }), setPreview(null))}
      />
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
            Import {plural(preview.items.filter((i) => i.action !== 'identical').length, 'record')}
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

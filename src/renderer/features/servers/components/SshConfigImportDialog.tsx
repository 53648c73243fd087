import { useState, type FormEvent } from 'react';
import type { SshConfigPreview } from '../../../../shared/contract/inventory.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { PathField } from '../../../ui/PathField';
import { importSummary } from '../import-summary';
import '../servers.css';

/**
 * Imports hosts from an OpenSSH config: preview what would be created and skipped (with reasons), choose the
 * entries, import. The path is typed (with a native file dialog in the desktop app).
 */
export function SshConfigImportDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const loadServers = useStore((s) => s.loadServers);
  const loadCredentials = useStore((s) => s.loadCredentials);
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<SshConfigPreview | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const source = path.trim() ? { path: path.trim() } : {};

  const onPreview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const p = await client.call('sshConfig.preview', source, { expected: 'all' });
      setPreview(p);
      setChosen(new Set(p.create.map((c) => c.alias)));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onImport = async (): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      const r = await client.call('sshConfig.import', { ...source, aliases: [...chosen] }, { expected: 'all' });
      await Promise.all([loadServers(), loadCredentials()]);
      setPreview(null);
      setResult(importSummary(r.created.length, r.credentials.length, r.skipped.length));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (alias: string): void =>
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(alias)) next.add(alias);
      return next;
    });

  return (
    <Dialog title="Import ~/.ssh/config" onClose={onClose} className="dialog-wide">
      <form className="form" onSubmit={(e) => void onPreview(e)} noValidate>
        <PathField
          label="Config file"
          mode="open"
          hint="Leave empty for ~/.ssh/config on the computer running PanelDeck; ~/ is your home folder."
          placeholder="~/.ssh/config"
          value={path}
          autoFocus
          dialog={{ title: 'Import hosts from an SSH config file', defaultPath: '~/.ssh/config' }}
          onChange={(v) => (setPath(v), setPreview(null))}
          trailing={
            <button type="submit" className="button" disabled={busy}>
              Preview
            </button>
          }
        />
      </form>
      <p className="form-error" role="alert">
        {error}
      </p>
      <p className="result-line" role="status">
        {result}
      </p>
      {preview ? (
        <div className="sshcfg-preview">
          <h3>
            Will be created ({chosen.size} of {preview.create.length} chosen)
          </h3>
          {preview.create.length === 0 ? <p className="muted">Nothing new to import.</p> : null}
          <ul className="check-list">
            {preview.create.map((c) => (
              <li key={c.alias}>
                <label className="checkbox">
                  <input type="checkbox" checked={chosen.has(c.alias)} onChange={() => toggle(c.alias)} />
                  <strong>{c.alias}</strong>
                  <span className="mono muted">
                    {c.user}@{c.host}:{c.port}
                  </span>
                  {c.identityFile ? <span className="badge">key {c.identityFile}</span> : null}
                  {c.proxyJump.length ? <span className="badge">via {c.proxyJump.join(' → ')}</span> : null}
                </label>
              </li>
            ))}
          </ul>
          {preview.warnings.length > 0 ? (
            <>
              <h3>Imported with warnings</h3>
              <ul className="reason-list">
                {preview.warnings.map((w) => (
                  <li key={w.alias}>
                    <strong>{w.alias}</strong> <span className="muted">{w.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {preview.skip.length > 0 ? (
            <>
              <h3>Skipped</h3>
              <ul className="reason-list">
                {preview.skip.map((s) => (
                  <li key={s.alias}>
                    <strong>{s.alias}</strong> <span className="muted">{s.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {result ? 'Done' : 'Cancel'}
        </button>
        {preview ? (
          <button
            type="button"
            className="button primary"
            disabled={busy || chosen.size === 0}
            onClick={() => void onImport()}
          >
            Import {chosen.size} {chosen.size === 1 ? 'host' : 'hosts'}
          </button>
        ) : null}
      </div>
    </Dialog>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { TrustedHostKey } from '../../../../shared/contract/host-keys.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { PathField } from '../../../ui/PathField';
import { knownHostsSummary } from '../known-hosts-summary';
import '../vault.css';

const SOURCE: Record<TrustedHostKey['source'], string> = {
  'first-use': 'trusted on first use',
  replaced: 'replaced after a change',
  known_hosts: 'imported from known_hosts',
};
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Trusted SSH host keys (kept in the vault): list, forget one, import ~/.ssh/known_hosts. */
export function KnownHostsTab(): React.JSX.Element {
  const [keys, setKeys] = useState<TrustedHostKey[] | null>(null);
  const [forget, setForget] = useState<TrustedHostKey | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<{ line: number; reason: string }[]>([]);
  const [file, setFile] = useState('~/.ssh/known_hosts');
  const load = useCallback(async () => setKeys(await client.call('hostKeys.list', {})), []);
  useEffect(() => {
    client
      .call('hostKeys.list', {})
      .then(setKeys)
      .catch(() => undefined);
  }, []);
  const importKnownHosts = async (): Promise<void> => {
    setNote(null);
    setSkipped([]);
    try {
      const input = file.trim() ? { path: file.trim() } : {};
      const r = await client.call('hostKeys.importKnownHosts', input, { expected: 'all' });
      setNote(knownHostsSummary(r));
      setSkipped(r.skipped);
      await load();
    } catch (e) {
      setNote(errorMessage(e));
    }
  };
  return (
    <div>
      <div className="toolbar">
        <p className="muted">
          Keys you trusted. A server presenting another key is refused with a warning until you replace it.
        </p>
      </div>
      <form
        className="known-hosts-import"
        aria-label="Import known_hosts"
        onSubmit={(e) => (e.preventDefault(), void importKnownHosts())}
      >
        <PathField
          label="known_hosts file"
          mode="open"
          value={file}
          placeholder="~/.ssh/known_hosts"
          dialog={{ title: 'Import a known_hosts file', defaultPath: '~/.ssh/known_hosts' }}
          onChange={setFile}
          trailing={
            <button type="submit" className="button">
              {file.trim() === '~/.ssh/known_hosts' ? 'Import ~/.ssh/known_hosts' : 'Import'}
            </button>
          }
        />
      </form>
      {note ? (
        <p className="muted" role="status" data-testid="known-hosts-result">
          {note}
        </p>
      ) : null}
      {skipped.length > 0 ? (
        <ul className="reason-list" aria-label="Skipped known_hosts lines">
          {skipped.map((x) => (
            <li key={`${x.line}-${x.reason}`}>
              <strong>Line {x.line}</strong> <span className="muted">{x.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {keys === null ? (
        <p className="muted">Loading…</p>
      ) : keys.length === 0 ? (
        <p className="muted">No trusted host keys yet: they are added when you trust a server at first connection.</p>
      ) : (
        <table className="table" aria-label="Trusted host keys">
          <thead>
            <tr>
              <th>Host</th>
              <th>Key</th>
              <th>Source</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="host-key-row">
                <td className="mono">{k.port === 22 ? k.host : `[${k.host}]:${k.port}`}</td>
                <td>
                  <div className="muted">{k.keyType}</div>
                  <code>{k.fingerprint}</code>
                </td>
                <td>{SOURCE[k.source]}</td>
                <td>{when.format(k.addedAt)}</td>
                <td>
                  <button type="button" className="button small ghost" onClick={() => setForget(k)}>
                    Forget
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {forget ? (
        <ConfirmDialog
          title={`Forget the key of ${forget.host}?`}
          confirmLabel="Forget key"
          danger
          onClose={() => setForget(null)}
          onConfirm={async () => {
            await client.call('hostKeys.remove', { id: forget.id });
            await load();
          }}
        >
          <p>The next connection to {forget.host} asks you to check its fingerprint again.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

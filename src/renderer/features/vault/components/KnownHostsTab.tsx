import { useCallback, useEffect, useState } from 'react';
import type { TrustedHostKey } from '../../../../shared/contract/ssh.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
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
  const load = useCallback(async () => setKeys(await client.call('hostKeys.list', {})), []);
  useEffect(() => {
    client
      .call('hostKeys.list', {})
      .then(setKeys)
      .catch(() => undefined);
  }, []);
  const importKnownHosts = async (): Promise<void> => {
    setNote(null);
    try {
      const r = await client.call('hostKeys.importKnownHosts', {}, { expected: ['NOT_FOUND', 'VALIDATION'] });
      setNote(
        `Imported ${r.imported}, already trusted ${r.alreadyTrusted}, hashed ${r.hashed}` +
          (r.skipped.length ? `, skipped ${r.skipped.length} line(s)` : '') +
          '.',
      );
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
        <button type="button" className="button" onClick={() => void importKnownHosts()}>
          Import ~/.ssh/known_hosts
        </button>
      </div>
      {note ? (
        <p className="muted" role="status">
          {note}
        </p>
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

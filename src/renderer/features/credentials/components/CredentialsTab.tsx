import { useEffect, useMemo, useState } from 'react';
import type { CredentialSummary } from '../../../../shared/contract/inventory.contract';
import { useStore } from '../../../store';
import { KIND_LABELS } from '../kinds';
import { CredentialEditor } from './CredentialEditor';
import { DeleteCredentialDialog } from './DeleteCredentialDialog';
import { PublicKeyDialog } from './PublicKeyDialog';
import { SecretCell } from './SecretCell';
import '../credentials.css';
import { plural } from '../../../lib/plural';

type Open = { kind: 'new' } | { kind: 'edit' | 'delete' | 'pubkey'; credential: CredentialSummary } | null;

/** Every credential (masked), with reveal/copy, public keys, edit and delete. */
export function CredentialsTab(): React.JSX.Element {
  const credentials = useStore((s) => s.credentials);
  const loaded = useStore((s) => s.credentialsLoaded);
  const loadCredentials = useStore((s) => s.loadCredentials);
  const loadServers = useStore((s) => s.loadServers);
  const [open, setOpen] = useState<Open>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    loadCredentials().catch(() => undefined);
    loadServers().catch(() => undefined); // names for "used by"
  }, [loadCredentials, loadServers]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q
      ? credentials.filter((c) =>
          [c.name, c.username ?? '', c.notes, KIND_LABELS[c.kind]].some((v) => v.toLowerCase().includes(q)),
        )
      : credentials;
  }, [credentials, query]);

  return (
    <div>
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="cred-search">
          Search credentials
        </label>
        <input
          id="cred-search"
          className="input"
          type="search"
          placeholder="Search credentials…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="muted" aria-live="polite">
          {loaded ? `${shown.length} of ${credentials.length}` : 'Loading…'}
        </span>
        <button type="button" className="button primary toolbar-end" onClick={() => setOpen({ kind: 'new' })}>
          New credential
        </button>
      </div>
      {loaded && credentials.length === 0 ? (
        <div className="empty-card">
          <h2>No credentials yet</h2>
          <p className="muted">
            Store passwords, API tokens and logins, or generate an SSH key: servers then pick them by name.
          </p>
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
            Add the first credential
          </button>
        </div>
      ) : (
        <ul className="cred-list" aria-label="Credentials">
          {shown.map((c) => (
            <li key={c.id} className="cred-row" data-testid="credential-row" data-name={c.name}>
              <div className="cred-main">
                <div className="cred-title">
                  <strong>{c.name}</strong>
                  <span className="badge">{KIND_LABELS[c.kind]}</span>
                  {c.usedBy.length > 0 ? (
                    <span className="badge ok">used by {plural(c.usedBy.length, 'server')}</span>
                  ) : null}
                </div>
                <div className="cred-sub muted">
                  {c.kind === 'ssh-key' ? (
                    <code>{c.fingerprint ?? c.keyType}</code>
                  ) : c.username ? (
                    <span>{c.username}</span>
                  ) : (
                    <span>no user name</span>
                  )}
                </div>
                <SecretCell credential={c} />
              </div>
              <div className="cred-actions">
                {c.kind === 'ssh-key' ? (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setOpen({ kind: 'pubkey', credential: c })}
                  >
                    Public key
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button small"
                  aria-label={`Edit ${c.name}`}
                  onClick={() => setOpen({ kind: 'edit', credential: c })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Delete ${c.name}`}
                  onClick={() => setOpen({ kind: 'delete', credential: c })}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {open?.kind === 'new' ? <CredentialEditor onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'edit' ? <CredentialEditor editing={open.credential} onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'delete' ? (
        <DeleteCredentialDialog credential={open.credential} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'pubkey' ? <PublicKeyDialog credential={open.credential} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

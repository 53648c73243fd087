import type { Server } from '../../../../shared/contract/inventory.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { useStore } from '../../../store';
import { connectServer } from '../../terminal';
import '../servers.css';

interface ServerListProps {
  readonly servers: readonly Server[];
  /** Every server, to name jump hosts that the filter hides. */
  readonly all: readonly Server[];
  readonly onEdit: (server: Server) => void;
  readonly onDelete: (server: Server) => void;
}

const AUTH_LABELS: Record<Server['auth'], string> = {
  password: 'password',
  key: 'key',
  agent: 'agent',
  'keyboard-interactive': 'keyboard-interactive',
};

/** Servers grouped by their group (ungrouped last), each with address, auth, tags, jump chain and panels. */
export function ServerList({ servers, all, onEdit, onDelete }: ServerListProps): React.JSX.Element {
  const credentials = useStore((s) => s.credentials);
  const groups = new Map<string, Server[]>();
  for (const s of servers) {
    const key = s.group?.trim() || '';
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  const nameOf = (id: string): string => all.find((s) => s.id === id)?.name ?? 'unknown';

  return (
    <div className="server-groups">
      {ordered.map(([group, list]) => (
        <section key={group || '—'} className="server-group" aria-label={group || 'Ungrouped'}>
          <h2 className="group-title">
            {group || 'Ungrouped'} <span className="muted">{list.length}</span>
          </h2>
          <ul className="server-list">
            {list.map((s) => {
              const cred = credentials.find((c) => c.id === s.credentialId);
              return (
                <li key={s.id} className="server-row" data-testid="server-row" data-name={s.name}>
                  <button type="button" className="server-open" onClick={() => onEdit(s)} aria-label={`Edit ${s.name}`}>
                    <span className="server-name" title={s.name}>
                      {s.name}
                    </span>
                    <span className="server-addr">
                      {s.user}@{s.host}
                      {s.port === 22 ? '' : `:${s.port}`}
                    </span>
                  </button>
                  <div className="server-meta">
                    <span className="badge" title="Authentication">
                      {AUTH_LABELS[s.auth]}
                      {cred ? ` · ${cred.name}` : ''}
                    </span>
                    {s.jumpHostIds.length > 0 ? (
                      <span className="badge" title="Jump hosts">
                        via {s.jumpHostIds.map(nameOf).join(' → ')}
                      </span>
                    ) : null}
                    {s.panels.map((p, i) => (
                      <span
                        key={`${p.kind}-${p.endpoint ?? i}`}
                        className="badge ok"
                        title={p.endpoint ?? "Over this server's SSH login"}
                      >
                        {panelKindLabel(p.kind)}
                      </span>
                    ))}
                    {s.tags.map((t) => (
                      <span key={t} className="chip static">
                        #{t}
                      </span>
                    ))}
                  </div>
                  <button
                    type="button"
                    className="button small primary row-connect"
                    onClick={() => connectServer(s.id)}
                    aria-label={`Connect to ${s.name}`}
                  >
                    Connect
                  </button>
                  <button
                    type="button"
                    className="button small ghost row-delete"
                    onClick={() => onDelete(s)}
                    aria-label={`Delete ${s.name}`}
                  >
                    Delete
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}

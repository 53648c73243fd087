import type { Database, DatabaseUser } from '../../../../shared/contract/databases.contract';
import { ENGINE_LABEL, formatSize, grantSummary, userLabel } from '../database-view';
import type { DatabaseProblem } from '../slice';

interface DatabasesTableProps {
  readonly databases: readonly Database[];
  readonly problems: readonly DatabaseProblem[];
  readonly serverName: (id: string) => string;
  readonly onDelete: (db: Database) => void;
}

/**
 * The fleet-wide databases table. A server that could not be read is a row of its own saying why, so a missing
 * server never looks like a server without databases.
 */
export function DatabasesTable({ databases, problems, serverName, onDelete }: DatabasesTableProps): React.JSX.Element {
  return (
    <div className="databases-table-wrap">
      <table className="table databases-table" aria-label="Databases">
        <thead>
          <tr>
            <th scope="col">Database</th>
            <th scope="col">Server</th>
            <th scope="col">Engine</th>
            <th scope="col">Size</th>
            <th scope="col">Users</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={`problem-${p.serverId}`} className="database-problem" data-testid="database-problem">
              <td colSpan={6}>
                <span className="badge danger">Not read</span> <strong>{serverName(p.serverId)}</strong>: {p.message}
              </td>
            </tr>
          ))}
          {databases.map((d) => (
            <tr key={`${d.serverId}/${d.engine}/${d.name}`} data-testid="database-row" data-name={d.name}>
              <td>
                <div className="database-name">{d.name}</div>
                {d.charset || d.collation ? (
                  <div className="muted database-meta">{[d.charset, d.collation].filter(Boolean).join(' · ')}</div>
                ) : null}
              </td>
              <td>{serverName(d.serverId)}</td>
              <td>{ENGINE_LABEL[d.engine]}</td>
              <td className="database-size">{formatSize(d.sizeBytes)}</td>
              <td className="database-users">
                {d.owner ? <span className="muted">owner {d.owner}</span> : null}
                {d.owner && d.users.length > 0 ? <span className="muted"> · </span> : null}
                {d.users.length > 0 ? d.users.join(', ') : d.owner ? null : <span className="muted">none</span>}
              </td>
              <td className="database-actions">
                <button
                  type="button"
                  className="button small ghost"
                  onClick={() => onDelete(d)}
                  aria-label={`Delete database ${d.name}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface UsersTableProps {
  readonly users: readonly DatabaseUser[];
  readonly serverName: (id: string) => string;
  readonly onRotate: (user: DatabaseUser) => void;
  readonly onDelete: (user: DatabaseUser) => void;
}

/** The fleet-wide database users table, each with its grants; superusers cannot be deleted from here. */
export function DatabaseUsersTable({ users, serverName, onRotate, onDelete }: UsersTableProps): React.JSX.Element {
  return (
    <div className="databases-table-wrap">
      <table className="table databases-table" aria-label="Database users">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Server</th>
            <th scope="col">Engine</th>
            <th scope="col">Grants</th>
            <th scope="col">Password</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={`${u.serverId}/${u.engine}/${userLabel(u)}`} data-testid="database-user-row" data-name={u.name}>
              <td className="database-name">{userLabel(u)}</td>
              <td>{serverName(u.serverId)}</td>
              <td>{ENGINE_LABEL[u.engine]}</td>
              <td className="database-grants">
                {u.superuser ? <span className="badge warn">Superuser</span> : null} {grantSummary(u)}
              </td>
              <td>
                {u.credentialId ? <span className="badge ok">In the vault</span> : <span className="muted">—</span>}
              </td>
              <td className="database-actions">
                <button
                  type="button"
                  className="button small"
                  onClick={() => onRotate(u)}
                  aria-label={`Change the password of ${userLabel(u)}`}
                >
                  Rotate password
                </button>
                {u.superuser ? null : (
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => onDelete(u)}
                    aria-label={`Delete user ${userLabel(u)}`}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

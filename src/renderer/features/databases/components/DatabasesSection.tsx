import { useEffect, useState } from 'react';
import type { DatabaseUser } from '../../../../shared/contract/databases.contract';
import { client } from '../../../lib/client';
import { plural } from '../../../lib/plural';
import { useStore } from '../../../store';
import { filterDatabases, filterUsers } from '../database-view';
import { CreateDatabaseDialog } from './CreateDatabaseDialog';
import { DatabaseFilters } from './DatabaseFilters';
import { DatabasesTable, DatabaseUsersTable } from './DatabasesTable';
import { DeleteDatabaseDialog, type DeleteTarget } from './DeleteDatabaseDialog';
import { RotatePasswordDialog } from './RotatePasswordDialog';
import '../databases.css';

type Open =
  { kind: 'create' } | { kind: 'delete'; target: DeleteTarget } | { kind: 'rotate'; user: DatabaseUser } | null;

const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

/**
 * The Databases section: every MariaDB/MySQL and PostgreSQL database and user on every server, read live, with
 * filters, the per-server view (the server filter), and create / rotate password / delete through previewed
 * plans. The lists reload when a database operation ends.
 */
export function DatabasesSection(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const serversLoaded = useStore((s) => s.serversLoaded);
  const databases = useStore((s) => s.databases);
  const users = useStore((s) => s.databaseUsers);
  const problems = useStore((s) => s.databaseProblems);
  const loaded = useStore((s) => s.databasesLoaded);
  const loading = useStore((s) => s.databasesLoading);
  const filter = useStore((s) => s.databaseFilter);
  const loadServers = useStore((s) => s.loadServers);
  const loadDatabases = useStore((s) => s.loadDatabases);
  const setSection = useStore((s) => s.setSection);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    loadServers().catch(() => undefined);
    loadDatabases().catch(() => undefined);
  }, [loadServers, loadDatabases]);

  useEffect(
    () =>
      client.on('operations.changed', (op) => {
        if (op.kind.startsWith('database.') && FINAL.has(op.state)) loadDatabases().catch(() => undefined);
      }),
    [loadDatabases],
  );

  const serverName = (id: string): string => servers.find((s) => s.id === id)?.name ?? 'Removed server';
  const visible = filterDatabases(databases, filter);
  const visibleUsers = filterUsers(users, filter);
  const visibleProblems = problems.filter((p) => filter.serverId === '' || p.serverId === filter.serverId);
  const filtered = Boolean(filter.query.trim() || filter.serverId || filter.engine);
  const close = (): void => setOpen(null);
  const noServers = serversLoaded && servers.length === 0;

  return (
    <section className="databases-section" aria-labelledby="databases-title">
      <div className="section-header">
        <h1 id="databases-title">Databases</h1>
        <button
          type="button"
          className="button"
          disabled={loading || noServers}
          onClick={() => void loadDatabases().catch(() => undefined)}
        >
          {loading ? 'Reading servers…' : 'Refresh'}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={noServers}
          onClick={() => setOpen({ kind: 'create' })}
        >
          Create database
        </button>
      </div>
      {noServers ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>Add a server first</h2>
          <p className="muted">
            Databases live on your servers. Add a Linux server running MariaDB, MySQL or PostgreSQL (SSH as root, or a
            user with password-less sudo), then come back to list its databases and create new ones.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setSection('servers')}>
              Go to Servers
            </button>
          </div>
        </div>
      ) : loaded && databases.length === 0 && users.length === 0 && problems.length === 0 ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>No databases on your servers yet</h2>
          <p className="muted">
            None of your servers runs a database PanelDeck can read, or they hold no databases of their own yet. Create
            a database with its user: you review every command before it runs, and the password goes into the vault.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })}>
              Create database
            </button>
          </div>
        </div>
      ) : (
        <>
          <DatabaseFilters />
          <p className="muted list-count" aria-live="polite" data-testid="databases-count">
            {!loaded
              ? 'Reading the databases of every server…'
              : filtered
                ? `${visible.length} of ${plural(databases.length, 'database')} and ${visibleUsers.length} of ${plural(users.length, 'user')} match`
                : `${plural(databases.length, 'database')} · ${plural(users.length, 'user')}`}
            {loaded && problems.length > 0 ? ` · ${plural(problems.length, 'server')} could not be read` : null}
          </p>
          {loaded ? (
            <>
              <h2 className="databases-subtitle">Databases</h2>
              {visible.length === 0 && visibleProblems.length === 0 ? (
                <p className="muted no-match">
                  {filtered ? 'No database matches these filters.' : 'No databases yet.'}
                </p>
              ) : (
                <DatabasesTable
                  databases={visible}
                  problems={visibleProblems}
                  serverName={serverName}
                  onDelete={(database) => setOpen({ kind: 'delete', target: { kind: 'database', database } })}
                />
              )}
              <h2 className="databases-subtitle">Users</h2>
              {visibleUsers.length === 0 ? (
                <p className="muted no-match">{filtered ? 'No user matches these filters.' : 'No users yet.'}</p>
              ) : (
                <DatabaseUsersTable
                  users={visibleUsers}
                  serverName={serverName}
                  onRotate={(user) => setOpen({ kind: 'rotate', user })}
                  onDelete={(user) => setOpen({ kind: 'delete', target: { kind: 'user', user } })}
                />
              )}
            </>
          ) : null}
        </>
      )}
      {open?.kind === 'create' ? (
        <CreateDatabaseDialog {...(filter.serverId ? { serverId: filter.serverId } : {})} onClose={close} />
      ) : null}
      {open?.kind === 'delete' ? (
        <DeleteDatabaseDialog
          target={open.target}
          serverName={serverName(
            open.target.kind === 'database' ? open.target.database.serverId : open.target.user.serverId,
          )}
          onClose={close}
        />
      ) : null}
      {open?.kind === 'rotate' ? (
        <RotatePasswordDialog user={open.user} serverName={serverName(open.user.serverId)} onClose={close} />
      ) : null}
    </section>
  );
}

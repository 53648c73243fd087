import { useEffect, useState } from 'react';
import type { Server } from '../../../../shared/contract/inventory.contract';
import { client } from '../../../lib/client';
import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { ServerEditor } from './ServerEditor';
import { ServerFilters } from './ServerFilters';
import { ServerList } from './ServerList';
import { SshConfigImportDialog } from './SshConfigImportDialog';
import '../servers.css';
import { plural } from '../../../lib/plural';

type Open = { kind: 'new' } | { kind: 'edit' | 'delete'; server: Server } | { kind: 'import' } | null;

/** The Servers section: filters, the grouped list, and the editor / delete / ~/.ssh/config import dialogs. */
export function ServersSection(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const visible = useStore((s) => s.visibleServers);
  const loaded = useStore((s) => s.serversLoaded);
  const filter = useStore((s) => s.serverFilter);
  const loadServers = useStore((s) => s.loadServers);
  const loadCredentials = useStore((s) => s.loadCredentials);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    loadServers().catch(() => undefined);
    loadCredentials().catch(() => undefined); // for the credential pickers
  }, [loadServers, loadCredentials]);

  const filtered = Boolean(filter.query.trim() || filter.tag || filter.group);
  const close = (): void => setOpen(null);

  return (
    <section className="servers-section" aria-labelledby="servers-title">
      <div className="section-header">
        <h1 id="servers-title">Servers</h1>
        <button type="button" className="button" onClick={() => setOpen({ kind: 'import' })}>
          Import ~/.ssh/config
        </button>
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
          Add server
        </button>
      </div>
      {loaded && servers.length === 0 ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ▤
          </div>
          <h2>No servers yet</h2>
          <p className="muted">
            Add a server by hand, or import the hosts you already have in ~/.ssh/config. Group and tag them to find them
            fast.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'new' })}>
              Add a server
            </button>
            <button type="button" className="button" onClick={() => setOpen({ kind: 'import' })}>
              Import ~/.ssh/config
            </button>
          </div>
        </div>
      ) : (
        <>
          <ServerFilters />
          <p className="muted list-count" aria-live="polite" data-testid="servers-count">
            {!loaded
              ? 'Loading…'
              : filtered
                ? `${visible.length} of ${plural(servers.length, 'server')} match`
                : plural(servers.length, 'server')}
          </p>
          {loaded && visible.length === 0 ? (
            <p className="muted no-match">No server matches these filters.</p>
          ) : (
            <ServerList
              servers={visible}
              all={servers}
              onEdit={(server) => setOpen({ kind: 'edit', server })}
              onDelete={(server) => setOpen({ kind: 'delete', server })}
            />
          )}
        </>
      )}
      {open?.kind === 'new' ? <ServerEditor onClose={close} /> : null}
      {open?.kind === 'edit' ? <ServerEditor editing={open.server} onClose={close} /> : null}
      {open?.kind === 'import' ? <SshConfigImportDialog onClose={close} /> : null}
      {open?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${open.server.name}?`}
          confirmLabel="Delete server"
          danger
          onClose={close}
          onConfirm={async () => {
            await client.call('servers.delete', { id: open.server.id });
            await loadServers();
          }}
        >
          <p>
            The server <strong>{open.server.name}</strong> ({open.server.user}@{open.server.host}) is removed from the
            vault. Its credentials stay.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

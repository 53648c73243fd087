import { useEffect, useState } from 'react';
import type { Site } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { plural } from '../../../lib/plural';
import { useStore } from '../../../store';
import { filterSites } from '../slice';
import { CreateSiteDialog } from './CreateSiteDialog';
import { DeleteSiteDialog } from './DeleteSiteDialog';
import { SiteFilters } from './SiteFilters';
import { SitesTable } from './SitesTable';
import { ToggleSiteDialog } from './ToggleSiteDialog';
import '../sites.css';

type Open = { kind: 'create' } | { kind: 'delete' | 'toggle'; site: Site } | null;

const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

/**
 * The Sites section: every site on every server, read live from each server's nginx configuration (hand-made
 * ones too), with filters, the per-server view (the server filter), and create / enable / disable / delete
 * through previewed plans. The list reloads when a site operation ends.
 */
export function SitesSection(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const serversLoaded = useStore((s) => s.serversLoaded);
  const sites = useStore((s) => s.sites);
  const problems = useStore((s) => s.siteProblems);
  const loaded = useStore((s) => s.sitesLoaded);
  const loading = useStore((s) => s.sitesLoading);
  const filter = useStore((s) => s.siteFilter);
  const loadServers = useStore((s) => s.loadServers);
  const loadSites = useStore((s) => s.loadSites);
  const panels = useStore((s) => s.panels);
  const panelsLoaded = useStore((s) => s.panelsLoaded);
  const loadPanels = useStore((s) => s.loadPanels);
  const setSection = useStore((s) => s.setSection);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    loadServers().catch(() => undefined);
    loadPanels().catch(() => undefined);
    loadSites().catch(() => undefined);
  }, [loadServers, loadPanels, loadSites]);

  useEffect(
    () =>
      client.on('operations.changed', (op) => {
        if (op.kind.startsWith('site.') && FINAL.has(op.state)) loadSites().catch(() => undefined);
      }),
    [loadSites],
  );

  // A panel account's id stands where a server id does (issue 10): its rows show the panel's name.
  const serverName = (id: string): string =>
    servers.find((s) => s.id === id)?.name ?? panels.find((p) => p.id === id)?.name ?? 'Removed server';
  const visible = filterSites(sites, filter);
  const visibleProblems = problems.filter((p) => filter.serverId === '' || p.serverId === filter.serverId);
  const filtered = Boolean(filter.query.trim() || filter.serverId || filter.kind);
  const close = (): void => setOpen(null);
  const noServers = serversLoaded && panelsLoaded && servers.length === 0 && panels.length === 0;

  return (
    <section className="sites-section" aria-labelledby="sites-title">
      <div className="section-header">
        <h1 id="sites-title">Sites</h1>
        <button
          type="button"
          className="button"
          disabled={loading || noServers}
          onClick={() => void loadSites().catch(() => undefined)}
        >
          {loading ? 'Reading servers…' : 'Refresh'}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={noServers}
          onClick={() => setOpen({ kind: 'create' })}
        >
          Create site
        </button>
      </div>
      {noServers ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>Add a server or a panel first</h2>
          <p className="muted">
            Sites live on your servers and hosting panels. Add a Linux server with nginx (SSH as root, or a user with
            password-less sudo) or a panel such as CloudPanel, then come back to list its sites and create new ones.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setSection('servers')}>
              Go to Servers
            </button>
            <button type="button" className="button" onClick={() => setSection('panels')}>
              Go to Panels
            </button>
          </div>
        </div>
      ) : loaded && sites.length === 0 && problems.length === 0 ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>No sites on your servers yet</h2>
          <p className="muted">
            None of your servers&apos; nginx configurations serves a site. Create a static, PHP or reverse-proxy site:
            you review every command and file change before it runs.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })}>
              Create site
            </button>
          </div>
        </div>
      ) : (
        <>
          <SiteFilters />
          <p className="muted list-count" aria-live="polite" data-testid="sites-count">
            {!loaded
              ? 'Reading the sites of every server…'
              : filtered
                ? `${visible.length} of ${plural(sites.length, 'site')} match`
                : plural(sites.length, 'site')}
            {loaded && problems.length > 0 ? ` · ${plural(problems.length, 'server')} could not be read` : null}
          </p>
          {loaded && visible.length === 0 && visibleProblems.length === 0 ? (
            <p className="muted no-match">No site matches these filters.</p>
          ) : loaded ? (
            <SitesTable
              sites={visible}
              problems={visibleProblems}
              serverName={serverName}
              onToggle={(site) => setOpen({ kind: 'toggle', site })}
              onDelete={(site) => setOpen({ kind: 'delete', site })}
            />
          ) : null}
        </>
      )}
      {open?.kind === 'create' ? (
        <CreateSiteDialog {...(filter.serverId ? { serverId: filter.serverId } : {})} onClose={close} />
      ) : null}
      {open?.kind === 'delete' ? (
        <DeleteSiteDialog site={open.site} serverName={serverName(open.site.serverId)} onClose={close} />
      ) : null}
      {open?.kind === 'toggle' ? <ToggleSiteDialog site={open.site} onClose={close} /> : null}
    </section>
  );
}

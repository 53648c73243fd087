import type { DriverKind } from '../../../../shared/contract/inventory.contract';
import type { SiteKind } from '../../../../shared/contract/sites.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { useStore } from '../../../store';

/** What each kind reads as in the table and the filter. */
export const KIND_LABEL: Record<SiteKind, string> = {
  static: 'Static',
  php: 'PHP',
  proxy: 'Reverse proxy',
  other: 'Other',
};

/** Where a site's configuration lives, in words: the panel's kind, or nginx edited over SSH. */
export function sourceLabel(source: DriverKind): string {
  return source === 'linux-ssh' ? 'nginx over SSH' : panelKindLabel(source);
}

/** Search plus server and kind menus; choosing a server is the per-server view. */
export function SiteFilters(): React.JSX.Element {
  const filter = useStore((s) => s.siteFilter);
  const servers = useStore((s) => s.servers);
  const panels = useStore((s) => s.panels);
  const setFilter = useStore((s) => s.setSiteFilter);
  const active = Boolean(filter.query || filter.serverId || filter.kind);
  return (
    <div className="toolbar" role="search" aria-label="Filter sites">
      <label className="visually-hidden" htmlFor="site-search">
        Search sites
      </label>
      <input
        id="site-search"
        className="input search"
        type="search"
        placeholder="Search domain, alias, root, upstream…"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <label className="visually-hidden" htmlFor="site-server">
        Server
      </label>
      <select
        id="site-server"
        className="select"
        value={filter.serverId}
        onChange={(e) => setFilter({ serverId: e.target.value })}
      >
        <option value="">All servers and panels</option>
        <optgroup label="Servers">
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </optgroup>
        {panels.length > 0 ? (
          <optgroup label="Panels">
            {panels.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <label className="visually-hidden" htmlFor="site-kind">
        Kind
      </label>
      <select
        id="site-kind"
        className="select"
        value={filter.kind}
        onChange={(e) => setFilter({ kind: e.target.value as SiteKind | '' })}
      >
        <option value="">All kinds</option>
        {(Object.keys(KIND_LABEL) as SiteKind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </select>
      {active ? (
        <button type="button" className="button ghost" onClick={() => setFilter({ query: '', serverId: '', kind: '' })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

import { useStore } from '../../../store';
import '../servers.css';

/** Free-text search plus tag and group menus (from inventory.facets); the core does the filtering. */
export function ServerFilters(): React.JSX.Element {
  const filter = useStore((s) => s.serverFilter);
  const facets = useStore((s) => s.facets);
  const setFilter = useStore((s) => s.setServerFilter);
  const active = Boolean(filter.query || filter.tag || filter.group);
  return (
    <div className="toolbar" role="search" aria-label="Filter servers">
      <label className="visually-hidden" htmlFor="server-search">
        Search servers
      </label>
      <input
        id="server-search"
        className="input search"
        type="search"
        placeholder="Search name, host, user, notes…"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <label className="visually-hidden" htmlFor="server-tag">
        Tag
      </label>
      <select
        id="server-tag"
        className="select"
        value={filter.tag}
        onChange={(e) => setFilter({ tag: e.target.value })}
      >
        <option value="">All tags</option>
        {facets.tags.map((t) => (
          <option key={t.name} value={t.name}>
            #{t.name} ({t.count})
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="server-group">
        Group
      </label>
      <select
        id="server-group"
        className="select"
        value={filter.group}
        onChange={(e) => setFilter({ group: e.target.value })}
      >
        <option value="">All groups</option>
        {facets.groups.map((g) => (
          <option key={g.name} value={g.name}>
            {g.name} ({g.count})
          </option>
        ))}
      </select>
      {active ? (
        <button type="button" className="button ghost" onClick={() => setFilter({ query: '', tag: '', group: '' })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

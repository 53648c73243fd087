import type { DbEngine } from '../../../../shared/remote-names';
import { useStore } from '../../../store';
import { ENGINE_LABEL } from '../database-view';

/** Search plus server and engine menus; choosing a server is the per-server view. */
export function DatabaseFilters(): React.JSX.Element {
  const filter = useStore((s) => s.databaseFilter);
  const servers = useStore((s) => s.servers);
  const setFilter = useStore((s) => s.setDatabaseFilter);
  const active = Boolean(filter.query || filter.serverId || filter.engine);
  return (
    <div className="toolbar" role="search" aria-label="Filter databases">
      <label className="visually-hidden" htmlFor="database-search">
        Search databases
      </label>
      <input
        id="database-search"
        className="input search"
        type="search"
        placeholder="Search database, user, owner…"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <label className="visually-hidden" htmlFor="database-server">
        Server
      </label>
      <select
        id="database-server"
        className="select"
        value={filter.serverId}
        onChange={(e) => setFilter({ serverId: e.target.value })}
      >
        <option value="">All servers</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="database-engine">
        Engine
      </label>
      <select
        id="database-engine"
        className="select"
        value={filter.engine}
        onChange={(e) => setFilter({ engine: e.target.value as DbEngine | '' })}
      >
        <option value="">All engines</option>
        {(Object.keys(ENGINE_LABEL) as DbEngine[]).map((k) => (
          <option key={k} value={k}>
            {ENGINE_LABEL[k]}
          </option>
        ))}
      </select>
      {active ? (
        <button
          type="button"
          className="button ghost"
          onClick={() => setFilter({ query: '', serverId: '', engine: '' })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

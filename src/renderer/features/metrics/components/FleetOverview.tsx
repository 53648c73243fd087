import { useCallback, useEffect, useMemo } from 'react';
import { plural } from '../../../lib/plural';
import { useStore } from '../../../store';
import { fleetRows, viewRows, type FleetSortKey } from '../fleet-view';
import type { CollectState } from '../metrics-types';
import { FleetRow } from './FleetRow';
import { MetricsSettingsControl } from './MetricsSettingsControl';
import { VirtualRows } from './VirtualRows';

const ROW_HEIGHT = 44;

const COLUMNS: readonly { key: FleetSortKey; label: string }[] = [
  { key: 'name', label: 'Server' },
  { key: 'state', label: 'State' },
  { key: 'cpu', label: 'CPU' },
  { key: 'memory', label: 'Memory' },
  { key: 'disk', label: 'Disk /' },
];

/**
 * Every server at a glance: its collection state, CPU and memory now with their last 30 minutes as sparklines,
 * root disk use and load; sortable by each figure, filtered by tag, group or name, in windowed rows so a fleet of
 * a thousand scrolls as lightly as ten. Refreshed every collection interval while shown.
 */
export function FleetOverview(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const serversLoaded = useStore((s) => s.serversLoaded);
  const facets = useStore((s) => s.facets);
  const fleet = useStore((s) => s.fleet);
  const fleetLoaded = useStore((s) => s.fleetLoaded);
  const collectStates = useStore((s) => s.collectStates);
  const view = useStore((s) => s.fleetView);
  const setView = useStore((s) => s.setFleetView);
  const openMetrics = useStore((s) => s.openMetrics);
  const intervalSec = useStore((s) => s.metricsSettings?.intervalSec ?? 5);

  useEffect(() => {
    const load = (): void =>
      void useStore
        .getState()
        .loadFleet()
        .catch(() => undefined);
    load();
    const timer = window.setInterval(load, Math.max(5, intervalSec) * 1000);
    return () => window.clearInterval(timer);
  }, [intervalSec]);

  const states = useMemo(() => {
    const out: Record<string, CollectState> = {};
    for (const [id, s] of Object.entries(collectStates)) out[id] = s.state;
    return out;
  }, [collectStates]);
  const rows = useMemo(() => viewRows(fleetRows(servers, fleet, states), view), [servers, fleet, states, view]);
  const onOpen = useCallback((serverId: string) => openMetrics({ kind: 'server', serverId }), [openMetrics]);
  const sortBy = (key: FleetSortKey): void =>
    setView(view.sort === key ? { desc: !view.desc } : { sort: key, desc: key !== 'name' && key !== 'state' });
  const counts = rows.reduce<Record<string, number>>((c, r) => ({ ...c, [r.state]: (c[r.state] ?? 0) + 1 }), {});
  const filtered = Boolean(view.query.trim() || view.tag || view.group);

  return (
    <div className="fleet">
      <div className="toolbar" role="search" aria-label="Filter servers">
        <input
          className="input search"
          type="search"
          aria-label="Search servers"
          placeholder="Search name or host…"
          value={view.query}
          onChange={(e) => setView({ query: e.target.value })}
        />
        <select className="select" aria-label="Tag" value={view.tag} onChange={(e) => setView({ tag: e.target.value })}>
          <option value="">All tags</option>
          {facets.tags.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.count})
            </option>
          ))}
        </select>
        <select
          className="select"
          aria-label="Group"
          value={view.group}
          onChange={(e) => setView({ group: e.target.value })}
        >
          <option value="">All groups</option>
          {facets.groups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name} ({g.count})
            </option>
          ))}
        </select>
        <span className="metrics-spacer" />
        <MetricsSettingsControl />
      </div>
      <p className="muted list-count" aria-live="polite" data-testid="fleet-count">
        {!serversLoaded || !fleetLoaded
          ? 'Reading the fleet…'
          : filtered
            ? `${rows.length} of ${plural(servers.length, 'server')} match`
            : plural(servers.length, 'server')}
        {Object.entries(counts)
          .filter(([state]) => state !== 'off')
          .map(([state, n]) => ` · ${n} ${state.replace('_', ' ')}`)
          .join('')}
      </p>
      <div className="fleet-table" role="table" aria-label="Fleet" aria-rowcount={rows.length + 1}>
        <div className="fleet-row fleet-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={`fleet-cell fleet-${c.key === 'name' ? 'name' : c.key === 'state' ? 'state' : 'figure'}`}
              aria-sort={view.sort === c.key ? (view.desc ? 'descending' : 'ascending') : 'none'}
            >
              <button type="button" className="metrics-link" onClick={() => sortBy(c.key)}>
                {c.label}
                {view.sort === c.key ? (view.desc ? ' ▾' : ' ▴') : ''}
              </button>
            </div>
          ))}
          <div role="columnheader" className="fleet-cell fleet-figure">
            Load
          </div>
        </div>
        <VirtualRows
          items={rows}
          rowHeight={ROW_HEIGHT}
          rowKey={(r) => r.server.id}
          testId="fleet-rows"
          className="fleet-body"
          renderRow={(r, i) => (
            <FleetRow row={r} index={i} reason={collectStates[r.server.id]?.error?.message ?? null} onOpen={onOpen} />
          )}
        />
      </div>
    </div>
  );
}

import type { Server } from '../../../shared/contract/inventory.contract';
import { pct } from './format';
import type { CollectState, FleetEntry } from './metrics-types';

/** The columns the fleet overview sorts by. */
export type FleetSortKey = 'name' | 'state' | 'cpu' | 'memory' | 'disk';

/** Sort and filters of the fleet overview ('' = any). */
export interface FleetView {
  sort: FleetSortKey;
  desc: boolean;
  tag: string;
  group: string;
  query: string;
}

/**
 * What a row shows of its server: an inventory server, or a panel's server (NexusPanel) named "panel / server",
 * with `panel` set to the panel account's name.
 */
export type FleetServer = Pick<Server, 'id' | 'name' | 'host' | 'group' | 'tags'> & { panel?: string | null };

/** One row as the overview draws it: the server, its latest figures (null when unknown) and sparklines. */
export interface FleetRowData {
  server: FleetServer;
  state: CollectState;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  load1: number | null;
  spark: FleetEntry['spark'] | null;
}

const STATE_ORDER: Record<CollectState, number> = {
  auth_failed: 0,
  unreachable: 1,
  degraded: 2,
  connecting: 3,
  up: 4,
  off: 5,
};

/** A panel's server as a row's server: "Panel name / server name" (the panel is also where it is "hosted"). */
export function panelFleetServer(id: string, source: NonNullable<FleetEntry['source']>): FleetServer {
  return {
    id,
    name: `${source.panelName} / ${source.serverName}`,
    host: source.panelName,
    group: null,
    tags: [],
    panel: source.panelName,
  };
}

/**
 * Joins the inventory with metrics.fleet (a server the core has no entry for yet is `off`); the panels' servers
 * (entries with a `source`) follow as rows of their own.
 */
export function fleetRows(
  servers: readonly FleetServer[],
  entries: ReadonlyMap<string, FleetEntry>,
  states: Readonly<Record<string, CollectState>>,
): FleetRowData[] {
  const panelServers: FleetServer[] = [];
  for (const [id, e] of entries) if (e.source) panelServers.push(panelFleetServer(id, e.source));
  return [...servers, ...panelServers].map((server) => {
    const e = entries.get(server.id);
    const v = e?.values ?? null;
    return {
      server,
      state: states[server.id] ?? e?.state ?? 'off',
      cpu: v?.cpuBusyPct ?? null,
      memory: pct(v?.memUsedBytes, v?.memTotalBytes),
      disk: pct(v?.rootFsUsedBytes, v?.rootFsSizeBytes),
      load1: v?.load1 ?? null,
      spark: e?.spark ?? null,
    };
  });
}

/** Filters by tag, group and free text, then sorts (unknown figures last, whichever the direction). */
export function viewRows(rows: readonly FleetRowData[], view: FleetView): FleetRowData[] {
  const q = view.query.trim().toLowerCase();
  const tag = view.tag.toLowerCase();
  const shown = rows.filter(
    (r) =>
      (!tag || r.server.tags.some((t) => t.toLowerCase() === tag)) &&
      (!view.group || r.server.group === view.group) &&
      (!q || r.server.name.toLowerCase().includes(q) || r.server.host.toLowerCase().includes(q)),
  );
  const dir = view.desc ? -1 : 1;
  const byName = (a: FleetRowData, b: FleetRowData): number => a.server.name.localeCompare(b.server.name);
  const key = view.sort;
  return shown.sort((a, b) => {
    if (key === 'name') return dir * byName(a, b);
    if (key === 'state') return dir * (STATE_ORDER[a.state] - STATE_ORDER[b.state]) || byName(a, b);
    const x = a[key];
    const y = b[key];
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return dir * (x - y) || byName(a, b);
  });
}

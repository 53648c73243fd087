import type { StateCreator } from 'zustand';
import type { Server } from '../../../shared/contract/inventory.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

/** The list's filters: free text, one tag, one group ('' = any). */
export interface ServerFilter {
  query: string;
  tag: string;
  group: string;
}

/** A facet value with how many servers carry it. */
export interface Facet {
  name: string;
  count: number;
}

export interface ServersSlice {
  /** Every server (for pickers and name look-ups). */
  servers: Server[];
  /** The servers matching `serverFilter`, as the core filtered them. */
  visibleServers: Server[];
  serverFilter: ServerFilter;
  facets: { groups: Facet[]; tags: Facet[] };
  serversLoaded: boolean;
  setServerFilter(patch: Partial<ServerFilter>): void;
  loadServers(): Promise<void>;
  clearServers(): void;
}

const NO_FILTER: ServerFilter = { query: '', tag: '', group: '' };
let generation = 0;

/** Servers of the unlocked vault, filtered by the core (servers.list) with facets for the filter menus. */
export const createServersSlice: StateCreator<AppState, [], [], ServersSlice> = (set, get) => ({
  servers: [],
  visibleServers: [],
  serverFilter: NO_FILTER,
  facets: { groups: [], tags: [] },
  serversLoaded: false,
  setServerFilter: (patch) => {
    set({ serverFilter: { ...get().serverFilter, ...patch } });
    get()
      .loadServers()
      .catch(() => undefined); // failures already raised a toast
  },
  loadServers: async () => {
    const mine = ++generation;
    const { query, tag, group } = get().serverFilter;
    const filtered = Boolean(query.trim() || tag || group);
    const [all, visible, facets] = await Promise.all([
      client.call('servers.list', {}),
      filtered
        ? client.call('servers.list', {
            ...(query.trim() ? { query: query.trim() } : {}),
            ...(tag ? { tag } : {}),
            ...(group ? { group } : {}),
          })
        : null,
      client.call('inventory.facets', {}),
    ]);
    if (mine !== generation) return; // a newer filter won the race
    const byName = (a: Server, b: Server): number => a.name.localeCompare(b.name);
    set({
      servers: [...all].sort(byName),
      visibleServers: [...(visible ?? all)].sort(byName),
      facets,
      serversLoaded: true,
    });
  },
  clearServers: () => {
    generation++;
    set({ servers: [], visibleServers: [], facets: { groups: [], tags: [] }, serversLoaded: false });
  },
});

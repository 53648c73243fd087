import type { StateCreator } from 'zustand';
import { client } from '../../lib/client';
import type { AppState } from '../../store';
import type { FleetView } from './fleet-view';
import type { FleetEntry, MetricsSettings, ServerCollectState } from './metrics-types';

/** What the Metrics section shows: the fleet overview, one server's dashboard, or the alerts. */
export type MetricsPage = { kind: 'fleet' } | { kind: 'server'; serverId: string } | { kind: 'alerts' };

export interface MetricsSlice {
  metricsPage: MetricsPage;
  /** Shows a page of the Metrics section (and switches to the section). */
  openMetrics(page: MetricsPage): void;
  metricsSettings: MetricsSettings | null;
  /** Each server's collection state (metrics.states, then metrics.state events). */
  collectStates: Record<string, ServerCollectState>;
  /** The latest metrics.fleet answer, by server id. */
  fleet: ReadonlyMap<string, FleetEntry>;
  fleetLoaded: boolean;
  fleetView: FleetView;
  setFleetView(patch: Partial<FleetView>): void;
  loadMetricsSettings(): Promise<void>;
  saveMetricsSettings(patch: Partial<MetricsSettings>): Promise<void>;
  loadCollectStates(): Promise<void>;
  /** Applies state changes (metrics.state events, batched). */
  setCollectStates(states: readonly ServerCollectState[]): void;
  loadFleet(): Promise<void>;
  clearMetrics(): void;
}

let generation = 0;

/**
 * The Metrics section's state: which page, the collection settings and states, the fleet overview. Samples and
 * series never pass through the store (DESIGN.md rule 8): the dashboard's charts take them from the client.
 */
export const createMetricsSlice: StateCreator<AppState, [], [], MetricsSlice> = (set, get) => ({
  metricsPage: { kind: 'fleet' },
  openMetrics: (page) => set({ metricsPage: page, section: 'metrics' }),
  metricsSettings: null,
  collectStates: {},
  fleet: new Map(),
  fleetLoaded: false,
  fleetView: { sort: 'name', desc: false, tag: '', group: '', query: '' },
  setFleetView: (patch) => set((s) => ({ fleetView: { ...s.fleetView, ...patch } })),
  loadMetricsSettings: async () => {
    const mine = generation;
    const settings = await client.call('metrics.settings.get', {});
    if (mine === generation) set({ metricsSettings: settings });
  },
  saveMetricsSettings: async (patch) => {
    // Shown at once (a checkbox that lags its click reads as broken), put back if the core refuses.
    const before = get().metricsSettings;
    if (before) set({ metricsSettings: { ...before, ...patch } });
    try {
      set({ metricsSettings: await client.call('metrics.settings.set', patch) });
    } catch (e) {
      if (before) set({ metricsSettings: before });
      throw e;
    }
  },
  loadCollectStates: async () => {
    const mine = generation;
    const states = await client.call('metrics.states', {});
    if (mine !== generation) return;
    set({ collectStates: Object.fromEntries(states.map((s) => [s.serverId, s])) });
  },
  setCollectStates: (states) =>
    set((s) => {
      const next = { ...s.collectStates };
      for (const st of states) next[st.serverId] = st;
      return { collectStates: next };
    }),
  loadFleet: async () => {
    const mine = generation;
    const entries = await client.call('metrics.fleet', { sparkMinutes: 30 });
    if (mine !== generation) return;
    set({ fleet: new Map(entries.map((e) => [e.serverId, e])), fleetLoaded: true });
  },
  clearMetrics: () => {
    generation++;
    set({ metricsPage: { kind: 'fleet' }, collectStates: {}, fleet: new Map(), fleetLoaded: false });
  },
});

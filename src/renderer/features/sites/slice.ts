import type { StateCreator } from 'zustand';
import type { Output } from '../../../shared/contract';
import type { Site, SiteKind } from '../../../shared/contract/sites.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

/** A server the fleet list could not read, with the core's reason. */
export type SiteProblem = Output<'sites.list'>['problems'][number];

/** The table's filters ('' = any). The server filter is also the per-server view. */
export interface SiteFilter {
  serverId: string;
  kind: SiteKind | '';
  query: string;
}

export interface SitesSlice {
  sites: Site[];
  siteProblems: SiteProblem[];
  sitesLoaded: boolean;
  sitesLoading: boolean;
  siteFilter: SiteFilter;
  setSiteFilter(patch: Partial<SiteFilter>): void;
  /** Reads the sites of every server (fleet-wide); servers that fail come back as problems, not errors. */
  loadSites(): Promise<void>;
  clearSites(): void;
}

let generation = 0;

/** The sites on every server, as each server's nginx configuration describes them (sites.list, fleet-wide). */
export const createSitesSlice: StateCreator<AppState, [], [], SitesSlice> = (set) => ({
  sites: [],
  siteProblems: [],
  sitesLoaded: false,
  sitesLoading: false,
  siteFilter: { serverId: '', kind: '', query: '' },
  setSiteFilter: (patch) => set((s) => ({ siteFilter: { ...s.siteFilter, ...patch } })),
  loadSites: async () => {
    const mine = ++generation;
    set({ sitesLoading: true });
    try {
      const { sites, problems } = await client.call('sites.list', {});
      if (mine !== generation) return;
      set({ sites, siteProblems: problems, sitesLoaded: true });
    } finally {
      if (mine === generation) set({ sitesLoading: false });
    }
  },
  clearSites: () => {
    generation++;
    set({ sites: [], siteProblems: [], sitesLoaded: false, sitesLoading: false });
  },
});

/** The sites that match the filters (domain and aliases, root and upstream are searched). */
export function filterSites(sites: readonly Site[], f: SiteFilter): Site[] {
  const q = f.query.trim().toLowerCase();
  return sites.filter(
    (s) =>
      (f.serverId === '' || s.serverId === f.serverId) &&
      (f.kind === '' || s.kind === f.kind) &&
      (q === '' ||
        s.domain.includes(q) ||
        s.aliases.some((a) => a.includes(q)) ||
        (s.root ?? '').toLowerCase().includes(q) ||
        (s.upstream ?? '').toLowerCase().includes(q)),
  );
}

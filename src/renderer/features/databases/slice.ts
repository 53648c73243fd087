import type { StateCreator } from 'zustand';
import type { Output } from '../../../shared/contract';
import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';
import type { DatabaseFilter } from './database-view';

/** A server the fleet list could not read, with the core's reason. */
export type DatabaseProblem = Output<'databases.list'>['problems'][number];

export interface DatabasesSlice {
  databases: Database[];
  databaseUsers: DatabaseUser[];
  databaseProblems: DatabaseProblem[];
  databasesLoaded: boolean;
  databasesLoading: boolean;
  databaseFilter: DatabaseFilter;
  setDatabaseFilter(patch: Partial<DatabaseFilter>): void;
  /** Reads the databases and users of every server; servers that fail come back as problems, not errors. */
  loadDatabases(): Promise<void>;
  clearDatabases(): void;
}

let generation = 0;

/** The databases and users on every server (databases.list, fleet-wide). */
export const createDatabasesSlice: StateCreator<AppState, [], [], DatabasesSlice> = (set) => ({
  databases: [],
  databaseUsers: [],
  databaseProblems: [],
  databasesLoaded: false,
  databasesLoading: false,
  databaseFilter: { serverId: '', engine: '', query: '' },
  setDatabaseFilter: (patch) => set((s) => ({ databaseFilter: { ...s.databaseFilter, ...patch } })),
  loadDatabases: async () => {
    const mine = ++generation;
    set({ databasesLoading: true });
    try {
      const { databases, users, problems } = await client.call('databases.list', {});
      if (mine !== generation) return;
      set({ databases, databaseUsers: users, databaseProblems: problems, databasesLoaded: true });
    } finally {
      if (mine === generation) set({ databasesLoading: false });
    }
  },
  clearDatabases: () => {
    generation++;
    set({
      databases: [],
      databaseUsers: [],
      databaseProblems: [],
      databasesLoaded: false,
      databasesLoading: false,
    });
  },
});

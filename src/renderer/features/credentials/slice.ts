import type { StateCreator } from 'zustand';
import type { CredentialSummary } from '../../../shared/contract/inventory.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

export interface CredentialsSlice {
  /** Summaries only: the store never holds a secret (revealed values live in the component showing them). */
  credentials: CredentialSummary[];
  credentialsLoaded: boolean;
  loadCredentials(): Promise<void>;
  clearCredentials(): void;
}

/** Credentials of the unlocked vault, as masked summaries. */
export const createCredentialsSlice: StateCreator<AppState, [], [], CredentialsSlice> = (set) => ({
  credentials: [],
  credentialsLoaded: false,
  loadCredentials: async () => {
    const list = await client.call('credentials.list', {});
    set({ credentials: [...list].sort((a, b) => a.name.localeCompare(b.name)), credentialsLoaded: true });
  },
  clearCredentials: () => set({ credentials: [], credentialsLoaded: false }),
});

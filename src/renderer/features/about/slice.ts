import type { StateCreator } from 'zustand';
import type { AppHealth, AppInfo } from '../../../shared/contract/app.contract';
import { client } from '../../lib/client';

export interface AboutSlice {
  info: AppInfo | null;
  health: AppHealth | null;
  loadAbout(): Promise<void>;
}

/** app.info and app.health, fetched from the core through the contract. */
export const createAboutSlice: StateCreator<AboutSlice, [], [], AboutSlice> = (set) => ({
  info: null,
  health: null,
  loadAbout: async () => {
    const [info, health] = await Promise.all([client.call('app.info', {}), client.call('app.health', {})]);
    set({ info, health });
  },
});

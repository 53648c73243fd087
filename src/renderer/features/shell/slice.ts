import type { StateCreator } from 'zustand';
import type { SectionId } from './sections';

export interface ShellSlice {
  section: SectionId;
  setSection(section: SectionId): void;
}

/** Which section the main area shows. */
export const createShellSlice: StateCreator<ShellSlice, [], [], ShellSlice> = (set) => ({
  section: 'servers',
  setSection: (section) => set({ section }),
});

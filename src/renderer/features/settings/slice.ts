import type { StateCreator } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface SettingsSlice {
  theme: ThemeChoice;
  setTheme(theme: ThemeChoice): void;
}

const KEY = 'paneldeck.theme';

function initialTheme(): ThemeChoice {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** UI preferences kept in the renderer (nothing secret): the theme follows the OS unless switched. */
export const createSettingsSlice: StateCreator<SettingsSlice, [], [], SettingsSlice> = (set) => ({
  theme: initialTheme(),
  setTheme: (theme) => {
    localStorage.setItem(KEY, theme);
    set({ theme });
  },
});

import type { StateCreator } from 'zustand';
import type { PanelAccount, PanelIdentity } from '../../../shared/contract/panels.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';
import type { PanelPrompt } from './connection-test';

/**
 * What the last "Test connection" of a panel found, for the list's status column and the detail view: who we are
 * there and what it holds, or why it failed. Kept only for the session (a test signs in; nothing is stored).
 */
export type PanelStatus =
  | { readonly state: 'testing' }
  | { readonly state: 'ok'; readonly identity: PanelIdentity; readonly at: number }
  | { readonly state: 'error'; readonly message: string }
  /** Waiting for the user: trust a certificate, or type a 2FA code. */
  | { readonly state: 'waiting'; readonly message: string };

/** The panels feature's part of the store: accounts, test results, the selected panel and the open prompt. */
export interface PanelsSlice {
  panels: PanelAccount[];
  panelsLoaded: boolean;
  panelStatus: Record<string, PanelStatus>;
  /** The panel whose resources the section shows. */
  selectedPanelId: string | null;
  /** The open question of a connection test (trust a certificate, type a 2FA code). */
  panelPrompt: PanelPrompt | null;
  setPanelPrompt(prompt: PanelPrompt | null): void;
  loadPanels(): Promise<void>;
  setPanelStatus(id: string, status: PanelStatus | null): void;
  selectPanel(id: string | null): void;
  /** Replaces (or adds) one account after add/update/trust. */
  putPanel(panel: PanelAccount): void;
  dropPanel(id: string): void;
  clearPanels(): void;
}

let generation = 0;

/** Panel accounts of the unlocked vault (panels.list) and what their last connection test said. */
export const createPanelsSlice: StateCreator<AppState, [], [], PanelsSlice> = (set) => ({
  panels: [],
  panelsLoaded: false,
  panelStatus: {},
  selectedPanelId: null,
  panelPrompt: null,
  setPanelPrompt: (prompt) => set({ panelPrompt: prompt }),
  loadPanels: async () => {
    const mine = ++generation;
    const list = await client.call('panels.list', {});
    if (mine !== generation) return;
    set({ panels: list, panelsLoaded: true });
  },
  setPanelStatus: (id, status) =>
    set((s) => {
      const { [id]: _old, ...rest } = s.panelStatus;
      return { panelStatus: status ? { ...rest, [id]: status } : rest };
    }),
  selectPanel: (id) => set({ selectedPanelId: id }),
  putPanel: (panel) =>
    set((s) => ({
      panels: [...s.panels.filter((p) => p.id !== panel.id), panel].sort((a, b) => a.name.localeCompare(b.name)),
    })),
  dropPanel: (id) =>
    set((s) => {
      const { [id]: _gone, ...status } = s.panelStatus;
      return {
        panels: s.panels.filter((p) => p.id !== id),
        panelStatus: status,
        selectedPanelId: s.selectedPanelId === id ? null : s.selectedPanelId,
      };
    }),
  clearPanels: () => {
    generation++;
    set({ panels: [], panelsLoaded: false, panelStatus: {}, selectedPanelId: null, panelPrompt: null });
  },
});

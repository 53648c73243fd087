import type { StateCreator } from 'zustand';
import type { Payload } from '../../../shared/contract';
import type { WireError } from '../../../shared/errors';
import type { AppState } from '../../store';
import {
  mapPanes,
  paneIds,
  removePane,
  setSplitRatio,
  splitLayout,
  type Layout,
  type SplitDirection,
  type SplitPath,
} from './layout';
import type { CloseRequest } from './close-request';
import { loadTerminalSettings, saveTerminalSettings, type TerminalSettings } from './settings';

/** What a pane shows over (or instead of) its terminal. */
export type PaneStatus =
  | { kind: 'opening' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number; error: string | null }
  | { kind: 'closed'; reason: 'exit' | 'closed' | 'failed'; code: number | null; error: WireError | null };

/** A panel server whose web terminal a pane shows (instead of an SSH shell on `serverId`). */
export interface PanelSource {
  readonly panelId: string;
  readonly panelServerId: string;
}

/** One terminal session (the sessionId changes when the user reconnects a closed pane). */
export interface TermPane {
  readonly id: string;
  /** The server (for a panel terminal: the panel account's id). */
  readonly serverId: string;
  /** Set when the pane shows a panel server's web terminal (terminal.openPanel). */
  readonly panel?: PanelSource | undefined;
  readonly sessionId: string | null;
  readonly status: PaneStatus;
}

/** A tab: a title and a layout of panes, one of them focused. */
export interface TermTab {
  readonly id: string;
  readonly title: string;
  readonly layout: Layout;
  readonly focusedPaneId: string;
}

/** A first-connection host key question, as the core sent it. */
export type HostKeyPrompt = Payload<'ssh.hostKey.prompt'>;
/** A keyboard-interactive question (password, one-time code). */
export type KeyboardPrompt = Payload<'ssh.keyboard.prompt'>;

/**
 * Terminal UI state: tabs, panes and their status, broadcast, open SSH questions and preferences.
 * Never terminal bytes: those go from the transport straight to xterm (DESIGN.md rule 8, see terminal-io.ts).
 */
export interface TerminalSlice {
  termTabs: TermTab[];
  termPanes: Record<string, TermPane>;
  activeTermTabId: string | null;
  broadcastOn: boolean;
  /** Tabs whose focused pane receives broadcast input. */
  broadcastTabIds: string[];
  hostKeyPrompts: HostKeyPrompt[];
  keyboardPrompts: KeyboardPrompt[];
  terminalSettings: TerminalSettings;
  /** A close waiting for the user to confirm (a program runs in the pane), see close-request.ts. */
  closeRequest: CloseRequest | null;
  setCloseRequest(r: CloseRequest | null): void;
  /** A link from terminal output the user Ctrl+clicked, waiting for them to confirm opening it. */
  pendingLink: string | null;
  setPendingLink(url: string | null): void;
  /** Adds a tab with one pane for the server (or a panel server's web terminal) and activates it; returns its id. */
  addTermTab(serverId: string, title: string, panel?: PanelSource): string;
  /**
   * Adds a tab with a whole layout (a reloaded window restoring its splits): `servers` maps each leaf id of
   * `layout` to its server (and `panels` those that are panel terminals to their panel server). Leaves get fresh
   * pane ids; returns leaf id -> pane id.
   */
  restoreTermTab(
    title: string,
    layout: Layout,
    servers: Record<string, string>,
    focused: string | null,
    activate: boolean,
    panels?: Record<string, PanelSource>,
  ): Record<string, string>;
  /** Splits the pane; the new pane (same server) gets focus. Returns its id. */
  splitTermPane(paneId: string, dir: SplitDirection): string;
  /** Removes a pane from its tab (and the tab when it was the last one). */
  removeTermPane(paneId: string): void;
  setActiveTermTab(tabId: string): void;
  /** Renames a tab; a blank title is ignored (the tab keeps its name). */
  renameTermTab(tabId: string, title: string): void;
  /** Moves a tab to position `index` (clamped) in the tab bar. */
  moveTermTab(tabId: string, index: number): void;
  /** Sets the share of the first pane of the split at `path` in the tab's layout. */
  resizeTermSplit(tabId: string, path: SplitPath, ratio: number): void;
  focusTermPane(paneId: string): void;
  setPaneSession(paneId: string, sessionId: string | null, status: PaneStatus): void;
  setPaneStatus(paneId: string, status: PaneStatus): void;
  setBroadcastOn(on: boolean): void;
  setBroadcastTab(tabId: string, on: boolean): void;
  pushHostKeyPrompt(p: HostKeyPrompt): void;
  pushKeyboardPrompt(p: KeyboardPrompt): void;
  dropPrompt(promptId: string): void;
  setTerminalSettings(patch: Partial<TerminalSettings>): void;
}

/** Longest tab title kept (a pasted paragraph would push every other tab off the bar). */
export const MAX_TAB_TITLE = 60;

/**
 * A new tab's title, numbered when another tab already has it: "web", "web (2)", "web (3)" (the lowest free number,
 * as editors number untitled files). A title that already ends in " (n)" is numbered from its base.
 */
export function uniqueTabTitle(title: string, taken: readonly string[]): string {
  const base =
    title
      .replace(/ \(\d+\)$/, '')
      .trim()
      .slice(0, MAX_TAB_TITLE) || 'terminal';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  const short = base.slice(0, MAX_TAB_TITLE - 8);
  for (let n = 2; ; n++) if (!used.has(`${short} (${n})`)) return `${short} (${n})`;
}

let seq = 0;
const nextId = (prefix: string): string => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** Creates the terminal slice. */
export const createTerminalSlice: StateCreator<AppState, [], [], TerminalSlice> = (set, get) => ({
  termTabs: [],
  termPanes: {},
  activeTermTabId: null,
  broadcastOn: false,
  broadcastTabIds: [],
  hostKeyPrompts: [],
  keyboardPrompts: [],
  terminalSettings: loadTerminalSettings(),
  pendingLink: null,
  closeRequest: null,
  setCloseRequest: (r) => set({ closeRequest: r }),
  setPendingLink: (url) => set({ pendingLink: url }),
  addTermTab: (serverId, title, panel) => {
    const paneId = nextId('pane');
    const name = uniqueTabTitle(
      title,
      get().termTabs.map((t) => t.title),
    );
    const tab: TermTab = { id: nextId('tab'), title: name, layout: { kind: 'pane', paneId }, focusedPaneId: paneId };
    set((s) => ({
      termTabs: [...s.termTabs, tab],
      termPanes: {
        ...s.termPanes,
        [paneId]: { id: paneId, serverId, panel, sessionId: null, status: { kind: 'opening' } },
      },
      activeTermTabId: tab.id,
    }));
    return paneId;
  },
  restoreTermTab: (title, layout, servers, focused, activate, panels = {}) => {
    const ids: Record<string, string> = {};
    const mapped = mapPanes(layout, (key) => {
      if (!servers[key] || ids[key]) return null; // unknown now, or listed twice
      ids[key] = nextId('pane');
      return ids[key];
    });
    if (!mapped) return ids;
    const tab: TermTab = {
      id: nextId('tab'),
      title: title.trim().slice(0, MAX_TAB_TITLE) || 'terminal',
      layout: mapped,
      focusedPaneId: (focused && ids[focused]) || paneIds(mapped)[0] || '',
    };
    const panes = Object.fromEntries(
      Object.entries(ids).map(([key, id]): [string, TermPane] => [
        id,
        { id, serverId: servers[key] ?? '', panel: panels[key], sessionId: null, status: { kind: 'opening' } },
      ]),
    );
    set((s) => ({
      termTabs: [...s.termTabs, tab],
      termPanes: { ...s.termPanes, ...panes },
      activeTermTabId: activate || s.activeTermTabId === null ? tab.id : s.activeTermTabId,
    }));
    return ids;
  },
  splitTermPane: (paneId, dir) => {
    const source = get().termPanes[paneId];
    if (!source) return paneId;
    const newId = nextId('pane');
    set((s) => ({
      termTabs: s.termTabs.map((t) =>
        paneIds(t.layout).includes(paneId)
          ? { ...t, layout: splitLayout(t.layout, paneId, newId, dir), focusedPaneId: newId }
          : t,
      ),
      termPanes: {
        ...s.termPanes,
        [newId]: {
          id: newId,
          serverId: source.serverId,
          panel: source.panel,
          sessionId: null,
          status: { kind: 'opening' },
        },
      },
    }));
    return newId;
  },
  removeTermPane: (paneId) =>
    set((s) => {
      const panes = { ...s.termPanes };
      delete panes[paneId];
      const tabs: TermTab[] = [];
      let active = s.activeTermTabId;
      s.termTabs.forEach((t, i) => {
        const ids = paneIds(t.layout);
        if (!ids.includes(paneId)) return void tabs.push(t);
        const layout = removePane(t.layout, paneId);
        if (layout) {
          const left = paneIds(layout);
          const focus = t.focusedPaneId === paneId ? (left[Math.max(0, ids.indexOf(paneId) - 1)] ?? left[0]) : null;
          tabs.push({ ...t, layout, focusedPaneId: focus ?? t.focusedPaneId });
        } else if (active === t.id) {
          active = (s.termTabs[i + 1] ?? s.termTabs[i - 1])?.id ?? null;
        }
      });
      const broadcastTabIds = s.broadcastTabIds.filter((id) => tabs.some((t) => t.id === id));
      return { termPanes: panes, termTabs: tabs, activeTermTabId: active, broadcastTabIds };
    }),
  setActiveTermTab: (tabId) => set({ activeTermTabId: tabId }),
  renameTermTab: (tabId, title) => {
    const name = title.trim().slice(0, MAX_TAB_TITLE);
    if (!name) return;
    set((s) => ({ termTabs: s.termTabs.map((t) => (t.id === tabId ? { ...t, title: name } : t)) }));
  },
  moveTermTab: (tabId, index) =>
    set((s) => {
      const from = s.termTabs.findIndex((t) => t.id === tabId);
      const tab = s.termTabs[from];
      if (!tab) return {};
      const rest = s.termTabs.filter((t) => t.id !== tabId);
      const to = Math.max(0, Math.min(rest.length, Math.trunc(index)));
      if (to === from) return {};
      return { termTabs: [...rest.slice(0, to), tab, ...rest.slice(to)] };
    }),
  resizeTermSplit: (tabId, path, ratio) =>
    set((s) => ({
      termTabs: s.termTabs.map((t) => (t.id === tabId ? { ...t, layout: setSplitRatio(t.layout, path, ratio) } : t)),
    })),
  focusTermPane: (paneId) =>
    set((s) => ({
      termTabs: s.termTabs.map((t) =>
        paneIds(t.layout).includes(paneId) && t.focusedPaneId !== paneId ? { ...t, focusedPaneId: paneId } : t,
      ),
    })),
  setPaneSession: (paneId, sessionId, status) =>
    set((s) => {
      const pane = s.termPanes[paneId];
      return pane ? { termPanes: { ...s.termPanes, [paneId]: { ...pane, sessionId, status } } } : {};
    }),
  setPaneStatus: (paneId, status) =>
    set((s) => {
      const pane = s.termPanes[paneId];
      return pane ? { termPanes: { ...s.termPanes, [paneId]: { ...pane, status } } } : {};
    }),
  setBroadcastOn: (on) =>
    set((s) => ({
      broadcastOn: on,
      // Turning it on with nothing picked means "every tab": the common case, one click.
      broadcastTabIds: on && s.broadcastTabIds.length === 0 ? s.termTabs.map((t) => t.id) : s.broadcastTabIds,
    })),
  setBroadcastTab: (tabId, on) =>
    set((s) => ({
      broadcastTabIds: on
        ? [...new Set([...s.broadcastTabIds, tabId])]
        : s.broadcastTabIds.filter((id) => id !== tabId),
    })),
  pushHostKeyPrompt: (p) => set((s) => ({ hostKeyPrompts: [...s.hostKeyPrompts, p] })),
  pushKeyboardPrompt: (p) => set((s) => ({ keyboardPrompts: [...s.keyboardPrompts, p] })),
  dropPrompt: (promptId) =>
    set((s) => ({
      hostKeyPrompts: s.hostKeyPrompts.filter((p) => p.promptId !== promptId),
      keyboardPrompts: s.keyboardPrompts.filter((p) => p.promptId !== promptId),
    })),
  setTerminalSettings: (patch) => {
    const next = { ...get().terminalSettings, ...patch };
    saveTerminalSettings(next);
    set({ terminalSettings: next });
  },
});

import type { AppState } from '../../store';
import { isLayout, mapPanes, type Layout } from './layout';

/**
 * The Terminal section's tabs and splits, kept in sessionStorage so a reloaded window puts the shells it gets back
 * (terminal.list) into the same tabs and splits, with the same titles, instead of one tab per shell.
 * Leaves hold session ids (the core's, stable across a reload), never pane ids (the renderer's, new each load).
 * sessionStorage: per window, gone with it; nothing secret is in it (titles are the user's tab names).
 */
export interface SavedTab {
  readonly title: string;
  /** Leaves are session ids. */
  readonly layout: Layout;
  readonly focusedSessionId: string | null;
  readonly active: boolean;
}

const KEY = 'paneldeck.terminal.layout';

/** The tabs as they should be saved: panes without a session are left out, and tabs left with none. */
export function layoutToSave(s: Pick<AppState, 'termTabs' | 'termPanes' | 'activeTermTabId'>): SavedTab[] {
  return s.termTabs.flatMap((t) => {
    const layout = mapPanes(t.layout, (paneId) => s.termPanes[paneId]?.sessionId ?? null);
    if (!layout) return [];
    return [
      {
        title: t.title,
        layout,
        focusedSessionId: s.termPanes[t.focusedPaneId]?.sessionId ?? null,
        active: t.id === s.activeTermTabId,
      },
    ];
  });
}

/** Saves the layout (quietly does nothing where storage is unavailable or full). */
export function saveLayout(tabs: SavedTab[]): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(tabs));
  } catch {
    // storage unavailable: a reload falls back to one tab per shell
  }
}

/** The saved layout; [] when there is none or it is not what this code writes. */
export function loadLayout(): SavedTab[] {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((t: unknown) => {
      if (typeof t !== 'object' || t === null) return [];
      const v = t as Record<string, unknown>;
      if (typeof v.title !== 'string' || !isLayout(v.layout)) return [];
      const focused = typeof v.focusedSessionId === 'string' ? v.focusedSessionId : null;
      return [{ title: v.title, layout: v.layout, focusedSessionId: focused, active: v.active === true }];
    });
  } catch {
    return [];
  }
}

import { useStore } from '../../store';
import { paneIds } from './layout';
import { requestClosePanes } from './close-request';
import type { TerminalAction } from './shortcuts';
import { getPaneTerminal } from './terminal-registry';

/** Section-local UI the keyboard actions can open. */
export interface ActionUi {
  openSearch(paneId: string): void;
  toggleHelp(): void;
}

/** The pane nearest to `from` in a direction, by the panes' on-screen boxes (what the user sees). */
function paneInDirection(from: string, dir: 'Left' | 'Right' | 'Up' | 'Down'): string | null {
  const boxes = [...document.querySelectorAll<HTMLElement>('[data-pane-id]')].map((el) => ({
    id: el.dataset.paneId ?? '',
    r: el.getBoundingClientRect(),
  }));
  const me = boxes.find((b) => b.id === from)?.r;
  if (!me) return null;
  const cx = (r: DOMRect): number => r.left + r.width / 2;
  const cy = (r: DOMRect): number => r.top + r.height / 2;
  let best: { id: string; d: number } | null = null;
  for (const { id, r } of boxes) {
    if (id === from) continue;
    const ok =
      dir === 'Left'
        ? r.right <= me.left + 1
        : dir === 'Right'
          ? r.left >= me.right - 1
          : dir === 'Up'
            ? r.bottom <= me.top + 1
            : r.top >= me.bottom - 1;
    if (!ok) continue;
    const d = Math.hypot(cx(r) - cx(me), cy(r) - cy(me));
    if (!best || d < best.d) best = { id, d };
  }
  return best?.id ?? null;
}

/** Performs a keyboard action in the Terminal section; returns false when there was nothing to act on. */
export function runTerminalAction(action: TerminalAction, ui: ActionUi): boolean {
  const s = useStore.getState();
  if (action === 'help') return (ui.toggleHelp(), true);
  const tabIndex = s.termTabs.findIndex((t) => t.id === s.activeTermTabId);
  const tab = s.termTabs[tabIndex];
  if (!tab) return false;
  const focused = tab.focusedPaneId;
  switch (action) {
    case 'newTab': {
      const pane = s.termPanes[focused];
      if (pane?.panel) s.addTermTab(pane.serverId, tab.title, pane.panel);
      else if (pane) s.addTermTab(pane.serverId, s.servers.find((x) => x.id === pane.serverId)?.name ?? tab.title);
      return true;
    }
    case 'closePane':
      void requestClosePanes([focused], paneIds(tab.layout).length > 1 ? 'pane' : 'tab');
      return true;
    case 'nextTab':
    case 'prevTab': {
      const n = s.termTabs.length;
      const next = s.termTabs[(tabIndex + (action === 'nextTab' ? 1 : n - 1)) % n];
      if (next) s.setActiveTermTab(next.id);
      return true;
    }
    case 'moveTabLeft':
    case 'moveTabRight':
      s.moveTermTab(tab.id, tabIndex + (action === 'moveTabLeft' ? -1 : 1));
      return true;
    case 'splitRight':
    case 'splitDown':
      s.splitTermPane(focused, action === 'splitRight' ? 'right' : 'down');
      return true;
    case 'focusLeft':
    case 'focusRight':
    case 'focusUp':
    case 'focusDown': {
      const target = paneInDirection(focused, action.slice(5) as 'Left' | 'Right' | 'Up' | 'Down');
      if (target && paneIds(tab.layout).includes(target)) s.focusTermPane(target);
      return true;
    }
    case 'search':
      ui.openSearch(focused);
      return true;
    case 'copy': {
      const text = getPaneTerminal(focused)?.term.getSelection();
      if (text) navigator.clipboard.writeText(text).catch(() => undefined);
      return true;
    }
    case 'broadcast':
      s.setBroadcastOn(!s.broadcastOn);
      return true;
  }
}

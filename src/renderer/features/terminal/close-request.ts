import { client } from '../../lib/client';
import { useStore } from '../../store';
import { paneIds } from './layout';
import { closePane } from './sessions';

/** A close the user has to confirm: the panes it would close and what runs in them. */
export interface CloseRequest {
  readonly paneIds: readonly string[];
  /** The tab's title, for the question. */
  readonly title: string;
  /** Foreground programs found (command names; empty when the core could only tell "something"). */
  readonly programs: readonly string[];
  readonly what: 'tab' | 'pane';
}

/** Panes whose busy check is under way: a second Ctrl+Shift+W meanwhile does not ask twice. */
const checking = new Set<string>();

/** What runs in the foreground of the pane's shell; null when nothing does or it cannot be told. */
async function foregroundOf(paneId: string): Promise<{ program: string | null } | null> {
  const pane = useStore.getState().termPanes[paneId];
  if (!pane?.sessionId || pane.status.kind !== 'connected') return null;
  try {
    const r = await client.call(
      'terminal.busy',
      { sessionId: pane.sessionId },
      { expected: ['NOT_FOUND', 'CONNECTION_FAILED', 'TIMEOUT', 'VAULT_LOCKED', 'INTERNAL'] },
    );
    return r.busy ? { program: r.program } : null;
  } catch {
    return null; // a connection too broken to ask is not worth keeping the tab open for
  }
}

/**
 * Closes panes (a tab's, or one), first asking when a program runs in the foreground of one of them, as Windows
 * Terminal and iTerm do: `sleep 300`, an editor, a `tail -f`. The question can be turned off ("don't ask again",
 * Settings › Terminal). An idle shell closes at once.
 */
export async function requestClosePanes(ids: readonly string[], what: 'tab' | 'pane'): Promise<void> {
  const s = useStore.getState();
  const live = ids.filter((id) => s.termPanes[id]);
  if (live.length === 0 || live.some((id) => checking.has(id))) return;
  if (!s.terminalSettings.confirmCloseBusy) return void live.forEach(closePane);
  live.forEach((id) => checking.add(id));
  try {
    const found = (await Promise.all(live.map(foregroundOf))).filter((f) => f !== null);
    const now = useStore.getState();
    const still = live.filter((id) => now.termPanes[id]);
    if (found.length === 0) return void still.forEach(closePane);
    const tab = now.termTabs.find((t) => still.some((id) => paneIds(t.layout).includes(id)));
    const programs = [...new Set(found.flatMap((f) => (f.program ? [f.program] : [])))];
    now.setCloseRequest({ paneIds: still, title: tab?.title ?? 'terminal', programs, what });
  } finally {
    live.forEach((id) => checking.delete(id));
  }
}

import type { ITerminalOptions } from '@xterm/xterm';
import type { TerminalSessionInfo, TerminalState } from '../../../shared/contract/terminal.contract';
import { AppError } from '../../../shared/errors';
import { client } from '../../lib/client';
import { useStore } from '../../store';
import { paneIds } from './layout';
import type { TerminalSettings } from './settings';
import type { PaneStatus, TermPane } from './slice';
import { sectionShortcutIndex } from '../../lib/section-shortcut';
import { terminalAction } from './shortcuts';
import { splitInput } from './input';
import { loadLayout, type SavedTab } from './saved-layout';
import { bindSession, cancelReplay, expectReplay, unbindSession } from './terminal-io';
import { disposePaneTerminal, ensurePaneTerminal, getPaneTerminal, type PaneTerminal } from './terminal-registry';
import { appThemeIsDark, DARK_THEME, LIGHT_THEME } from './themes';

/** xterm options from the user's settings and the app's current theme. */
export function terminalOptions(s: TerminalSettings): ITerminalOptions {
  const dark = s.theme === 'dark' || (s.theme === 'app' && appThemeIsDark());
  return {
    fontFamily: s.fontFamily,
    fontSize: s.fontSize,
    scrollback: s.scrollback,
    theme: dark ? DARK_THEME : LIGHT_THEME,
    cursorBlink: s.cursorBlink,
  };
}

/** A contract TerminalState as the pane shows it (the retry delay becomes a deadline for the countdown). */
export function paneStatusOf(state: TerminalState): PaneStatus {
  switch (state.state) {
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected' };
    case 'reconnecting':
      return { kind: 'reconnecting', attempt: state.attempt, retryAt: Date.now() + state.delayMs, error: state.error };
    case 'closed':
      return { kind: 'closed', reason: state.reason, code: state.code, error: state.error };
  }
}

/** The size each pane's PTY was last opened or resized to, as the core confirmed it (read by the e2e probe). */
export const ptySizes = new Map<string, { cols: number; rows: number }>();

async function resizePty(paneId: string, sessionId: string, cols: number, rows: number): Promise<void> {
  await client.call('terminal.resize', { sessionId, cols, rows }, { expected: ['NOT_FOUND'] });
  if (useStore.getState().termPanes[paneId]?.sessionId === sessionId) ptySizes.set(paneId, { cols, rows });
}

/** States that arrived before terminal.open's reply told us which pane the session belongs to. */
const earlyStates = new Map<string, TerminalState>();
const opening = new Set<string>();

/** The pane showing a session, if any. */
export function paneOfSession(sessionId: string): TermPane | undefined {
  return Object.values(useStore.getState().termPanes).find((p) => p.sessionId === sessionId);
}

/** Applies a terminal.state event to its pane (or keeps it until the pane learns its session id). */
export function applySessionState(sessionId: string, state: TerminalState): void {
  const pane = paneOfSession(sessionId);
  if (pane) useStore.getState().setPaneStatus(pane.id, paneStatusOf(state));
  else earlyStates.set(sessionId, state);
}

/**
 * Panes that typing in `paneId` reaches: itself, or, while it is in a broadcast tab, every pane of every broadcast
 * tab (split panes included: a split is where people keep the second server of a pair).
 */
function inputPanes(paneId: string): TermPane[] {
  const s = useStore.getState();
  const own = s.termPanes[paneId];
  const tab = s.termTabs.find((t) => paneIds(t.layout).includes(paneId));
  if (!s.broadcastOn || !tab || !s.broadcastTabIds.includes(tab.id)) return own ? [own] : [];
  const ids = s.termTabs.filter((t) => s.broadcastTabIds.includes(t.id)).flatMap((t) => paneIds(t.layout));
  return [...new Set([paneId, ...ids])].flatMap((id) => (s.termPanes[id] ? [s.termPanes[id]] : []));
}

/** Longest piece of input per terminal.write (the contract allows 1,000,000 characters; a big paste is split). */
const INPUT_PIECE = 256 * 1024;
/** Sessions whose dropped input was reported less than this long ago are not reported again. */
const DROP_NOTICE_MS = 5000;
const dropNoticeAt = new Map<string, number>();
/** The pane status for which "not connected" was last reported, per pane: one notice per status, not per key. */
const refusedNoticeFor = new Map<string, PaneStatus>();

function tabTitleOf(paneId: string): string | undefined {
  const s = useStore.getState();
  return s.termTabs.find((t) => paneIds(t.layout).includes(paneId))?.title;
}

/** Why a pane without a live shell cannot take input, in the user's words. */
function notConnectedReason(status: PaneStatus): string {
  switch (status.kind) {
    case 'opening':
    case 'connecting':
      return 'it is still connecting. Type again once the prompt appears.';
    case 'reconnecting':
      return 'the connection dropped and is being re-established. Type again once it is back.';
    case 'closed':
      return status.reason === 'failed'
        ? 'the connection failed. Press Reconnect to try again.'
        : status.reason === 'exit'
          ? 'its shell has ended. Press Reconnect to open a new one.'
          : 'its session is closed. Press Reconnect to open a new one.';
    case 'connected':
      return 'its connection is not ready.';
  }
}

/** Input for a pane that has no live shell is not sent; the user is told once per pane status, not per key. */
function reportNotConnected(pane: TermPane): void {
  if (refusedNoticeFor.get(pane.id) === pane.status) return;
  refusedNoticeFor.set(pane.id, pane.status);
  const title = tabTitleOf(pane.id);
  useStore.getState().pushToast({
    level: 'warning',
    title: 'Input not sent',
    message: `${title ? `“${title}” is not connected: ` : 'This terminal is not connected: '}${notConnectedReason(pane.status)}`,
  });
}

/** Tells the user, at most every few seconds per session, that input was refused because the server is not reading. */
function reportDroppedInput(paneId: string, sessionId: string): void {
  const pane = useStore.getState().termPanes[paneId];
  if (!pane || pane.sessionId !== sessionId) return; // the pane moved on (closed or reconnected): nothing to say
  if (pane.status.kind !== 'connected') return reportNotConnected(pane); // it ended while the keys were on the way
  const now = Date.now();
  if (now - (dropNoticeAt.get(sessionId) ?? 0) < DROP_NOTICE_MS) return;
  dropNoticeAt.set(sessionId, now);
  const title = tabTitleOf(paneId);
  useStore.getState().pushToast({
    level: 'warning',
    title: 'Input not sent',
    message: `${title ? `“${title}”: ` : ''}the server is not reading input fast enough (several MiB are still queued), so the last keys or paste were dropped. Wait for it to catch up, or press Ctrl+C.`,
  });
}

/**
 * Sends keystrokes/paste to the pane (or every broadcast pane). A pane without a live shell gets nothing and the
 * user is told once; the core refuses (accepted=false) otherwise only when input piles up.
 */
export function sendInput(paneId: string, data: string): void {
  const pieces = splitInput(data, INPUT_PIECE);
  for (const pane of inputPanes(paneId)) {
    const sessionId = pane.sessionId;
    if (!sessionId || pane.status.kind !== 'connected') {
      reportNotConnected(pane);
      continue;
    }
    if (pane.id !== paneId) getPaneTerminal(pane.id)?.term.scrollToBottom(); // xterm scrolls only the typed-in one
    for (const piece of pieces) {
      client
        .call('terminal.write', { sessionId, data: piece }, { expected: ['NOT_FOUND'] })
        .then((r) => r.accepted || reportDroppedInput(pane.id, sessionId))
        .catch(() => undefined);
    }
  }
}

/**
 * Sessions a snippet goes to: the broadcast set when broadcast is on, else the active tab's focused pane. Their
 * terminals scroll to the bottom, as typing does, so the output shows even when the user was reading scrollback.
 */
export function snippetTargets(): string[] {
  const s = useStore.getState();
  const tab = s.termTabs.find((t) => t.id === s.activeTermTabId);
  if (!tab) return [];
  const panes = inputPanes(tab.focusedPaneId);
  const live = panes.filter((p) => p.sessionId && p.status.kind === 'connected');
  for (const p of panes) if (!live.includes(p)) reportNotConnected(p);
  for (const p of live) getPaneTerminal(p.id)?.term.scrollToBottom();
  return live.flatMap((p) => (p.sessionId ? [p.sessionId] : []));
}

function openLink(url: string): void {
  if (!/^https?:\/\//i.test(url)) return;
  // Terminal output comes from the server: show the whole address and ask before anything opens it.
  useStore.getState().setPendingLink(url);
}

/** Opens a confirmed link: the desktop app hands it to the system browser, the web UI opens a tab. */
export async function openConfirmedLink(url: string): Promise<void> {
  if (window.paneldeck) {
    await client.call('app.openExternal', { url });
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}

/** The pane's terminal, created with the session hooks on first use. */
export function paneTerminal(paneId: string): PaneTerminal {
  return ensurePaneTerminal(paneId, terminalOptions(useStore.getState().terminalSettings), {
    onInput: (data) => sendInput(paneId, data),
    onResize: (cols, rows) => {
      const sessionId = useStore.getState().termPanes[paneId]?.sessionId;
      if (sessionId) resizePty(paneId, sessionId, cols, rows).catch(() => undefined);
    },
    onLink: openLink,
    // Only Ctrl+Shift chords (and Alt+arrows) are the app's: every other key, Ctrl+digits included, is the shell's.
    isAppShortcut: (e) => terminalAction(e) !== null || sectionShortcutIndex(e) !== null,
    onSelection: (text) => {
      if (useStore.getState().terminalSettings.copyOnSelect) navigator.clipboard.writeText(text).catch(() => undefined);
    },
  });
}

/** Opens a shell for the pane (first time, or again after it closed). Idempotent while one is opening. */
export async function openPaneSession(paneId: string): Promise<void> {
  const pane = useStore.getState().termPanes[paneId];
  if (!pane || opening.has(paneId)) return;
  opening.add(paneId);
  const t = paneTerminal(paneId);
  const { setPaneSession, terminalSettings } = useStore.getState();
  setPaneSession(paneId, null, { kind: 'connecting' });
  const size = { cols: Math.max(2, t.term.cols), rows: Math.max(1, t.term.rows) };
  try {
    const expected = ['HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN', 'AUTH_FAILED', 'CONNECTION_FAILED', 'TIMEOUT'] as const;
    const { sessionId } = pane.panel
      ? await client.call(
          'terminal.openPanel',
          { ...pane.panel, ...size },
          { expected: [...expected, 'NOT_FOUND', 'UNSUPPORTED', 'VAULT_LOCKED'] },
        )
      : await client.call(
          'terminal.open',
          { serverId: pane.serverId, ...size, reconnect: { enabled: terminalSettings.autoReconnect } },
          { expected: [...expected] },
        );
    if (!useStore.getState().termPanes[paneId]) {
      await client.call('terminal.close', { sessionId }).catch(() => undefined); // pane closed meanwhile
      return;
    }
    bindSession(sessionId, t);
    const early = earlyStates.get(sessionId);
    earlyStates.delete(sessionId);
    setPaneSession(paneId, sessionId, early ? paneStatusOf(early) : { kind: 'connecting' });
    ptySizes.set(paneId, size);
    if (t.term.cols !== size.cols || t.term.rows !== size.rows) {
      await resizePty(paneId, sessionId, t.term.cols, t.term.rows);
    }
  } catch (e) {
    const error = e instanceof AppError ? e.toWire() : { code: 'INTERNAL' as const, message: String(e) };
    useStore.getState().setPaneStatus(paneId, { kind: 'closed', reason: 'failed', code: null, error });
  } finally {
    opening.delete(paneId);
  }
}

/** "Reconnect" on a closed pane: a new session continues below a divider in the same terminal. */
export async function reconnectPane(paneId: string): Promise<void> {
  const pane = useStore.getState().termPanes[paneId];
  if (!pane) return;
  if (pane.sessionId) {
    unbindSession(pane.sessionId);
    client.call('terminal.close', { sessionId: pane.sessionId }, { expected: ['NOT_FOUND'] }).catch(() => undefined);
  }
  getPaneTerminal(paneId)?.term.write('\r\n\x1b[2m──── new session ────\x1b[0m\r\n');
  await openPaneSession(paneId);
}

/** The explicit "the key change is legitimate" path, then a reconnect. */
export async function replaceKeyAndReconnect(paneId: string, host: string, port: number, fingerprint: string) {
  await client.call('ssh.hostKey.replace', { host, port, fingerprint });
  await reconnectPane(paneId);
}

/** Closes a pane: its session, its terminal, its place in the layout. */
export function closePane(paneId: string): void {
  const sessionId = useStore.getState().termPanes[paneId]?.sessionId;
  if (sessionId) {
    unbindSession(sessionId);
    client.call('terminal.close', { sessionId }, { expected: ['NOT_FOUND'] }).catch(() => undefined);
  }
  disposePaneTerminal(paneId);
  ptySizes.delete(paneId);
  useStore.getState().removeTermPane(paneId);
}

/** Opens a new tab on a server and shows the Terminal section (its pane opens the session once attached). */
export function connectServer(serverId: string): void {
  const s = useStore.getState();
  const name = s.servers.find((x) => x.id === serverId)?.name ?? 'terminal';
  s.addTermTab(serverId, name);
  s.setSection('terminal');
}

/** Opens a new tab on a panel server's web terminal (a NexusPanel server) and shows the Terminal section. */
export function connectPanelServer(panelId: string, panelServerId: string, title: string): void {
  const s = useStore.getState();
  s.addTermTab(panelId, title, { panelId, panelServerId });
  s.setSection('terminal');
}

/**
 * After a reload the core still runs the shells this window had opened: each gets its pane again, in the tabs and
 * splits the window had (saved-layout.ts), so it can be used and closed rather than left running unseen; shells
 * the saved layout does not know get a tab each. The core sends their recent output back (terminal.replay).
 */
export async function reattachSessions(saved: readonly SavedTab[] = loadLayout()): Promise<void> {
  const sessions = await client.call('terminal.list', {}, { expected: ['VAULT_LOCKED'] });
  const byId = new Map(sessions.filter((i) => !paneOfSession(i.sessionId)).map((i) => [i.sessionId, i]));
  const servers = Object.fromEntries([...byId.values()].map((i) => [i.sessionId, i.serverId]));
  const panels = Object.fromEntries([...byId.values()].flatMap((i) => (i.panel ? [[i.sessionId, i.panel]] : [])));
  const placed: [string, TerminalSessionInfo][] = [];
  for (const tab of saved) {
    const ids = useStore
      .getState()
      .restoreTermTab(tab.title, tab.layout, servers, tab.focusedSessionId, tab.active, panels);
    for (const [sessionId, paneId] of Object.entries(ids)) {
      const info = byId.get(sessionId);
      byId.delete(sessionId);
      delete servers[sessionId]; // a session listed twice in a corrupt save gets one pane
      if (info) placed.push([paneId, info]);
    }
  }
  for (const info of byId.values()) {
    placed.push([useStore.getState().addTermTab(info.serverId, info.title, info.panel ?? undefined), info]);
  }
  for (const [paneId, info] of placed) reattachPane(paneId, info);
}

/** Binds a restored pane to its running session and asks the core for its recent output. */
function reattachPane(paneId: string, info: TerminalSessionInfo): void {
  const t = paneTerminal(paneId);
  expectReplay(info.sessionId);
  bindSession(info.sessionId, t);
  useStore.getState().setPaneSession(paneId, info.sessionId, paneStatusOf(info.state));
  ptySizes.set(paneId, { cols: info.cols, rows: info.rows });
  // The core sends the recent output as terminal.replay before answering; a divider marks where it ends.
  client
    .call('terminal.replay', { sessionId: info.sessionId }, { expected: ['NOT_FOUND'] })
    .then(({ bytes }) => t.write(REATTACHED(bytes), () => undefined)) // after the replay, through the same queue
    .catch(() => cancelReplay(info.sessionId));
}

/** The divider under replayed output (also when there was none to replay). */
const REATTACHED = (bytes: number): string =>
  `\r\n\x1b[2m──── re-attached after a reload${bytes > 0 ? '; recent output above' : ''} ────\x1b[0m\r\n`;

/** Writes the "reconnected" divider: old scrollback stays above, the new shell continues below. */
export function markReconnected(sessionId: string, downtimeMs: number): void {
  const pane = paneOfSession(sessionId);
  if (!pane) return;
  const secs = (downtimeMs / 1000).toFixed(1);
  getPaneTerminal(pane.id)?.term.write(`\r\n\x1b[2m──── reconnected after ${secs} s ────\x1b[0m\r\n`);
}

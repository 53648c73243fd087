import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Payload } from '../../shared/contract';
import type { ReconnectPolicy, TerminalSessionInfo, TerminalState } from '../../shared/contract/terminal.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { ConnectionManager } from '../ssh/connection-manager';
import { ReconnectingSession, type SessionState } from '../ssh/reconnecting-session';
import { BUSY_PROBE_ARGV, parseBusyProbe } from './shell-busy';
import type { VaultSshSource } from './vault-ssh-source';
import { PanelTerminalSession, type PanelTerminal } from './panel-terminal-session';
import type { TerminalSession } from './terminal-session';

/** Panel web terminals (NexusPanel): the panels service opens them; absent, terminal.openPanel is UNSUPPORTED. */
export interface PanelTerminals {
  /** The tab title for a panel's server (NOT_FOUND for an unknown panel, UNSUPPORTED for a panel without one). */
  title(panelId: string, panelServerId: string): string;
  open(panelId: string, panelServerId: string, size: { cols: number; rows: number }): Promise<PanelTerminal>;
}

/** Dependencies of {@link TerminalService}. */
export interface TerminalServiceDeps {
  readonly manager: ConnectionManager;
  readonly source: VaultSshSource;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly panels?: PanelTerminals | undefined;
}

interface Entry {
  readonly id: string;
  readonly serverId: string;
  readonly title: string;
  /** Set for a panel's web terminal (serverId is then the panel account's id). */
  readonly panel: { panelId: string; panelServerId: string } | null;
  readonly session: TerminalSession;
  cols: number;
  rows: number;
  ended: boolean;
  readonly offs: (() => void)[];
  /** The session's most recent output (≥ REPLAY_BYTES once that much arrived), oldest first, for re-attaching. */
  readonly recent: Uint8Array[];
  recentBytes: number;
  /** True once older output was dropped from `recent`. */
  recentTrimmed: boolean;
}

/** How much recent output a session keeps for a window that re-attaches (about 2,500 lines of typical output). */
export const REPLAY_BYTES = 256 * 1024;

/**
 * Largest terminal.data payload, as the contract promises. A PtySession's batches stay within 64 KiB, but one ssh2
 * chunk (or a panel terminal's message) can be larger by itself; it is split here rather than sent oversized.
 */
const MAX_EVENT_BYTES = 64 * 1024;

/** Ended sessions kept for a reloaded window to see (until terminal.close); the oldest go beyond this. */
const MAX_ENDED = 100;

/**
 * Interactive terminals over pooled SSH connections: one {@link ReconnectingSession} per `terminal.open` (or one
 * {@link PanelTerminalSession}, a panel server's web terminal, per `terminal.openPanel`), keyed by a random uuid, its output pushed as raw-byte `terminal.data` events (≤ 64 KiB, flow-controlled by `terminal.ack`)
 * and its life as `terminal.state` / `terminal.reconnected`.
 *
 * Vault lock policy (decided by the lead): locking does NOT close open shells — the Terminal section sits behind
 * the vault gate in the UI, so they are not visible until unlock — but every new connection needs the vault (the
 * target, its credential and its trusted host keys are sealed records), so `terminal.open` and any reconnect while
 * locked fail with VAULT_LOCKED. A session that drops while locked keeps retrying with backoff (VAULT_LOCKED is not
 * fatal, see reconnecting-session.ts) and is woken to retry at once when the vault is unlocked again. Forwards
 * follow the same rule: a running forward keeps its connection, a new tunnelled connection needing a reconnect fails.
 * Panel web terminals too: an open one keeps its WebSocket; opening one needs the panel account (a vault record).
 */
export class TerminalService {
  readonly #deps: TerminalServiceDeps;
  readonly #sessions = new Map<string, Entry>();
  readonly #unsubscribe: () => void;
  /** When each session's current shell connected (a counter): shells of one connection are matched in this order. */
  readonly #connectedSeq = new Map<string, number>();
  #seq = 0;

  constructor(deps: TerminalServiceDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.events.subscribe((name, payload) => {
      if (name === 'vault.changed' && (payload as Payload<'vault.changed'>).unlocked) this.#wakeAll();
    });
  }

  /**
   * Opens a shell on a server. Resolves with the session id at once (VAULT_LOCKED / NOT_FOUND / VALIDATION for a bad
   * server or jump chain); connecting starts on the next turn of the event loop, so the reply reaches the UI before
   * the session's first event. Host-key and keyboard-interactive questions arrive as ssh.*.prompt events.
   */
  open(input: {
    serverId: string;
    cols: number;
    rows: number;
    reconnect?: z.output<typeof ReconnectPolicy> | undefined;
  }): { sessionId: string } {
    const server = this.#deps.source.server(input.serverId);
    const target = this.#deps.source.target(input.serverId);
    const r = input.reconnect;
    const session = new ReconnectingSession(
      { manager: this.#deps.manager, logger: this.#deps.logger },
      target,
      { cols: input.cols, rows: input.rows },
      r === undefined
        ? {}
        : {
            enabled: r.enabled,
            initialDelayMs: r.initialDelayMs,
            maxDelayMs: r.maxDelayMs,
            ...(r.maxAttempts === undefined ? {} : { maxAttempts: r.maxAttempts }),
          },
    );
    const id = this.#add(session, {
      serverId: server.id,
      title: server.name,
      panel: null,
      cols: input.cols,
      rows: input.rows,
    });
    this.#deps.logger.info('terminal.opened', { sessionId: id, serverId: server.id, hops: target.jump.length });
    return { sessionId: id };
  }

  /**
   * Opens a panel server's web terminal (terminal.openPanel) as a session like any other: the same events, input,
   * flow control and close. It does not reconnect (see panel-terminal-session.ts).
   */
  openPanel(input: { panelId: string; panelServerId: string; cols: number; rows: number }): { sessionId: string } {
    const panels = this.#deps.panels;
    if (panels === undefined) throw new AppError('UNSUPPORTED', 'Panel terminals are not available here.');
    const { panelId, panelServerId } = input;
    const title = panels.title(panelId, panelServerId);
    const size = { cols: input.cols, rows: input.rows };
    const session = new PanelTerminalSession(() => panels.open(panelId, panelServerId, size), size);
    const id = this.#add(session, { serverId: panelId, title, panel: { panelId, panelServerId }, ...size });
    this.#deps.logger.info('terminal.opened', { sessionId: id, panelId, panelServerId });
    return { sessionId: id };
  }

  /** Registers a session, wires its events, and starts it on the next turn (after the caller's reply). */
  #add(
    session: TerminalSession,
    o: { serverId: string; title: string; panel: Entry['panel']; cols: number; rows: number },
  ): string {
    const id = randomUUID();
    const entry: Entry = {
      id,
      serverId: o.serverId,
      title: o.title,
      panel: o.panel,
      session,
      cols: o.cols,
      rows: o.rows,
      ended: false,
      offs: [],
      recent: [],
      recentBytes: 0,
      recentTrimmed: false,
    };
    const { events } = this.#deps;
    entry.offs.push(
      session.onData((d) => {
        for (let at = 0; at < d.length; at += MAX_EVENT_BYTES) {
          const data = exactBytes(d.subarray(at, at + MAX_EVENT_BYTES));
          remember(entry, data);
          events.emit('terminal.data', { sessionId: id, data });
        }
      }),
      session.onState((s) => this.#onState(entry, s)),
      session.onReconnected((m) => events.emit('terminal.reconnected', { sessionId: id, ...m })),
    );
    this.#sessions.set(id, entry);
    setImmediate(() => void session.start());
    return id;
  }

  /**
   * Keystrokes or pasted text. Refused (accepted=false) with a reason: 'not-connected' while there is no live shell
   * (connecting, reconnecting, failed or ended: the input would go nowhere), 'backlog' when too much input is still
   * queued for a live one.
   */
  write(sessionId: string, data: string): { accepted: boolean; reason?: 'not-connected' | 'backlog' } {
    const e = this.#get(sessionId);
    if (e.ended || !e.session.live) return { accepted: false, reason: 'not-connected' };
    return e.session.write(data) ? { accepted: true } : { accepted: false, reason: 'backlog' };
  }

  /** The UI rendered `bytes` more output (flow control). */
  ack(sessionId: string, bytes: number): { ok: true } {
    this.#get(sessionId).session.ack(bytes);
    return { ok: true };
  }

  /**
   * A window re-attaches: its recent output goes out as one terminal.replay event (before this call answers, so it
   * precedes any later terminal.data), and flow control restarts, since the old window will never acknowledge what
   * it was sent. Trimmed history starts at a line boundary, not in the middle of a line or escape sequence.
   */
  replay(sessionId: string): { bytes: number } {
    const e = this.#get(sessionId);
    let data = Buffer.concat(e.recent, e.recentBytes);
    if (e.recentTrimmed) {
      const nl = data.indexOf(0x0a);
      data = nl === -1 ? Buffer.alloc(0) : data.subarray(nl + 1);
    }
    this.#deps.events.emit('terminal.replay', { sessionId, data: exactBytes(data) });
    e.session.resetFlow();
    return { bytes: data.length };
  }

  /** Resizes the PTY (remembered for the shell a reconnect opens). */
  resize(sessionId: string, cols: number, rows: number): { ok: true } {
    const e = this.#get(sessionId);
    e.cols = cols;
    e.rows = rows;
    e.session.resize(cols, rows);
    return { ok: true };
  }

  /** Closes a terminal (or forgets an ended one). */
  close(sessionId: string): { ok: true } {
    const e = this.#get(sessionId);
    e.session.close();
    this.#forget(e);
    return { ok: true };
  }

  /** Every session, open or ended-but-not-closed, oldest first. */
  list(): TerminalSessionInfo[] {
    return [...this.#sessions.values()].map((e) => ({
      sessionId: e.id,
      serverId: e.serverId,
      panel: e.panel,
      title: e.title,
      state: this.#wire(e.session.state),
      cols: e.cols,
      rows: e.rows,
    }));
  }

  /**
   * Whether a program runs in the foreground of the session's shell (see shell-busy.ts), asked before closing it.
   * The probe runs on the session's pooled connection. Its shells are matched to this server's connected sessions
   * in the order they connected (process ids grow in the same order); when the counts differ (a shell opened by
   * someone else on the connection, or ids wrapped) `known` is false and `busy` says whether any of them is.
   */
  async busy(sessionId: string): Promise<{ busy: boolean; known: boolean; program: string | null }> {
    const e = this.#get(sessionId);
    if (e.ended || e.session.state.state !== 'connected') return { busy: false, known: true, program: null };
    // A panel's web shell cannot be probed (no SSH exec beside it): nothing known to be running.
    if (e.panel !== null) return { busy: false, known: false, program: null };
    const result = await this.#deps.manager.exec(this.#deps.source.target(e.serverId), BUSY_PROBE_ARGV, {
      timeoutMs: 5000,
      maxOutputBytes: 1024 * 1024,
    });
    const shells = parseBusyProbe(result.stdout);
    if (result.code !== 0 || shells === null) {
      throw new AppError('CONNECTION_FAILED', "Could not check the session's shell for a running program.");
    }
    const siblings = [...this.#sessions.values()]
      .filter((x) => x.serverId === e.serverId && x.panel === null && !x.ended && x.session.state.state === 'connected')
      .sort((a, b) => (this.#connectedSeq.get(a.id) ?? 0) - (this.#connectedSeq.get(b.id) ?? 0));
    const mine = siblings.length === shells.length ? shells[siblings.indexOf(e)] : undefined;
    if (mine) return { busy: mine.foreground !== null, known: true, program: mine.foreground?.program ?? null };
    const any = shells.find((x) => x.foreground !== null);
    return { busy: any !== undefined, known: false, program: any?.foreground?.program ?? null };
  }

  /** Types `text` into each session (snippets.run); NOT_FOUND before anything is sent if one id is unknown. */
  typeInto(sessionIds: readonly string[], text: string): number {
    const entries = sessionIds.map((id) => this.#get(id));
    let sent = 0;
    for (const e of new Set(entries)) if (!e.ended && e.session.write(text)) sent++;
    return sent;
  }

  /** Closes every session (core shutdown). */
  closeAll(): void {
    this.#unsubscribe();
    for (const e of [...this.#sessions.values()]) {
      e.session.close();
      this.#forget(e);
    }
  }

  #get(sessionId: string): Entry {
    const e = this.#sessions.get(sessionId);
    if (e === undefined) throw new AppError('NOT_FOUND', 'No such terminal session.');
    return e;
  }

  #onState(entry: Entry, s: SessionState): void {
    this.#deps.events.emit('terminal.state', { sessionId: entry.id, state: this.#wire(s) });
    if (s.state === 'connected') this.#connectedSeq.set(entry.id, ++this.#seq);
    if (s.state !== 'closed') return;
    entry.ended = true;
    for (const off of entry.offs.splice(0)) off();
    const ended = [...this.#sessions.values()].filter((e) => e.ended);
    for (const old of ended.slice(0, Math.max(0, ended.length - MAX_ENDED))) this.#forget(old);
  }

  #forget(e: Entry): void {
    this.#connectedSeq.delete(e.id);
    for (const off of e.offs.splice(0)) off();
    this.#sessions.delete(e.id);
  }

  /** The contract form of a state; error messages pass the redactor once more on their way out. */
  #wire(s: SessionState): TerminalState {
    const redact = (t: string): string => this.#deps.logger.redactor.redact(t);
    if (s.state === 'reconnecting') return { ...s, error: s.error === null ? null : redact(s.error) };
    if (s.state !== 'closed') return s;
    const error = s.error === null ? null : { ...s.error.toWire(), message: redact(s.error.message) };
    return { state: 'closed', reason: s.reason, code: s.code, error };
  }

  #wakeAll(): void {
    for (const e of this.#sessions.values()) if (e.session.state.state === 'reconnecting') e.session.retryNow();
  }
}

/** Adds output to the session's replay history, dropping the oldest chunks beyond REPLAY_BYTES. */
function remember(e: Entry, data: Uint8Array): void {
  e.recent.push(data);
  e.recentBytes += data.byteLength;
  while (e.recent.length > 1 && e.recentBytes - (e.recent[0]?.byteLength ?? 0) >= REPLAY_BYTES) {
    e.recentBytes -= e.recent.shift()?.byteLength ?? 0;
    e.recentTrimmed = true;
  }
}

/**
 * The bytes as a Uint8Array that owns exactly its own ArrayBuffer. Why: ssh2 and Buffer.concat hand out views into
 * larger pooled buffers, and a structured clone (Electron IPC) copies the whole underlying buffer — which could carry
 * unrelated memory to the renderer.
 */
function exactBytes(d: Buffer): Uint8Array<ArrayBuffer> {
  const buf = d.buffer;
  return buf instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === buf.byteLength
    ? new Uint8Array(buf)
    : new Uint8Array(d);
}

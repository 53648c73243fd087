import { z } from 'zod';
import { ErrorCode, WireError } from '../errors';
import { Id } from '../validators';
import { event, method, Ok } from './define';

/**
 * Terminals between UI and core. Terminal bytes travel as raw bytes (binary WebSocket frames, structured clone
 * over Electron IPC); the UI acknowledges what xterm has rendered with `terminal.ack`, which keeps the core's
 * buffers bounded (see src/main/ssh/pty-session.ts).
 */

export const SessionId = z.uuid();
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);

export const ReconnectPolicy = z.strictObject({
  enabled: z.boolean().default(true),
  initialDelayMs: z.number().int().min(50).max(60_000).default(500),
  maxDelayMs: z.number().int().min(100).max(600_000).default(30_000),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
});

export const TerminalState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('connected'), reconnected: z.boolean() }),
  z.object({
    state: z.literal('reconnecting'),
    attempt: z.number().int().nonnegative(),
    delayMs: z.number().int().nonnegative(),
    error: z.string().nullable(),
    /** Why the last attempt failed, e.g. VAULT_LOCKED: "unlock to reconnect" (null right after the drop). */
    errorCode: ErrorCode.nullable(),
  }),
  z.object({
    state: z.literal('closed'),
    reason: z.enum(['exit', 'closed', 'failed']),
    code: z.number().int().nullable(),
    error: WireError.nullable(),
  }),
]);
export type TerminalState = z.infer<typeof TerminalState>;

/**
 * A server as a panel knows it (a NexusPanel server's id): its web terminal is opened through the panel's API, not
 * over SSH.
 */
export const PanelServerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A panel server id is letters, digits, - or _.');
export const PanelTerminalSource = z.strictObject({ panelId: Id, panelServerId: PanelServerId });

export const TerminalSessionInfo = z.object({
  sessionId: SessionId,
  /** The server (for a panel terminal: the panel account's id, with `panel` saying which of its servers). */
  serverId: Id,
  panel: PanelTerminalSource.nullable(),
  title: z.string(),
  state: TerminalState,
  cols: z.number().int(),
  rows: z.number().int(),
});
export type TerminalSessionInfo = z.infer<typeof TerminalSessionInfo>;

const BySession = z.strictObject({ sessionId: SessionId });

/** Calls: open, drive, list and close terminals. */
export const terminalMethods = {
  'terminal.open': method({
    input: z.strictObject({ serverId: Id, cols: Cols, rows: Rows, reconnect: ReconnectPolicy.optional() }),
    output: z.object({ sessionId: SessionId }),
    summary: 'Open an interactive shell on a server (shares its SSH connection); output arrives as terminal.data.',
    cli: false,
  }),
  'terminal.openPanel': method({
    input: z.strictObject({ panelId: Id, panelServerId: PanelServerId, cols: Cols, rows: Rows }),
    output: z.object({ sessionId: SessionId }),
    summary:
      "Open a panel server's web terminal (NexusPanel's WebSocket shell) as a terminal session: same events and calls as terminal.open's.",
    cli: false,
  }),
  'terminal.write': method({
    input: z.strictObject({ sessionId: SessionId, data: z.string().max(1_000_000) }),
    output: z.object({
      accepted: z.boolean(),
      /**
       * Why input was refused: 'not-connected' (no live shell: connecting, reconnecting, failed or ended) or
       * 'backlog' (the server is not reading input fast enough). Absent when accepted.
       */
      reason: z.enum(['not-connected', 'backlog']).optional(),
    }),
    summary:
      'Send keystrokes or pasted text; accepted=false with a reason when there is no live shell or too much input is queued.',
    cli: false,
  }),
  'terminal.ack': method({
    input: z.strictObject({ sessionId: SessionId, bytes: z.number().int().positive() }),
    output: Ok,
    summary: 'Tell the core how many output bytes the terminal has rendered (flow control).',
    cli: false,
  }),
  'terminal.resize': method({
    input: z.strictObject({ sessionId: SessionId, cols: Cols, rows: Rows }),
    output: Ok,
    summary: 'Resize the remote PTY.',
    cli: false,
  }),
  'terminal.close': method({ input: BySession, output: Ok, summary: 'Close a terminal.', cli: false }),
  'terminal.replay': method({
    input: z.strictObject({ sessionId: SessionId }),
    output: z.object({ bytes: z.number().int().nonnegative() }),
    summary:
      "Re-attach: sends the session's recent output (≤ 256 KiB) as one terminal.replay event, then restarts its flow control for the caller.",
    cli: false,
  }),
  'terminal.busy': method({
    input: BySession,
    output: z.object({
      busy: z.boolean(),
      /** False when the shell could not be told apart from others on the connection: `busy` is then "any of them". */
      known: z.boolean(),
      /** The foreground program's command name (ps comm, ≤ 15 characters on Linux), when it could be read. */
      program: z.string().max(64).nullable(),
    }),
    summary: "Whether a program runs in the foreground of the session's shell (asked before closing it).",
    cli: false,
  }),
  'terminal.list': method({
    input: z.strictObject({}),
    output: z.array(TerminalSessionInfo),
    summary: 'Open terminal sessions (a reloaded window re-attaches to them).',
    cli: false,
  }),
};

export const terminalEvents = {
  'terminal.data': event({
    payload: z.object({ sessionId: SessionId, data: z.instanceof(Uint8Array) }),
    summary: 'A batch of terminal output (≤ 64 KiB); acknowledge data.byteLength once xterm has rendered it.',
  }),
  'terminal.replay': event({
    payload: z.object({ sessionId: SessionId, data: z.instanceof(Uint8Array) }),
    summary:
      'Recent output of a session a window re-attached to (answer to terminal.replay): write it, do not acknowledge it.',
  }),
  'terminal.state': event({
    payload: z.object({ sessionId: SessionId, state: TerminalState }),
    summary: 'Connecting, connected, reconnecting (attempt, next delay) or closed.',
  }),
  'terminal.reconnected': event({
    payload: z.object({ sessionId: SessionId, attempt: z.number().int(), downtimeMs: z.number().int() }),
    summary: 'A fresh shell replaced a dropped one: draw a divider and keep the old scrollback above it.',
  }),
};

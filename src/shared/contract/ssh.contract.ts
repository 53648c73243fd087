import { z } from 'zod';
import { ErrorCode, WireError } from '../errors';
import { Id, Port } from '../validators';
import { event, method } from './define';

/**
 * Terminals, SSH prompts, trusted host keys, snippets and port forwards between UI and core.
 * Terminal bytes travel as raw bytes (binary WebSocket frames, structured clone over Electron IPC); the UI
 * acknowledges what xterm has rendered with `terminal.ack`, which keeps the core's buffers bounded
 * (see src/main/ssh/pty-session.ts).
 */

const SessionId = z.uuid();
const PromptId = z.uuid();
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);
/** Forwards listen on loopback unless the user explicitly binds elsewhere. */
const BindHost = z.enum(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']).default('127.0.0.1');
const DestHost = z.string().trim().min(1).max(253);

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

export const HostKeyInfo = z.object({
  keyType: z.string(),
  /** `SHA256:...` exactly as `ssh-keygen -l` prints it. */
  fingerprint: z.string(),
  publicKey: z.string(),
});

export const ForwardSpecInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('local'),
    serverId: Id,
    bindHost: BindHost,
    bindPort: z.number().int().min(0).max(65535).default(0),
    destHost: DestHost,
    destPort: Port,
  }),
  z.strictObject({
    kind: z.literal('dynamic'),
    serverId: Id,
    bindHost: BindHost,
    bindPort: z.number().int().min(0).max(65535).default(0),
  }),
]);

/** The `details` of a HOST_KEY_CHANGED error: what the warning shows and what ssh.hostKey.replace needs. */
export const HostKeyChangedDetails = z.object({
  host: z.string(),
  port: z.number().int(),
  keyType: z.string(),
  /** The trusted fingerprints the server no longer matches. */
  oldFingerprints: z.array(z.string()),
  /** What it presented now (the only key ssh.hostKey.replace will accept). */
  newFingerprint: z.string(),
});
export type HostKeyChangedDetails = z.infer<typeof HostKeyChangedDetails>;

export const TrustedHostKey = HostKeyInfo.extend({
  id: Id,
  host: z.string(),
  port: z.number().int(),
  /** Where it came from: trusted at first connection, replaced after a change, or imported from known_hosts. */
  source: z.enum(['first-use', 'replaced', 'known_hosts']),
  addedAt: z.number().int(),
});
export type TrustedHostKey = z.infer<typeof TrustedHostKey>;

export const Snippet = z.object({
  id: Id,
  name: z.string(),
  /** Sent to the terminal as typed; a trailing newline runs it. */
  command: z.string(),
  tags: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Snippet = z.infer<typeof Snippet>;

const SnippetName = z.string().trim().min(1).max(120);
const SnippetCommand = z.string().min(1).max(20_000);
const SnippetTags = z.array(z.string().trim().min(1).max(40)).max(16);
const SnippetFields = z.strictObject({ name: SnippetName, command: SnippetCommand, tags: SnippetTags.default([]) });
/** Every field optional and without defaults: zod's .partial() would still fill tags with [] (see ServerPatch). */
const SnippetPatch = z.strictObject({
  name: SnippetName.optional(),
  command: SnippetCommand.optional(),
  tags: SnippetTags.optional(),
});

export const TerminalSessionInfo = z.object({
  sessionId: SessionId,
  serverId: Id,
  title: z.string(),
  state: TerminalState,
  cols: z.number().int(),
  rows: z.number().int(),
});
export type TerminalSessionInfo = z.infer<typeof TerminalSessionInfo>;

export const ForwardInfo = z.object({
  id: z.uuid(),
  kind: z.enum(['local', 'dynamic']),
  targetId: Id,
  bindHost: z.string(),
  bindPort: z.number().int(),
  destHost: z.string().nullable(),
  destPort: z.number().int().nullable(),
  connections: z.number().int().nonnegative(),
  totalConnections: z.number().int().nonnegative(),
});
export type ForwardInfo = z.infer<typeof ForwardInfo>;

const BySession = z.strictObject({ sessionId: SessionId });
const Ok = z.object({ ok: z.literal(true) });

/** Calls: open/drive/close terminals, answer prompts, manage forwards. */
export const sshMethods = {
  'terminal.open': method({
    input: z.strictObject({ serverId: Id, cols: Cols, rows: Rows, reconnect: ReconnectPolicy.optional() }),
    output: z.object({ sessionId: SessionId }),
    summary: 'Open an interactive shell on a server (shares its SSH connection); output arrives as terminal.data.',
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
  'hostKeys.list': method({
    input: z.strictObject({ host: z.string().max(253).optional() }),
    output: z.array(TrustedHostKey),
    summary: 'Trusted SSH host keys (kept in the vault).',
  }),
  'hostKeys.remove': method({
    input: z.strictObject({ id: Id }),
    output: Ok,
    summary: 'Forget a trusted host key (the next connection asks again).',
  }),
  'hostKeys.importKnownHosts': method({
    input: z.strictObject({ path: z.string().max(4096).optional(), text: z.string().max(5_000_000).optional() }),
    output: z.object({
      imported: z.number().int(),
      alreadyTrusted: z.number().int(),
      /** Hashed entries (|1|...) are kept and matched when a server with that host is first connected. */
      hashed: z.number().int(),
      skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    }),
    summary: 'Import ~/.ssh/known_hosts (default path), hashed entries included.',
  }),
  'snippets.list': method({
    input: z.strictObject({ query: z.string().max(200).optional() }),
    output: z.array(Snippet),
    summary: 'Saved commands (kept in the vault).',
  }),
  'snippets.create': method({ input: SnippetFields, output: Snippet, summary: 'Save a command.' }),
  'snippets.update': method({
    input: z.strictObject({ id: Id, patch: SnippetPatch }),
    output: Snippet,
    summary: 'Change a saved command.',
  }),
  'snippets.delete': method({ input: z.strictObject({ id: Id }), output: Ok, summary: 'Delete a saved command.' }),
  'snippets.run': method({
    input: z.strictObject({ id: Id, sessionIds: z.array(SessionId).min(1).max(64) }),
    output: z.object({ sent: z.number().int() }),
    summary: 'Type a saved command into one or more terminals.',
    cli: false,
  }),
  'ssh.hostKey.answer': method({
    input: z.strictObject({ promptId: PromptId, trust: z.boolean() }),
    output: Ok,
    summary: 'Answer a host key question: trust (and remember) the key, or refuse the connection.',
    cli: false,
  }),
  'ssh.hostKey.replace': method({
    input: z.strictObject({
      host: z.string().min(1).max(253),
      port: Port,
      fingerprint: z.string().startsWith('SHA256:'),
    }),
    output: HostKeyInfo,
    summary: 'Accept a changed host key that was refused (HOST_KEY_CHANGED), identified by the fingerprint shown.',
    /** Only the process that saw the refused key can accept it: a CLI run starts with none. */
    cli: false,
  }),
  'ssh.keyboard.answer': method({
    input: z.strictObject({
      promptId: PromptId,
      answers: z.array(z.string().max(4096)).max(16).nullable(),
      /** For a prompt with `offerRemember`: store the password in the vault (bound to the server) once it worked. */
      remember: z.boolean().optional(),
    }),
    output: Ok,
    summary: 'Answer keyboard-interactive prompts (password, one-time code); null cancels the sign-in.',
    cli: false,
  }),
  'forwards.start': method({
    input: ForwardSpecInput,
    output: ForwardInfo,
    summary: 'Start a local (-L) or dynamic SOCKS5 (-D) forward; binds loopback unless told otherwise.',
    /** A forward lives in the process that started it: from the CLI it would die as soon as the command returns. */
    cli: false,
  }),
  'forwards.stop': method({
    input: z.strictObject({ id: z.uuid() }),
    output: Ok,
    summary: 'Stop a forward.',
    cli: false,
  }),
  'forwards.list': method({
    input: z.strictObject({}),
    output: z.array(ForwardInfo),
    summary: 'Active forwards.',
    cli: false,
  }),
};

/** Pushes: terminal output and state, and questions the user must answer mid-connection. */
export const sshEvents = {
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
  'ssh.hostKey.prompt': event({
    payload: z.object({
      promptId: PromptId,
      serverId: Id,
      host: z.string(),
      port: z.number().int(),
      keyType: z.string(),
      fingerprint: z.string(),
      expiresAt: z.number().int(),
    }),
    summary: 'First connection to a host: show the fingerprint and ask whether to trust it.',
  }),
  'ssh.keyboard.prompt': event({
    payload: z.object({
      promptId: PromptId,
      serverId: Id,
      user: z.string(),
      host: z.string(),
      port: z.number().int(),
      name: z.string(),
      instructions: z.string(),
      prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
      expiresAt: z.number().int(),
      /**
       * True when this asks for the password of a server that has none stored ("None (ask when connecting)"): the
       * UI offers "remember in the vault" and answers with `remember`.
       */
      offerRemember: z.boolean().optional(),
    }),
    summary: 'The server asks questions (password, one-time code) during sign-in, or PanelDeck asks for a password.',
  }),
  'forwards.changed': event({
    payload: z.object({ forwards: z.array(ForwardInfo) }),
    summary: 'A forward started, stopped, or its connection count changed.',
  }),
  'ssh.prompt.closed': event({
    payload: z.object({ promptId: PromptId, reason: z.enum(['answered', 'timeout', 'abandoned']) }),
    summary: 'A prompt is no longer wanted: take it down.',
  }),
};

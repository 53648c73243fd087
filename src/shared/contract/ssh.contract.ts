import { z } from 'zod';
import { WireError } from '../errors';
import { Id, Port } from '../validators';
import { event, method } from './define';

/**
 * Terminals, SSH prompts and port forwards between UI and core.
 * Not yet spread into contract/index.ts: the lead wires it once the vault resolves server ids to SSH targets.
 * Terminal bytes travel base64-encoded (the transports carry JSON); the UI acknowledges what it rendered with
 * `terminal.ack`, which is what keeps the core's buffers bounded (see src/main/ssh/pty-session.ts).
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
    output: z.object({ accepted: z.boolean() }),
    summary: 'Send keystrokes or pasted text; accepted=false if too much input is still queued.',
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
  }),
  'ssh.keyboard.answer': method({
    input: z.strictObject({ promptId: PromptId, answers: z.array(z.string().max(4096)).max(16).nullable() }),
    output: Ok,
    summary: 'Answer keyboard-interactive prompts (password, one-time code); null cancels the sign-in.',
    cli: false,
  }),
  'forwards.start': method({
    input: ForwardSpecInput,
    output: ForwardInfo,
    summary: 'Start a local (-L) or dynamic SOCKS5 (-D) forward; binds loopback unless told otherwise.',
  }),
  'forwards.stop': method({ input: z.strictObject({ id: z.uuid() }), output: Ok, summary: 'Stop a forward.' }),
  'forwards.list': method({ input: z.strictObject({}), output: z.array(ForwardInfo), summary: 'Active forwards.' }),
};

/** Pushes: terminal output and state, and questions the user must answer mid-connection. */
export const sshEvents = {
  'terminal.data': event({
    payload: z.object({ sessionId: SessionId, data: z.base64(), bytes: z.number().int().positive() }),
    summary: 'A batch of terminal output (≤ 64 KiB, ≤ one per frame); acknowledge `bytes` once rendered.',
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
    }),
    summary: 'The server asks questions (password, one-time code) during sign-in.',
  }),
  'ssh.prompt.closed': event({
    payload: z.object({ promptId: PromptId, reason: z.enum(['answered', 'timeout', 'abandoned']) }),
    summary: 'A prompt is no longer wanted: take it down.',
  }),
};

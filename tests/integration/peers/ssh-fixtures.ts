import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../../src/main/core/create-core';
import { Logger, memorySink } from '../../../src/main/core/logger';
import type { EventName, Input, MethodName, Output, Payload } from '../../../src/shared/contract';
import type { TerminalState } from '../../../src/shared/contract/ssh.contract';
import { AppError } from '../../../src/shared/errors';
import { MIN_KDF } from '../../../src/main/vault/crypto';
import { ConnectionManager } from '../../../src/main/ssh/connection-manager';
import { MemoryHostKeyStore } from '../../../src/main/ssh/memory-host-key-store';
import type {
  CredentialSource,
  HostKeyQuestion,
  KbdQuestion,
  Prompter,
  SshAuthMethod,
  SshOptions,
  SshSecret,
  SshTarget,
} from '../../../src/main/ssh/ssh.types';
import type { SshdPeer } from './sshd';

/** A Prompter for tests: answers host-key questions with `trust` and kbd-interactive rounds with `kbd`, and records them. */
export class TestPrompter implements Prompter {
  readonly hostKeyQuestions: HostKeyQuestion[] = [];
  readonly kbdQuestions: KbdQuestion[] = [];
  trust = true;
  kbd: (q: KbdQuestion) => string[] | null = () => null;

  confirmHostKey(q: HostKeyQuestion): Promise<boolean> {
    this.hostKeyQuestions.push(q);
    return Promise.resolve(this.trust);
  }

  keyboardInteractive(q: KbdQuestion): Promise<string[] | null> {
    this.kbdQuestions.push(q);
    return Promise.resolve(this.kbd(q));
  }
}

/** A CredentialSource backed by a map (the vault's stand-in). */
export class MapCredentials implements CredentialSource {
  readonly secrets = new Map<string, SshSecret>();
  calls = 0;
  secretFor(id: string): Promise<SshSecret | null> {
    this.calls++;
    const s = this.secrets.get(id);
    return Promise.resolve(s === undefined ? null : { ...s });
  }
}

let seq = 0;

/** A target for `peer` as user tester (or root), with a fresh id unless given. */
export function targetFor(
  peer: SshdPeer,
  auth: SshAuthMethod,
  opts: { id?: string; user?: string; jump?: SshTarget[]; host?: string; port?: number } = {},
): SshTarget {
  return {
    id: opts.id ?? `t${++seq}`,
    host: opts.host ?? peer.host,
    port: opts.port ?? peer.port,
    user: opts.user ?? peer.user,
    auth,
    jump: opts.jump ?? [],
  };
}

/** A manager wired to in-memory stores and a recording prompter and log. */
export function makeManager(options: Partial<SshOptions> = {}): {
  manager: ConnectionManager;
  prompter: TestPrompter;
  credentials: MapCredentials;
  hostKeys: MemoryHostKeyStore;
  log: string[];
} {
  const prompter = new TestPrompter();
  const credentials = new MapCredentials();
  const hostKeys = new MemoryHostKeyStore();
  const { sink, lines } = memorySink();
  const manager = new ConnectionManager({
    credentials,
    hostKeys,
    prompter,
    logger: new Logger({ sink, level: 'debug' }),
    options: { idleGraceMs: 0, readyTimeoutMs: 10_000, keepaliveIntervalMs: 0, ...options },
  });
  return { manager, prompter, credentials, hostKeys, log: lines };
}

// --- A whole core driven through its dispatcher, like the UI (terminal-*.test.ts) ---

/** One recorded core event (a union over the event names, so checking `name` narrows `payload`). */
export type RecordedEvent = { [E in EventName]: { readonly name: E; readonly payload: Payload<E> } }[EventName];

/** A strict core on a temp data dir, with every event, log line and error recorded for waiting and leak checks. */
export interface CoreHarness {
  readonly core: Core;
  readonly dataDir: string;
  readonly events: RecordedEvent[];
  readonly lines: string[];
  /** Every error message that crossed the boundary (failed calls, terminal.state errors). */
  readonly errors: string[];
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  fail(method: MethodName, input: unknown): Promise<AppError>;
  /** Resolves with the first event `name` at index ≥ `from` that satisfies `pred` (recorded or future). */
  waitFor<E extends EventName>(
    name: E,
    pred?: (p: Payload<E>) => boolean,
    opts?: { from?: number; timeoutMs?: number },
  ): Promise<Payload<E>>;
  /** Resolves once a log line at index ≥ `from` matches `re` (e.g. the pool logging a closed connection). */
  waitForLog(re: RegExp, from?: number): Promise<string>;
  /** Everything a session printed so far (acked like xterm would). */
  text(sessionId: string): string;
  /** Resolves once the session's output matches `re`. */
  waitForText(sessionId: string, re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the session's next terminal.state whose state is `state` (from `from`). */
  waitForState<S extends TerminalState['state']>(
    sessionId: string,
    state: S,
    from?: number,
  ): Promise<Extract<TerminalState, { state: S }>>;
  close(): Promise<void>;
}

const GUARD_MS = 20_000;

/** Creates (and unlocks) a vault in a fresh core; `options` reach createCore (ssh tuning, homeDir). */
export async function coreHarness(
  options: Partial<CoreOptions> & { masterPassword?: string } = {},
): Promise<CoreHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pd-term-'));
  const lines: string[] = [];
  const errors: string[] = [];
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  const sink = (line: string): void => {
    lines.push(line);
    for (const w of [...waiters]) w();
  };
  const texts = new Map<string, string>();
  const keychainItems = new Map<string, string>();
  const core = createCore({
    dataDir,
    strict: true,
    kdf: MIN_KDF,
    logSink: sink,
    keychain: {
      get: (s, a) => Promise.resolve(keychainItems.get(`${s}/${a}`) ?? null),
      set: (s, a, v) => Promise.resolve(void keychainItems.set(`${s}/${a}`, v)),
      delete: (s, a) => Promise.resolve(keychainItems.delete(`${s}/${a}`)),
    },
    ...options,
    ssh: { idleGraceMs: 0, readyTimeoutMs: 10_000, keepaliveIntervalMs: 0, ...options.ssh },
  });
  const ctx = { transport: 'in-process' as const };
  core.events.subscribe((name, payload) => {
    if (name === 'terminal.data') {
      const p = payload as Payload<'terminal.data'>;
      texts.set(p.sessionId, (texts.get(p.sessionId) ?? '') + Buffer.from(p.data).toString('utf8'));
      // Ack like xterm does once it has rendered: later, as its own task, the way an IPC/WebSocket message arrives.
      setImmediate(() => {
        void core.dispatcher.call('terminal.ack', { sessionId: p.sessionId, bytes: p.data.byteLength }, ctx);
      });
    }
    if (name === 'terminal.state') {
      const st = (payload as Payload<'terminal.state'>).state;
      if (st.state === 'closed' && st.error !== null) errors.push(st.error.message);
      if (st.state === 'reconnecting' && st.error !== null) errors.push(st.error);
    }
    events.push({ name, payload } as RecordedEvent);
    for (const w of [...waiters]) w();
  });
  const until = <T>(check: () => T | undefined, what: string, timeoutMs = GUARD_MS): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== undefined) return resolve(first);
      const timer = setTimeout(() => {
        waiters.delete(poll);
        reject(new Error(`timed out waiting for ${what}; events: ${events.map((e) => e.name).join(', ')}`));
      }, timeoutMs);
      const poll = (): void => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        waiters.delete(poll);
        resolve(v);
      };
      waiters.add(poll);
    });
  const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) {
      errors.push(r.error.message);
      throw AppError.fromWire(r.error);
    }
    return r.value as Output<M>;
  };
  const fail = async (method: MethodName, input: unknown): Promise<AppError> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (r.ok) throw new Error(`${method} succeeded but was expected to fail`);
    errors.push(r.error.message);
    return AppError.fromWire(r.error);
  };
  await call('vault.create', { password: options.masterPassword ?? 'correct horse battery staple' });
  const h: CoreHarness = {
    core,
    dataDir,
    events,
    lines,
    errors,
    call,
    fail,
    waitFor: <E extends EventName>(
      name: E,
      pred?: (p: Payload<E>) => boolean,
      opts: { from?: number; timeoutMs?: number } = {},
    ) =>
      until<Payload<E>>(
        () => {
          for (let i = opts.from ?? 0; i < events.length; i++) {
            const e = events[i];
            if (e?.name !== name) continue;
            const p = e.payload as Payload<E>;
            if (pred === undefined || pred(p)) return p;
          }
          return undefined;
        },
        `event ${name}`,
        opts.timeoutMs,
      ),
    waitForLog: (re, from = 0) => until(() => lines.slice(from).find((l) => re.test(l)), `log ${re}`),
    text: (id) => texts.get(id) ?? '',
    waitForText: (id, re, timeoutMs) =>
      until(() => ((texts.get(id) ?? '').match(re) ? (texts.get(id) ?? '') : undefined), `output ${re}`, timeoutMs),
    waitForState: (id, state, from = 0) =>
      h
        .waitFor('terminal.state', (p) => p.sessionId === id && p.state.state === state, { from })
        .then((p) => p.state as never),
    close: async () => {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Adds a server (and a credential, if given) for `peer`; returns the server id. */
export async function addServer(
  h: CoreHarness,
  peer: SshdPeer,
  auth: SshAuthMethod,
  opts: {
    name?: string;
    credential?: { kind: 'password' | 'ssh-key'; secret: string; passphrase?: string | null };
    jumpHostIds?: string[];
    user?: string;
  } = {},
): Promise<string> {
  let credentialId: string | null = null;
  const name = opts.name ?? `srv-${++seq}`;
  if (opts.credential !== undefined) {
    const c = await h.call('credentials.create', {
      name: `${name}-cred`,
      kind: opts.credential.kind,
      secret: opts.credential.secret,
      passphrase: opts.credential.passphrase ?? null,
    });
    credentialId = c.id;
  }
  const s = await h.call('servers.create', {
    name,
    host: peer.host,
    port: peer.port,
    user: opts.user ?? peer.user,
    auth,
    credentialId,
    jumpHostIds: opts.jumpHostIds ?? [],
  });
  return s.id;
}

/** Opens a terminal and answers its host key prompt (if one comes) with `trust`; resolves on connected. */
export async function openTrusted(
  h: CoreHarness,
  serverId: string,
  opts: { expectPrompt?: boolean; cols?: number; rows?: number; reconnect?: Input<'terminal.open'>['reconnect'] } = {},
): Promise<string> {
  const from = h.events.length;
  const { sessionId } = await h.call('terminal.open', {
    serverId,
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    ...(opts.reconnect ? { reconnect: opts.reconnect } : {}),
  });
  const answered = new Set<string>();
  const unsub = h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt' || opts.expectPrompt === false) return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    if (answered.has(p.promptId)) return;
    answered.add(p.promptId);
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
  try {
    const st = await Promise.race([
      h.waitForState(sessionId, 'connected', from),
      h.waitForState(sessionId, 'closed', from).then((c) => {
        throw new Error(`terminal closed: ${c.error?.code ?? c.reason} ${c.error?.message ?? ''}`);
      }),
    ]);
    expect(st.reconnected).toBe(false);
  } finally {
    unsub();
  }
  return sessionId;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/create-core';
import { ManualClock } from '../../src/main/vault/clock';
import { MIN_KDF } from '../../src/main/vault/crypto';
import type { KeychainStore } from '../../src/main/vault/keychain';
import type { EventName, Input, MethodName, Output, Payload } from '../../src/shared/contract';
import type { TerminalState } from '../../src/shared/contract/terminal.contract';
import { AppError } from '../../src/shared/errors';

/*
 * The one test harness for a whole core driven through its dispatcher, as the UI drives it: unit tests
 * (`testCore`: a manual clock, no vault yet) and integration tests against real peers (`coreHarness`: the real
 * clock, a fresh vault, SSH tuned for tests) are the same thing with different defaults.
 */

/** Every log line and error message any harness produced in this test file: the no-secret-leak checks read them. */
export const captured = { lines: [] as string[], errors: [] as string[] };

/** Every secret a test handed to the vault; none may appear in any captured log line or error. */
export const testSecrets = new Set<string>([]);

/** The default master password of a harness's vault. */
export const PASSWORD = 'correct horse battery staple';
testSecrets.add(PASSWORD);

/** A distinctive secret value, remembered for the leak check. */
export function testSecret(label: string): string {
  const s = `Sekr1t-${label}-${Math.random().toString(36).slice(2, 10)}`;
  testSecrets.add(s);
  return s;
}

/** The test secrets that appear in any captured log line or error message (this file's run); should be none. */
export function leaksFound(): string[] {
  const texts = [...captured.lines, ...captured.errors];
  const found: string[] = [];
  for (const secret of testSecrets) for (const t of texts) if (t.includes(secret)) found.push(secret);
  return found;
}

/** A keychain in memory (the real one is tested against gnome-keyring in tests/integration/keychain.test.ts). */
export class MemoryKeychain implements KeychainStore {
  readonly items = new Map<string, string>();
  failing = false;
  get(s: string, a: string): Promise<string | null> {
    return this.#run(() => this.items.get(`${s}/${a}`) ?? null);
  }
  set(s: string, a: string, v: string): Promise<void> {
    return this.#run(() => void this.items.set(`${s}/${a}`, v));
  }
  delete(s: string, a: string): Promise<boolean> {
    return this.#run(() => this.items.delete(`${s}/${a}`));
  }
  #run<T>(fn: () => T): Promise<T> {
    try {
      this.#check();
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
  #check() {
    if (this.failing) throw new Error('org.freedesktop.DBus.Error.ServiceUnknown');
  }
}

const tempDirs = new Set<string>();
// Top level of a module each test file imports afresh (vitest isolates files): runs once that file is done.
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
});

/** A fresh temporary directory of its own (mkdtemp), removed once the test file that made it has finished. */
export function tempDir(prefix = 'pd-vault-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** One recorded core event (a union over the event names, so checking `name` narrows `payload`). */
export type RecordedEvent = { [E in EventName]: { readonly name: E; readonly payload: Payload<E> } }[EventName];

/** A strict core on a data dir, with every event, log line and error recorded for waiting and leak checks. */
export interface CoreHarness {
  readonly core: Core;
  readonly dataDir: string;
  readonly keychain: KeychainStore;
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
  /** Closes the core (and removes the data dir when the harness made it). */
  close(): Promise<void>;
}

/** A harness on a manual clock, as unit tests use it. */
export type TestCore = CoreHarness & { readonly clock: ManualClock };

const GUARD_MS = 20_000;

/** The harness itself: `clock: null` keeps the core's real clock; `ownsDir` removes the dir on close. */
function startHarness(dataDir: string, extra: Partial<CoreOptions>, ownsDir: boolean): CoreHarness {
  const lines: string[] = [];
  const errors: string[] = [];
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  const texts = new Map<string, string>();
  const keychain = extra.keychain ?? new MemoryKeychain();
  const core = createCore({
    dataDir,
    strict: true,
    kdf: MIN_KDF,
    ...extra,
    keychain,
    logSink: (line) => {
      lines.push(line);
      captured.lines.push(line);
      for (const w of [...waiters]) w();
    },
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
      captured.errors.push(JSON.stringify(r.error));
      throw AppError.fromWire(r.error);
    }
    return r.value as Output<M>;
  };
  const fail = async (method: MethodName, input: unknown): Promise<AppError> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (r.ok) throw new Error(`${method} succeeded but was expected to fail`);
    errors.push(r.error.message);
    captured.errors.push(JSON.stringify(r.error));
    return AppError.fromWire(r.error);
  };
  const waitFor = <E extends EventName>(
    name: E,
    pred?: (p: Payload<E>) => boolean,
    opts: { from?: number; timeoutMs?: number } = {},
  ): Promise<Payload<E>> =>
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
    );
  return {
    core,
    dataDir,
    keychain,
    events,
    lines,
    errors,
    call,
    fail,
    waitFor,
    waitForLog: (re, from = 0) => until(() => lines.slice(from).find((l) => re.test(l)), `log ${re}`),
    text: (id) => texts.get(id) ?? '',
    waitForText: (id, re, timeoutMs) =>
      until(() => ((texts.get(id) ?? '').match(re) ? (texts.get(id) ?? '') : undefined), `output ${re}`, timeoutMs),
    waitForState: (id, state, from = 0) =>
      waitFor('terminal.state', (p) => p.sessionId === id && p.state.state === state, { from }).then(
        (p) => p.state as never,
      ),
    close: async () => {
      await core.close();
      if (ownsDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A strict core on `dir` with the minimum Argon2 cost, a manual clock and an in-memory keychain; no vault yet
 * (unit tests create, lock and unlock it themselves).
 */
export function testCore(dir: string, extra: Partial<CoreOptions> & { clock?: ManualClock } = {}): TestCore {
  const clock = extra.clock ?? new ManualClock();
  return { ...startHarness(dir, { ...extra, clock }, false), clock };
}

/**
 * A strict core on a fresh temp data dir (removed on close) with the real clock and an unlocked vault, SSH tuned
 * for tests (no idle grace, no keepalives); `options` reach createCore (ssh tuning, homeDir, ...).
 */
export async function coreHarness(
  options: Partial<CoreOptions> & { masterPassword?: string } = {},
): Promise<CoreHarness> {
  const { masterPassword, ...rest } = options;
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pd-term-'));
  const h = startHarness(
    dataDir,
    { ...rest, ssh: { idleGraceMs: 0, readyTimeoutMs: 10_000, keepaliveIntervalMs: 0, ...rest.ssh } },
    true,
  );
  await h.call('vault.create', { password: masterPassword ?? PASSWORD });
  return h;
}

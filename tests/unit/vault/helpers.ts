import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/shared/errors';
import type { Input, MethodName, Output } from '../../../src/shared/contract';
import { createCore, type Core, type CoreOptions } from '../../../src/main/core/create-core';
import { memorySink } from '../../../src/main/core/logger';
import { ManualClock } from '../../../src/main/vault/clock';
import { MIN_KDF } from '../../../src/main/vault/crypto';
import type { KeychainStore } from '../../../src/main/vault/keychain';

/** Every log line and error message any test core produced: the no-secret-leak test reads them all. */
export const captured = { lines: [] as string[], errors: [] as string[] };

/** Every secret a test handed to the vault; none may appear in any captured log line or error. */
export const testSecrets = new Set<string>([]);

/** A distinctive secret value, remembered for the leak check. */
export function testSecret(label: string): string {
  const s = `Sekr1t-${label}-${Math.random().toString(36).slice(2, 10)}`;
  testSecrets.add(s);
  return s;
}

/** Asserts that no captured log line or error message (this file's run) contains any test secret. */
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

/** A temporary data directory, removed by the returned cleanup. */
export function tempDir(prefix = 'pd-vault-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestCore {
  core: Core;
  clock: ManualClock;
  keychain: KeychainStore;
  lines: string[];
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  fail(method: MethodName, input: unknown): Promise<AppError>;
}

/** A strict core on `dir` with the minimum Argon2 cost, a manual clock and an in-memory keychain. */
export function testCore(dir: string, extra: Partial<CoreOptions> & { clock?: ManualClock } = {}): TestCore {
  const clock = extra.clock ?? new ManualClock();
  const keychain = extra.keychain ?? new MemoryKeychain();
  const sink = memorySink();
  const core = createCore({
    dataDir: dir,
    strict: true,
    kdf: MIN_KDF,
    ...extra,
    clock,
    keychain,
    logSink: (line, rec) => {
      sink.sink(line, rec);
      captured.lines.push(line);
    },
  });
  const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
    const r = await core.dispatcher.call(method, input, { transport: 'in-process' });
    if (!r.ok) {
      captured.errors.push(JSON.stringify(r.error));
      throw AppError.fromWire(r.error);
    }
    return r.value as Output<M>;
  };
  const fail = async (method: MethodName, input: unknown): Promise<AppError> => {
    const r = await core.dispatcher.call(method, input, { transport: 'in-process' });
    if (r.ok) throw new Error(`${method} succeeded but was expected to fail`);
    captured.errors.push(JSON.stringify(r.error));
    return AppError.fromWire(r.error);
  };
  return { core, clock, keychain, lines: sink.lines, call, fail };
}

export const PASSWORD = 'correct horse battery staple';
testSecrets.add(PASSWORD);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus } from '../../../src/main/core/event-bus';
import { Logger, memorySink } from '../../../src/main/core/logger';
import { createOperationsModule, type OperationsModule, type OperationsModuleDeps } from '../../../src/main/operations';
import type { Operation } from '../../../src/main/operations';
import type { Clock } from '../../../src/main/vault/clock';
import { MIN_KDF } from '../../../src/main/vault/crypto';
import { VaultService } from '../../../src/main/vault/vault.service';
import type { EventName } from '../../../src/shared/contract';

/** A temporary data directory for one test. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'helperF-ops-'));
}

/** A promise with its resolve, for steps that wait until the test lets them go (no sleeps). */
export function gate<T = void>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

export interface Harness {
  readonly dir: string;
  readonly vault: VaultService;
  readonly events: EventBus;
  readonly logs: string[];
  readonly mod: OperationsModule;
  /** Every event emitted, in order. */
  readonly seen: { name: EventName; payload: unknown }[];
  /** Resolves with the first operations.changed payload that satisfies `pred`. */
  waitFor(pred: (op: Operation) => boolean): Promise<Operation>;
  close(): Promise<void>;
}

/** A real vault (minimum KDF cost) and the operations module on a fresh or given data directory. */
export async function harness(
  opts: {
    dir?: string;
    password?: string;
    clock?: Clock;
    /** Extra module deps, or a function of the unlocked vault giving them (e.g. its audit trail). */
    module?: Partial<OperationsModuleDeps> | ((vault: VaultService) => Partial<OperationsModuleDeps>);
  } = {},
): Promise<Harness> {
  const dir = opts.dir ?? tempDir();
  const { sink, lines } = memorySink();
  const logger = new Logger({ sink });
  const events = new EventBus({ validate: true });
  const vault = new VaultService({
    dataDir: dir,
    logger,
    events,
    kdf: MIN_KDF,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const password = opts.password ?? 'correct horse battery staple';
  if (vault.status().exists) await vault.unlock(password);
  else await vault.create(password);
  const seen: { name: EventName; payload: unknown }[] = [];
  const waiters: { pred: (op: Operation) => boolean; resolve: (op: Operation) => void }[] = [];
  events.subscribe((name, payload) => {
    seen.push({ name, payload });
    if (name !== 'operations.changed') return;
    for (const w of [...waiters]) {
      if (w.pred(payload as Operation)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload as Operation);
      }
    }
  });
  const mod = createOperationsModule({
    dataDir: dir,
    sealer: vault.sealer,
    events,
    logger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(typeof opts.module === 'function' ? opts.module(vault) : opts.module),
  });
  return {
    dir,
    vault,
    events,
    logs: lines,
    mod,
    seen,
    waitFor: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })),
    async close() {
      await mod.close();
      vault.close();
    },
  };
}

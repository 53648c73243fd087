import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The argv and environment of one process, as /proc shows them. */
export interface ProcText {
  /** PID inside the server's PID namespace. */
  pid: number;
  /** /proc/PID/cmdline with the NUL separators turned into spaces. */
  cmdline: string;
  /** /proc/PID/environ entries ("KEY=value"). */
  environ: string[];
}

/** A background sampler of every process's argv and environment; see {@link startProcSampler}. */
export interface ProcSampler {
  /** Resolves after a whole sampling round that began after this call (what is running now has been seen). */
  sync(): Promise<void>;
  /** Stops sampling and resolves with every distinct string seen (cmdlines and environment entries) and the count of rounds. */
  stop(): Promise<{ strings: string[]; rounds: number }>;
}

/** Atomics.waitAsync (Node 16+; typed only in lib es2024, newer than this project's lib). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(this: void, a: Int32Array, i: number, v: number, t: number): { value: Promise<string> | string };
  }
).waitAsync;

/** Splits a NUL-separated /proc text into its non-empty parts. */
function parts(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .split('\0')
    .filter((s) => s !== '');
}

/** Reads a file that may vanish at any time (the process exited): empty when gone. */
function readGone(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * One scan of `procDir` (a procfs mount: the server's own /proc seen from the root namespace as
 * /proc/<init pid>/root/proc, so it lists only the server's processes).
 */
export function scanProc(procDir: string): ProcText[] {
  const out: ProcText[] = [];
  for (const name of readdirSync(procDir)) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = parts(readGone(`${procDir}/${name}/cmdline`)).join(' ');
    const environ = parts(readGone(`${procDir}/${name}/environ`));
    if (cmdline === '' && environ.length === 0) continue; // kernel thread or already gone
    out.push({ pid: Number(name), cmdline, environ });
  }
  return out;
}

// The sampler runs in a worker thread, so a busy test (or the driver under test) does not slow its rounds down,
// and its tight loop does not stall the test's event loop. Plain JS: workers cannot load TypeScript.
const SAMPLER_JS = `
const { readFileSync, readdirSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { procDir, flag, intervalMs } = workerData;
const shared = new Int32Array(flag); // [0]: stop flag, [1]: rounds done
// Highest CPU priority for this thread (the tests run as root): with npm test's lanes on two cores, a sampler at
// normal priority was sometimes not scheduled during a login check that lives a few milliseconds, and missed it.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, -20);
} catch { /* not allowed: sample at normal priority */ }
const seen = new Set();
const read = (p) => { try { return readFileSync(p); } catch { return null; } };
let rounds = 0;
for (;;) {
  let names = [];
  try { names = readdirSync(procDir); } catch { /* namespace gone */ }
  for (const n of names) {
    if (!/^\\d+$/.test(n)) continue;
    const c = read(procDir + '/' + n + '/cmdline');
    if (c !== null && c.length > 0) seen.add(c.toString('utf8').split('\\0').filter(Boolean).join(' '));
    const e = read(procDir + '/' + n + '/environ');
    if (e !== null) for (const kv of e.toString('utf8').split('\\0')) if (kv !== '') seen.add(kv);
  }
  rounds++;
  Atomics.store(shared, 1, rounds);
  Atomics.notify(shared, 1);
  if (rounds === 1) parentPort.postMessage({ ready: true });
  if (Atomics.wait(shared, 0, 0, intervalMs) !== 'timed-out') break;
}
parentPort.postMessage({ strings: [...seen], rounds });
`;

/**
 * Starts sampling `procDir` every `intervalMs` (default 1 ms) in a worker thread; resolves once the first round is
 * done. Polling cannot see a process that lives shorter than a round, so assertions that "no password appeared"
 * are as strong as the sampling rate: a command that runs for a few milliseconds is seen.
 */
export async function startProcSampler(procDir: string, intervalMs = 1): Promise<ProcSampler> {
  const flag = new SharedArrayBuffer(8);
  const shared = new Int32Array(flag);
  const worker = new Worker(SAMPLER_JS, { eval: true, workerData: { procDir, flag, intervalMs } });
  const messages: { ready?: boolean; strings?: string[]; rounds?: number }[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m: { ready?: boolean; strings?: string[]; rounds?: number }) => {
    messages.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', () => {
    failure ??= new Error('process sampler exited');
    wake?.();
  });
  const next = async (): Promise<{ ready?: boolean; strings?: string[]; rounds?: number }> => {
    for (;;) {
      const m = messages.shift();
      if (m !== undefined) return m;
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await next();
  return {
    async sync() {
      // a round in progress now may have started before the call: wait for it and one more
      const target = Atomics.load(shared, 1) + 2;
      for (;;) {
        const now = Atomics.load(shared, 1);
        if (now >= target) return;
        if (failure !== undefined) throw failure;
        await waitAsync(shared, 1, now, 1_000).value;
      }
    },
    async stop() {
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      const m = await next();
      await worker.terminate();
      return { strings: m.strings ?? [], rounds: m.rounds ?? 0 };
    },
  };
}

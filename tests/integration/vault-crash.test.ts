import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { RecordStore } from '../../src/main/vault/record-store';
import { SealedRecords } from '../../src/main/vault/sealed-records';
import { PASSWORD, tempDir, testCore } from '../support/core-harness';

const TRIALS = 100;
const LANES = 3;
const WRITER = path.join(import.meta.dirname, 'vault-crash-writer.ts');

interface Trial {
  committed: Map<string, 'credential' | 'server'>;
  deleted: Set<string>;
  /** Deletes in flight at the kill: committed or not, either outcome is correct. */
  deleting: Set<string>;
}

interface Writer {
  ready: Promise<void>;
  /** Starts the write loop and SIGKILLs the child as soon as it has printed `killAfter` commits. */
  run(killAfter: number): Promise<Trial>;
  /** Kills a writer that was warmed up but not needed. */
  discard(): Promise<void>;
}

/** Spawns a writer on `dir`; it unlocks and waits (so the next trial's start-up overlaps this trial's writes). */
function startWriter(dir: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], {
    env: { ...process.env, PD_TEST_PASSWORD: PASSWORD },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const trial: Trial = { committed: new Map(), deleted: new Set(), deleting: new Set() };
  let buf = '';
  let commits = 0;
  let stderr = '';
  let killAfter = Infinity;
  let markReady = (): void => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const ended = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(signal));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const [kind, id = ''] = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      if (kind === 'ready') markReady();
      else if (kind === 'deleting') trial.deleting.add(id);
      else if (kind === 'credential' || kind === 'server' || kind === 'deleted') {
        if (kind === 'deleted') trial.deleted.add(id);
        else trial.committed.set(id, kind);
        if (++commits >= killAfter && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
  });
  return {
    ready: Promise.race([
      ready,
      ended.then(() => Promise.reject(new Error(`writer exited before ready: ${stderr.slice(0, 500)}`))),
    ]),
    async run(n) {
      killAfter = n;
      child.stdin.write('go\n');
      const signal = await ended;
      if (signal !== 'SIGKILL') throw new Error(`writer ended without SIGKILL: ${stderr.slice(0, 500)}`);
      return trial;
    },
    async discard() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await ended;
    },
  };
}

const results: { trials: number; lost: number; committed: number; failedOpen: number } = {
  trials: 0,
  lost: 0,
  committed: 0,
  failedOpen: 0,
};
const everCommitted = new Set<string>();
afterAll(() => {
  console.log(
    `vault crash trials: ${results.trials - results.failedOpen}/${results.trials} opened, ${everCommitted.size} distinct committed records (${results.committed} record checks), ${results.lost} lost`,
  );
});

test(`${TRIALS} SIGKILLs mid-write: the vault always opens and every committed record decrypts`, async () => {
  const started = Date.now();
  // Each lane owns one vault. The verifier unlocks each once with Argon2 and keeps that data key: the trials test
  // storage atomicity, not the KDF, and the key never changes between writes. Every trial still opens the file
  // afresh (WAL recovery included) and decrypts every record with the integrity check.
  const lanes = await Promise.all(
    Array.from({ length: LANES }, async () => {
      const dir = tempDir('pd-crash-');
      const t = testCore(dir);
      await t.call('vault.create', { password: PASSWORD });
      const key = t.core.vault.records().dataKeyCopy();
      await t.core.close();
      return { dir, key, expected: new Map<string, string>(), maybe: new Set<string>() };
    }),
  );
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      let warm: Writer | null = startWriter(lane.dir);
      while (next < TRIALS) {
        next++;
        const current: Writer = warm ?? startWriter(lane.dir);
        await current.ready;
        const done = current.run(1 + Math.floor(Math.random() * 16));
        warm = next < TRIALS ? startWriter(lane.dir) : null;
        const trial = await done;
        for (const [id, kind] of trial.committed) {
          lane.expected.set(id, kind);
          everCommitted.add(id);
        }
        for (const id of trial.deleted) lane.expected.delete(id);
        for (const id of trial.deleting) if (!trial.deleted.has(id)) lane.maybe.add(id);
        results.trials++;
        let store: RecordStore | null = null;
        try {
          store = RecordStore.open(RecordStore.fileIn(lane.dir));
          const records = new SealedRecords(store, Buffer.from(lane.key));
          expect(records.tampered.size).toBe(0);
          for (const id of lane.maybe) {
            // A delete that was in flight at the kill: the record is either whole or gone, never half there.
            if (!records.all('credential').has(id)) lane.expected.delete(id);
          }
          lane.maybe.clear();
          for (const [id, kind] of lane.expected) {
            results.committed++;
            const ok = kind === 'server' ? records.all('server').has(id) : records.all('credential').has(id);
            if (!ok) results.lost++;
            else records.openFromDisk(id);
          }
        } catch (e) {
          results.failedOpen++;
          throw e;
        } finally {
          store?.close();
        }
      }
      await warm?.discard();
    }),
  );
  // Finally a real unlock (Argon2 and all) of every lane's vault.
  for (const lane of lanes) {
    const t = testCore(lane.dir);
    await t.call('vault.unlock', { password: PASSWORD });
    const ids = new Set([
      ...t.core.vault.records().all('server').keys(),
      ...t.core.vault.records().all('credential').keys(),
    ]);
    for (const id of lane.expected.keys()) expect(ids.has(id)).toBe(true);
    await t.core.close();
  }
  expect(results.trials).toBe(TRIALS);
  expect(results.failedOpen).toBe(0);
  expect(results.lost).toBe(0);
  expect(results.committed).toBeGreaterThan(TRIALS);
  // How long the trials take is a figure, not a verdict (speed goals live in bench/): printed for the record.
  console.log(`[figures] ${TRIALS} SIGKILL trials in ${Date.now() - started} ms`);
  // A guard, not a goal: beside the other lanes of npm test on two cores the trials take 2-4 minutes.
}, 420_000);

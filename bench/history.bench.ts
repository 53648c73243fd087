import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BenchFigure } from './run';
import { HistoryDb } from '../src/main/storage/history/history-db';
import type { OperationRow, StepRow } from '../src/main/storage/history/journal-store';
import { keySealer } from '../src/main/storage/sealer';
import { newKey } from '../src/main/vault/crypto';

const OPERATIONS = 10_000;
const SERVERS = 100;
const STEPS = 6;
const STATES = ['succeeded', 'succeeded', 'succeeded', 'rolled_back', 'failed', 'cancelled'] as const;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

function timeIt(runs: number, fn: () => unknown): { median: number; p95: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/**
 * history.db on the main thread: a journal of 10,000 operations (6 steps, 1 recorded command each, everything
 * sealed), the queries the UI makes (first page, page of one server, deep page filtered by state, one operation
 * with its output) and the daily prune. These figures are why SQL runs on the main thread rather than a worker:
 * each call must stay well under a terminal frame (goal < 3 ms) so terminal traffic never stalls behind it.
 */
export function runHistoryBench(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-history-'));
  const key = newKey();
  const history = HistoryDb.open(
    HistoryDb.fileIn(dir),
    keySealer(
      () => Buffer.from(key),
      () => true,
    ),
  );
  try {
    const servers = Array.from({ length: SERVERS }, () => randomUUID());
    const start = Date.now() - 100 * 86_400_000;
    const t0 = performance.now();
    const ids: string[] = [];
    history.db.transaction(() => {
      for (let i = 0; i < OPERATIONS; i++) {
        const id = randomUUID();
        ids.push(id);
        const createdAt = start + i * 864_000; // spread over 100 days
        const op: OperationRow = {
          id,
          serverId: servers[i % SERVERS]!,
          createdAt,
          state: STATES[i % STATES.length]!,
          startedAt: createdAt + 5,
          endedAt: createdAt + 9000,
          progress: 1,
          head: {
            kind: 'site.create',
            title: `Create site site-${i}.example.com`,
            params: { domain: `site-${i}.example.com`, php: '8.3' },
            plannedCommands: [`nginx -t`, `systemctl reload nginx`],
            error: null,
            notRestored: [],
          },
        };
        const steps: StepRow[] = Array.from({ length: STEPS }, (_, seq) => ({
          seq,
          state: 'succeeded',
          startedAt: createdAt + seq,
          endedAt: createdAt + seq + 1,
          body: { id: `step-${seq}`, title: `Step ${seq} of site-${i}`, kind: 'exec', error: null, result: null },
        }));
        history.journal.insert(op, steps);
        for (let s = 0; s < STEPS; s++) {
          history.journal.appendOutput(id, s, 0, createdAt, {
            type: 'command',
            command: `nginx -t # site-${i}`,
            exitCode: 0,
            output: 'syntax is ok',
          });
        }
      }
    })();
    const fill = performance.now() - t0;

    // The reference: a fixed piece of main-thread work measured in the same run (JSON round trip of ~60 KB,
    // about what one repaint of a busy terminal costs), so a loaded machine shows in both figures alike.
    const sample = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ i, line: `output line ${i}`.repeat(3) })));
    const reference = timeIt(200, () => JSON.parse(sample) as unknown);
    const first = timeIt(200, () => history.journal.list({ limit: 50 }));
    const server = timeIt(200, () => history.journal.list({ limit: 50, serverId: servers[7] }));
    const deepCursor = history.journal.list({ limit: 100, state: ['rolled_back'] }).nextCursor!;
    const deep = timeIt(200, () => history.journal.list({ limit: 50, state: ['rolled_back'], cursor: deepCursor }));
    const big = timeIt(100, () => history.journal.list({ limit: 100 }));
    const one = timeIt(200, () => history.journal.get(ids[4321]!));
    // The daily prune, one batch (20 operations with their steps and output) between event-loop turns.
    let cut = start;
    const batch = timeIt(20, () => {
      cut += 17_280_000;
      history.journal.prune(cut, 20);
    });
    const r = (x: number) => Math.round(x * 1000) / 1000;
    const x = (t: number) => `${r(t)} ms = ${(t / reference.median).toFixed(2)}x reference`;
    return Promise.resolve([
      {
        name: `fill ${OPERATIONS} operations (x${STEPS} steps, sealed)`,
        value: Math.round(fill),
        unit: 'ms',
        goal: 'info',
      },
      { name: 'reference: JSON.parse of 60 KB (median)', value: r(reference.median), unit: 'ms', goal: 'info' },
      { name: 'reference: JSON.parse of 60 KB (p95)', value: r(reference.p95), unit: 'ms', goal: 'info' },
      {
        name: 'journal list, first page of 50 (median)',
        value: r(first.median),
        unit: 'ms',
        goal: `< 3 ms (${x(first.median)})`,
      },
      { name: 'journal list, first page of 50 (p95)', value: r(first.p95), unit: 'ms', goal: '< 3 ms' },
      {
        name: 'journal list, one server, page of 50',
        value: r(server.median),
        unit: 'ms',
        goal: `< 3 ms (${x(server.median)})`,
      },
      {
        name: 'journal list, state filter, page after 100',
        value: r(deep.median),
        unit: 'ms',
        goal: `< 3 ms (${x(deep.median)})`,
      },
      {
        name: 'journal list, page of 100 (the maximum)',
        value: r(big.median),
        unit: 'ms',
        goal: `< 6 ms (${x(big.median)})`,
      },
      {
        name: 'one operation with steps and output',
        value: r(one.median),
        unit: 'ms',
        goal: `< 3 ms (${x(one.median)})`,
      },
      {
        name: 'prune, one batch of 20 operations',
        value: r(batch.median),
        unit: 'ms',
        goal: `< 8 ms (${x(batch.median)})`,
      },
    ]);
  } finally {
    history.close();
    key.fill(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

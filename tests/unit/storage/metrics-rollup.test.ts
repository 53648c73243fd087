import { describe, expect, test } from 'vitest';
import { rollupSql } from '../../../src/main/storage/history/metrics-rollup';
import type { MetricsRow } from '../../../src/main/storage/history/metrics-schema';
import { count, openStore, prng, Reference, rollupTable, row } from './metrics-fixtures';

const SERVERS = ['srv-a', 'srv-b', 'srv-c', 'srv-d'];
const T0 = Date.UTC(2026, 10, 1, 22, 17, 35); // deliberately not on a minute or an hour

/**
 * Ticks every `stepS` seconds over `hours`, with gaps: whole stretches missing (collector stopped), single
 * ticks missing, and servers missing from some ticks (unreachable), at times that fall inside buckets.
 */
function fleetTicks(seed: number, hours: number, stepS: number): { ts: number; rows: MetricsRow[] }[] {
  const rand = prng(seed);
  const out: { ts: number; rows: MetricsRow[] }[] = [];
  for (let t = T0; t < T0 + hours * 3_600_000; t += stepS * 1000) {
    const offset = (t - T0) / 1000;
    if (offset > 3000 && offset < 3000 + 1300) continue; // a 21-minute stop, mid-hour and mid-minute
    if (offset > 4 * 3600 && offset < 6.5 * 3600) continue; // a stop over two hour boundaries
    if (rand() < 0.03) continue;
    const rows = SERVERS.filter(() => rand() > 0.08).map((id) => row(id, rand));
    out.push({ ts: t, rows });
  }
  return out;
}

function expectEqualToReference(db: ReturnType<typeof openStore>['db'], ref: Reference): void {
  expect(rollupTable(db, 'metrics_1m')).toEqual(ref.rollup(60));
  expect(rollupTable(db, 'metrics_1h')).toEqual(ref.rollup(3600));
}

describe('metrics rollups equal a brute-force reference over the same raw data', () => {
  test('one rollup after everything was written (partial buckets at both ends, gaps inside)', () => {
    const { db, store } = openStore();
    const ref = new Reference();
    for (const tick of fleetTicks(1, 9, 5)) {
      store.writeTick(tick.ts, tick.rows);
      ref.write(tick.ts, tick.rows);
    }
    const done = store.rollup();
    const minute = ref.rollup(60);
    const hour = ref.rollup(3600);
    expect(minute.size).toBeGreaterThan(1000);
    expect(hour.size).toBeGreaterThan(20);
    expect(done).toEqual({ minute: minute.size, hour: hour.size });
    expectEqualToReference(db, ref);
    // The open minute (and the open hour) are not rolled until a later tick closes them.
    const newest = ref.newest!;
    expect(store.tiers[1]!.watermark).toBe(Math.floor(newest / 60) * 60);
    expect(store.tiers[2]!.watermark).toBe(Math.floor(newest / 3600) * 3600);
    expect(store.rollup()).toEqual({ minute: 0, hour: 0 });
  });

  test('incremental runs split at arbitrary points give the same tables as the reference at every step', () => {
    for (const seed of [2, 3, 4]) {
      const { db, store } = openStore();
      const ref = new Reference();
      const rand = prng(seed * 101);
      const ticks = fleetTicks(seed, 8, 5);
      let i = 0;
      let checks = 0;
      while (i < ticks.length) {
        // A batch of 1..400 ticks: sometimes one tick, sometimes several hours; one transaction per batch.
        const n = 1 + Math.floor(rand() ** 3 * 400);
        const batch = ticks.slice(i, i + n);
        if (rand() < 0.5) for (const t of batch) store.writeTick(t.ts, t.rows);
        else store.writeTicks(batch);
        for (const t of batch) ref.write(t.ts, t.rows);
        i += n;
        if (rand() < 0.6) {
          store.rollup();
          expectEqualToReference(db, ref);
          checks++;
        }
      }
      store.rollup();
      expectEqualToReference(db, ref);
      expect(checks).toBeGreaterThan(10);
      db.close();
    }
  });

  test('a rollup reads only what is new: rows before the watermark are not read again', () => {
    const { db, store } = openStore();
    const ticks = fleetTicks(5, 3, 5);
    const half = Math.floor(ticks.length / 2);
    store.writeTicks(ticks.slice(0, half));
    store.rollup();
    const before = rollupTable(db, 'metrics_1m');
    const mark = store.tiers[1]!.watermark!;
    // Change raw rows behind the watermark directly: an incremental rollup never sees them again.
    expect(db.prepare('UPDATE metrics_raw SET cpu = 0 WHERE ts < ?').run(mark).changes).toBeGreaterThan(0);
    store.writeTicks(ticks.slice(half));
    store.rollup();
    const after = rollupTable(db, 'metrics_1m');
    for (const [k, v] of before) expect(after.get(k)).toEqual(v);
    expect(after.size).toBeGreaterThan(before.size);
  });

  test('a tick written into an already rolled bucket (the clock stepped back) is rolled again', () => {
    const { db, store } = openStore();
    const ref = new Reference();
    const rand = prng(77);
    const ticks = fleetTicks(6, 5, 5);
    store.writeTicks(ticks);
    for (const t of ticks) ref.write(t.ts, t.rows);
    store.rollup();
    expectEqualToReference(db, ref);
    // Two hours back, into a rolled minute and a rolled hour; then the same second again (replaces).
    const late = ticks[ticks.length - 1]!.ts - 2 * 3_600_000 + 2_500;
    for (const ts of [late, late, late + 61_000]) {
      const rows = ['srv-a', 'srv-new'].map((id) => row(id, rand));
      store.writeTick(ts, rows);
      ref.write(ts, rows);
    }
    expect(store.tiers[1]!.watermark).toBe(Math.floor(late / 60_000) * 60);
    expect(store.tiers[2]!.watermark).toBe(Math.floor(late / 3_600_000) * 3600);
    store.rollup();
    expectEqualToReference(db, ref);
    expect(count(db, 'metric_servers')).toBe(SERVERS.length + 1);
  });

  test('rollups and pruning seek each server time range by primary key; no statement scans a table', () => {
    const { db, store } = openStore();
    store.writeTicks(fleetTicks(7, 1, 5));
    const plan = (sql: string, ...args: number[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    for (const sql of [
      rollupSql('metrics_1m', 'metrics_raw', 60, true),
      rollupSql('metrics_1h', 'metrics_1m', 3600, false),
    ]) {
      const p = plan(sql, 0, 1);
      expect(p).toMatch(/SEARCH metrics_(raw|1m) USING PRIMARY KEY \(server_key=\? AND ts>\? AND ts<\?\)/);
      expect(p).not.toMatch(/SCAN metrics_/);
    }
    for (const t of ['metrics_raw', 'metrics_1m', 'metrics_1h']) {
      const p = plan(`DELETE FROM ${t} WHERE server_key IN (SELECT key FROM metric_servers) AND ts < ?`, 0);
      expect(p).toMatch(new RegExp(`SEARCH ${t} USING PRIMARY KEY \\(server_key=\\? AND ts<\\?\\)`));
    }
  });
});

import Database from 'better-sqlite3';
import { migrateHistory } from '../../../src/main/storage/history/migrations';
import { MetricsStore, type MetricsStoreOptions } from '../../../src/main/storage/history/metrics-store';
import {
  METRICS,
  toStoredRows,
  type MetricsRow,
  type MetricsValues,
} from '../../../src/main/storage/history/metrics-schema';

/** A migrated in-memory history.db with a MetricsStore on it. */
export function openStore(options: MetricsStoreOptions = {}): { db: Database.Database; store: MetricsStore } {
  const db = new Database(':memory:');
  migrateHistory(db);
  return { db, store: new MetricsStore(db, options) };
}

/** A small seeded PRNG (mulberry32): the same data on every run, so a failure can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plausible figures for one server (random, with the occasional spike). */
export function values(rand: () => number): MetricsValues {
  const spike = rand() < 0.01;
  return {
    cpuBusyPct: spike ? 100 : rand() * 60,
    memUsedBytes: Math.floor(rand() * 8e9),
    memTotalBytes: 8_000_000_000,
    swapUsedBytes: Math.floor(rand() * 1e8),
    swapTotalBytes: 2_000_000_000,
    load1: rand() * 4,
    load5: rand() * 3,
    load15: rand() * 2,
    diskReadBps: Math.floor(rand() * (spike ? 5e8 : 5e6)),
    diskWriteBps: Math.floor(rand() * 5e6),
    netRxBps: Math.floor(rand() * 1e7),
    netTxBps: Math.floor(rand() * 1e6),
    processes: 100 + Math.floor(rand() * 200),
    rootFsUsedBytes: 20_000_000_000 + Math.floor(rand() * 1e9),
    rootFsSizeBytes: 50_000_000_000,
  };
}

/** A row for `serverId` with random figures. */
export function row(serverId: string, rand: () => number): MetricsRow {
  return { serverId, ...values(rand) };
}

/** Stored aggregate of one bucket: n, then min, max, sum per metric in column order (stored integers). */
export type Agg = number[];

/**
 * The brute-force reference: every raw sample written (last write wins per server and second), kept in the
 * test as stored integers, and rolled up by plain loops.
 */
export class Reference {
  /** `${serverId}|${ts}` → stored integers in column order. */
  readonly raw = new Map<string, { serverId: string; ts: number; v: number[] }>();
  newest: number | null = null;

  write(tsMs: number, rows: readonly MetricsRow[]): void {
    const ts = Math.floor(tsMs / 1000);
    const { serverIds, values: vs } = toStoredRows(rows);
    serverIds.forEach((id, i) => this.raw.set(`${id}|${ts}`, { serverId: id, ts, v: vs[i]! }));
    this.newest = this.newest === null ? ts : Math.max(this.newest, ts);
  }

  /**
   * Buckets of `width` seconds that are closed (1m: ending at or before the newest tick; 1h: all their minutes
   * closed), computed straight from the raw samples: `${serverId}|${bucketStart}` → [n, min, max, sum...].
   */
  rollup(width: 60 | 3600): Map<string, Agg> {
    const out = new Map<string, Agg>();
    if (this.newest === null) return out;
    const closedBefore = Math.floor((Math.floor(this.newest / 60) * 60) / width) * width;
    for (const { serverId, ts, v } of this.raw.values()) {
      const b = Math.floor(ts / width) * width;
      if (b + width > closedBefore) continue;
      const key = `${serverId}|${b}`;
      let agg = out.get(key);
      if (!agg) {
        agg = [0, ...v.flatMap(() => [Infinity, -Infinity, 0])];
        out.set(key, agg);
      }
      agg[0]! += 1;
      v.forEach((x, i) => {
        agg[1 + 3 * i] = Math.min(agg[1 + 3 * i]!, x);
        agg[2 + 3 * i] = Math.max(agg[2 + 3 * i]!, x);
        agg[3 + 3 * i]! += x;
      });
    }
    return out;
  }
}

/** A rollup table read back as `${serverId}|${ts}` → [n, min, max, sum...] (column order of METRICS). */
export function rollupTable(db: Database.Database, table: 'metrics_1m' | 'metrics_1h'): Map<string, Agg> {
  const cols = METRICS.map((m) => `t.${m.column}_min, t.${m.column}_max, t.${m.column}_sum`).join(', ');
  const rows = db
    .prepare(`SELECT s.server_id, t.ts, t.n, ${cols} FROM ${table} t JOIN metric_servers s ON s.key = t.server_key`)
    .raw(true)
    .all() as [string, number, ...number[]][];
  return new Map(rows.map(([id, ts, ...agg]) => [`${id}|${ts}`, agg]));
}

/** Counts rows of a table. */
export function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { METRICS, TIERS } from './metrics-schema';

/** One tier's bookkeeping, as kept in `metric_tiers` (times in epoch seconds). */
export interface TierState {
  /** Seconds of history kept. */
  keep: number;
  /**
   * Rollup tiers: every bucket that starts before it is rolled up (null: nothing written yet). Raw: the
   * newest tick written, which closes every bucket that ends at or before it.
   */
  watermark: number | null;
  /** Rows before this time have been pruned (aligned to the next tier's bucket). */
  prunedBefore: number;
}

/** What one rollup run did: buckets (rows) written per rollup tier. */
export interface RollupResult {
  readonly minute: number;
  readonly hour: number;
}

/** What one prune run removed, in rows per tier. */
export interface PruneResult {
  readonly raw: number;
  readonly minute: number;
  readonly hour: number;
}

/** Seconds of source data rolled per transaction (1m from raw, 1h from 1m), so no transaction grows large. */
const CHUNK = [6 * 3600, 4 * 86_400] as const;

const floorTo = (t: number, w: number) => Math.floor(t / w) * w;

/**
 * Every server's key range, one primary-key seek each (SQLite runs the IN list as a loop of range searches):
 * one statement for the fleet costs about a third of one statement per server.
 */
const EACH_SERVER = 'server_key IN (SELECT key FROM metric_servers)';

/** The statement that rolls [from, to) of `source` into `target` buckets of `width` seconds (exported for tests). */
export function rollupSql(target: string, source: string, width: number, fromRaw: boolean): string {
  const cols = METRICS.map((m) => `${m.column}_min, ${m.column}_max, ${m.column}_sum`).join(', ');
  const aggs = METRICS.map((m) =>
    fromRaw
      ? `min(${m.column}), max(${m.column}), sum(${m.column})`
      : `min(${m.column}_min), max(${m.column}_max), sum(${m.column}_sum)`,
  ).join(', ');
  return `INSERT OR REPLACE INTO ${target} (server_key, ts, n, ${cols})
    SELECT server_key, ts / ${width} * ${width} AS b, ${fromRaw ? 'count(*)' : 'sum(n)'}, ${aggs}
    FROM ${source} WHERE ${EACH_SERVER} AND ts >= ? AND ts < ? GROUP BY server_key, b`;
}

/**
 * The tiers' watermarks, incremental rollups and retention. Rollups only ever read the closed buckets since
 * a tier's watermark, each server's contiguous key range (never a scan of the table): 1m from raw,
 * 1h from 1m. A write into an already rolled bucket (the clock stepped back) lowers the watermarks so the
 * next run rolls that bucket again; pruning never goes past a watermark, so what a rollup still needs is
 * always there, and a write older than what was pruned is refused.
 */
export class MetricsRollup {
  readonly #db: Database.Database;
  readonly #roll: [Database.Statement, Database.Statement];
  readonly #prune: [Database.Statement, Database.Statement, Database.Statement];
  readonly #save: Database.Statement;
  #state: [TierState, TierState, TierState];

  constructor(db: Database.Database) {
    this.#db = db;
    this.#roll = [
      db.prepare(rollupSql('metrics_1m', 'metrics_raw', 60, true)),
      db.prepare(rollupSql('metrics_1h', 'metrics_1m', 3600, false)),
    ];
    this.#prune = [
      db.prepare(`DELETE FROM metrics_raw WHERE ${EACH_SERVER} AND ts < ?`),
      db.prepare(`DELETE FROM metrics_1m WHERE ${EACH_SERVER} AND ts < ?`),
      db.prepare(`DELETE FROM metrics_1h WHERE ${EACH_SERVER} AND ts < ?`),
    ];
    this.#save = db.prepare(
      'UPDATE metric_tiers SET keep_seconds = ?, watermark = ?, pruned_before = ? WHERE tier = ?',
    );
    this.#state = this.#load();
  }

  /** A copy of the three tiers' state, finest first. */
  get state(): readonly Readonly<TierState>[] {
    return this.#state.map((s) => ({ ...s }));
  }

  /** Re-reads the state from the file (after a failed transaction left the copy in memory ahead of it). */
  reload(): void {
    this.#state = this.#load();
  }

  /**
   * Records a tick at `ts` (epoch seconds) inside the writer's transaction: moves the raw watermark up and the
   * rollup watermarks down to its buckets when it falls in an already rolled one. VALIDATION when the tick is
   * older than the data its buckets would be rolled again from.
   */
  noteWrite(ts: number): void {
    const [raw, minute, hour] = this.#state;
    const mb = floorTo(ts, 60);
    const hb = floorTo(ts, 3600);
    if (ts < raw.prunedBefore || (hour.watermark !== null && hb < hour.watermark && hb < minute.prunedBefore)) {
      throw new AppError('VALIDATION', 'A metrics tick is older than the history kept for it.', { field: 'ts' });
    }
    if (raw.watermark === null || ts > raw.watermark) this.#set(0, { watermark: ts });
    if (minute.watermark === null || mb < minute.watermark) this.#set(1, { watermark: mb });
    if (hour.watermark === null || hb < hour.watermark) this.#set(2, { watermark: hb });
  }

  /**
   * Rolls up every bucket closed since the watermarks: 1m buckets that end at or before the newest tick, then
   * 1h buckets whose minutes are all rolled. Incremental, in transactions of bounded size (CHUNK).
   */
  rollup(): RollupResult {
    let minute = 0;
    let hour = 0;
    const newest = this.#state[0].watermark;
    if (newest === null) return { minute, hour };
    const closedMinute = floorTo(newest, 60);
    while ((this.#state[1].watermark ?? closedMinute) < closedMinute) {
      const from = this.#state[1].watermark!;
      minute += this.#rollRange(1, from, Math.min(closedMinute, from + CHUNK[0]));
    }
    const closedHour = floorTo(this.#state[1].watermark ?? 0, 3600);
    while ((this.#state[2].watermark ?? closedHour) < closedHour) {
      const from = this.#state[2].watermark!;
      hour += this.#rollRange(2, from, Math.min(closedHour, from + CHUNK[1]));
    }
    return { minute, hour };
  }

  /**
   * Deletes what is older than each tier's retention at `now` (epoch seconds), aligned to whole buckets of the
   * tier above, and never past what has been rolled up from it. Does nothing until the cut moves.
   */
  prune(now: number): PruneResult {
    const [raw, minute, hour] = this.#state;
    const cuts = [
      Math.min(floorTo(now - raw.keep, 60), minute.watermark ?? 0),
      Math.min(floorTo(now - minute.keep, 3600), hour.watermark ?? 0),
      floorTo(now - hour.keep, 3600),
    ];
    const removed = cuts.map((cut, tier) => {
      if (cut <= this.#state[tier]!.prunedBefore) return 0;
      return this.#db
        .transaction(() => {
          const n = this.#prune[tier]!.run(cut).changes;
          this.#set(tier, { prunedBefore: cut });
          return n;
        })
        .immediate();
    });
    return { raw: removed[0]!, minute: removed[1]!, hour: removed[2]! };
  }

  /** Sets how many seconds each tier keeps (applied at the next prune). */
  setKeep(keep: readonly [number, number, number]): void {
    this.#db.transaction(() => keep.forEach((k, tier) => this.#set(tier, { keep: k }))).immediate();
  }

  #rollRange(tier: 1 | 2, from: number, to: number): number {
    const stmt = this.#roll[tier - 1]!;
    try {
      return this.#db
        .transaction(() => {
          const n = stmt.run(from, to).changes;
          this.#set(tier, { watermark: to });
          return n;
        })
        .immediate();
    } catch (e) {
      this.reload();
      throw e;
    }
  }

  #set(tier: number, patch: Partial<TierState>): void {
    const s = { ...this.#state[tier]!, ...patch };
    this.#save.run(s.keep, s.watermark, s.prunedBefore, TIERS[tier]!.width);
    this.#state[tier] = s;
  }

  #load(): [TierState, TierState, TierState] {
    const rows = this.#db
      .prepare('SELECT tier, keep_seconds, watermark, pruned_before FROM metric_tiers ORDER BY tier')
      .all() as { tier: number; keep_seconds: number; watermark: number | null; pruned_before: number }[];
    const get = (width: number): TierState => {
      const r = rows.find((x) => x.tier === width);
      if (!r) throw new AppError('INTERNAL', 'The metrics tables are incomplete.');
      return { keep: r.keep_seconds, watermark: r.watermark, prunedBefore: r.pruned_before };
    };
    return [get(0), get(60), get(3600)];
  }
}

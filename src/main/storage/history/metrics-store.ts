import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { MAX_POINTS, MetricsQuery, type MetricSeries } from './metrics-query';
import { MetricsRollup, type PruneResult, type RollupResult, type TierState } from './metrics-rollup';
import {
  METRICS,
  toStoredRows,
  toStoredTime,
  type MetricName,
  type MetricsRow,
  type MetricsTick,
  type MetricsValues,
} from './metrics-schema';

/** How long each tier is kept (issue 11: raw 48 h, 1-minute rollups 30 days, 1-hour rollups 2 years). */
export interface MetricsRetention {
  readonly rawHours: number;
  readonly minuteDays: number;
  readonly hourDays: number;
}

/** Options of a MetricsStore. */
export interface MetricsStoreOptions {
  /** The collector's interval (default 5,000 ms): the width of a raw point in query results. */
  readonly rawStepMs?: number;
}

/** One server in the fleet overview: its newest tick (null: none yet) and a sparkline per asked metric. */
export interface FleetLatest {
  readonly serverId: string;
  /** Epoch ms of the newest tick, or null. */
  readonly ts: number | null;
  readonly values: MetricsValues | null;
  /** Averages over the last minutes, oldest first, on a shared time axis (epoch ms). */
  readonly spark: { readonly t: number[]; readonly values: Partial<Record<MetricName, number[]>> };
}

/** Options of `latest`: which metrics get a sparkline, over how many minutes, in how many points. */
export interface LatestOptions {
  readonly spark?: readonly MetricName[];
  readonly sparkMinutes?: number;
  readonly sparkPoints?: number;
}

/** What `maintain` did. */
export interface MaintainResult {
  readonly rollup: RollupResult;
  readonly prune: PruneResult;
}

const HOUR = 3600;
const DAY = 86_400;

/**
 * The metrics history in history.db (issue 11, "Storage"): one wide row per server per tick, one transaction
 * per tick for the whole fleet, incremental 1-minute and 1-hour rollups, per-tier retention and chart
 * queries of at most ~1,000 points chosen from the right tier. Only random server ids and numbers are stored,
 * so nothing here needs the vault's key and it works while the vault is locked.
 *
 * The caller drives time: `writeTick` per collector tick, then `maintain(now)` (cheap when no bucket closed:
 * a minute's rollup is one indexed range per server; pruning runs only when its cut crosses a bucket).
 * Everything runs on the main thread; bench/metrics.bench.ts measures a 7-day and a 30-day chart query.
 */
export class MetricsStore {
  readonly #db: Database.Database;
  readonly #rollup: MetricsRollup;
  readonly #query: MetricsQuery;
  readonly #rawStep: number;
  readonly #keys = new Map<string, number>();
  readonly #insert: Database.Statement;
  readonly #addServer: Database.Statement;

  constructor(db: Database.Database, options: MetricsStoreOptions = {}) {
    this.#db = db;
    this.#rawStep = Math.max(1, Math.round((options.rawStepMs ?? 5000) / 1000));
    for (const r of db.prepare('SELECT key, server_id FROM metric_servers').all() as {
      key: number;
      server_id: string;
    }[]) {
      this.#keys.set(r.server_id, r.key);
    }
    this.#rollup = new MetricsRollup(db);
    this.#query = new MetricsQuery(db);
    const cols = METRICS.map((m) => m.column);
    this.#insert = db.prepare(
      `INSERT OR REPLACE INTO metrics_raw (server_key, ts, ${cols.join(', ')}) VALUES (?, ?, ${cols.map(() => '?').join(', ')})`,
    );
    this.#addServer = db.prepare('INSERT INTO metric_servers(server_id) VALUES (?) RETURNING key');
  }

  /**
   * Stores one tick of the whole fleet (`ts` epoch ms) in one transaction. Every row is checked first: a bad
   * value, a repeated server or a tick older than the kept history throws VALIDATION and writes nothing.
   */
  writeTick(ts: number, rows: readonly MetricsRow[]): void {
    this.writeTicks([{ ts, rows }]);
  }

  /** Stores several ticks in one transaction (an import, the benchmark): the same checks and path as writeTick. */
  writeTicks(ticks: readonly MetricsTick[]): void {
    const checked = ticks.map((tick) => ({ ts: toStoredTime(tick?.ts), ...toStoredRows(tick?.rows) }));
    const added: string[] = [];
    try {
      this.#db
        .transaction(() => {
          for (const tick of checked) {
            this.#rollup.noteWrite(tick.ts);
            tick.values.forEach((v, i) => {
              this.#insert.run(this.#keyOf(tick.serverIds[i]!, added), tick.ts, ...v);
            });
          }
        })
        .immediate();
    } catch (e) {
      for (const id of added) this.#keys.delete(id);
      this.#rollup.reload();
      throw e;
    }
  }

  /** Rolls up the buckets closed since the last run (see MetricsRollup.rollup). */
  rollup(): RollupResult {
    return this.#rollup.rollup();
  }

  /** Prunes each tier past its retention at `now` (epoch ms), never what is not rolled up yet. */
  prune(now: number): PruneResult {
    return this.#rollup.prune(toStoredTime(now));
  }

  /** Rollup then prune: what the collector calls after each tick or on its own timer. */
  maintain(now: number): MaintainResult {
    return { rollup: this.rollup(), prune: this.prune(now) };
  }

  /** How long each tier is kept. */
  get retention(): MetricsRetention {
    const [raw, minute, hour] = this.#rollup.state;
    return { rawHours: raw!.keep / HOUR, minuteDays: minute!.keep / DAY, hourDays: hour!.keep / DAY };
  }

  /** Changes retention (whole hours / days, at least 1 each); applied at the next prune. */
  setRetention(change: Partial<MetricsRetention>): void {
    const next = { ...this.retention, ...change };
    for (const [field, v] of Object.entries(next)) {
      if (!Number.isInteger(v) || v < 1 || v > 100_000) {
        throw new AppError('VALIDATION', 'Retention must be a whole number of at least 1.', { field });
      }
    }
    this.#rollup.setKeep([next.rawHours * HOUR, next.minuteDays * DAY, next.hourDays * DAY]);
  }

  /** The tiers' watermarks and prune marks (epoch seconds), finest first: for diagnostics and tests. */
  get tiers(): readonly Readonly<TierState>[] {
    return this.#rollup.state;
  }

  /**
   * A chart of `metrics` for one server over [from, to) epoch ms: at most `maxPoints` points (min/max
   * buckets), read from raw up to ranges of ~8 h, 1-minute rollups up to ~20 days, 1-hour rollups beyond
   * (with 1,000 points; see chooseTier). An unknown server gives an empty series.
   */
  series(
    serverId: string,
    metrics: readonly MetricName[],
    from: number,
    to: number,
    maxPoints: number = MAX_POINTS.default,
  ): MetricSeries {
    const key = this.#keys.get(serverId) ?? null;
    return this.#query.series(serverId, key, metrics, from, to, maxPoints, this.#rawStep, this.#rollup.state);
  }

  /**
   * The fleet overview: for each server its newest values and a sparkline (default: CPU over the last 30
   * minutes, up to 60 points) ending at its newest tick.
   */
  latest(serverIds: readonly string[], options: LatestOptions = {}): FleetLatest[] {
    const spark = options.spark ?? ['cpuBusyPct'];
    const minutes = options.sparkMinutes ?? 30;
    const points = options.sparkPoints ?? 60;
    const state = this.#rollup.state;
    return serverIds.map((serverId) => {
      const key = this.#keys.get(serverId);
      const last = key === undefined ? null : this.#query.latest(key);
      if (key === undefined || last === null) return { serverId, ts: null, values: null, spark: { t: [], values: {} } };
      const s = this.#query.series(
        serverId,
        key,
        spark,
        last.ts - minutes * 60_000,
        last.ts + 1000,
        points,
        this.#rawStep,
        state,
      );
      const values: Partial<Record<MetricName, number[]>> = {};
      for (const m of spark) values[m] = s.values[m]?.avg ?? [];
      return { serverId, ts: last.ts, values: last.values, spark: { t: s.t, values } };
    });
  }

  /** Deletes every metric of a server (it was removed from the vault); returns the rows deleted. */
  removeServer(serverId: string): number {
    const key = this.#keys.get(serverId);
    if (key === undefined) return 0;
    const n = this.#db
      .transaction(() => {
        let rows = 0;
        for (const t of ['metrics_raw', 'metrics_1m', 'metrics_1h']) {
          rows += this.#db.prepare(`DELETE FROM ${t} WHERE server_key = ?`).run(key).changes;
        }
        this.#db.prepare('DELETE FROM metric_servers WHERE key = ?').run(key);
        return rows;
      })
      .immediate();
    this.#keys.delete(serverId);
    return n;
  }

  #keyOf(serverId: string, added: string[]): number {
    let key = this.#keys.get(serverId);
    if (key === undefined) {
      key = (this.#addServer.get(serverId) as { key: number }).key;
      this.#keys.set(serverId, key);
      added.push(serverId);
    }
    return key;
  }
}

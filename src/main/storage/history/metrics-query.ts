import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { TierState } from './metrics-rollup';
import { METRICS, TIERS, type MetricName, type MetricsValues } from './metrics-schema';

/** One metric over time: per point the average, and the min and max seen in it (spikes survive). */
export interface MetricPoints {
  readonly avg: number[];
  readonly min: number[];
  readonly max: number[];
}

/**
 * A chart's data for one server: at most `maxPoints` points, one shared time axis (`t`, epoch ms of each
 * point's start), values in natural units. `tier` is where most of it came from; `stepMs` is the width of one
 * point (a gap in `t` wider than it is a gap in the data).
 */
export interface MetricSeries {
  readonly serverId: string;
  readonly from: number;
  readonly to: number;
  readonly tier: 'raw' | '1m' | '1h';
  readonly stepMs: number;
  readonly t: number[];
  readonly values: Partial<Record<MetricName, MetricPoints>>;
}

/** Limits of `maxPoints` per series. */
export const MAX_POINTS = { default: 1000, min: 2, max: 10_000 } as const;

const DEFS = new Map<MetricName, (typeof METRICS)[number]>(METRICS.map((m) => [m.name, m]));

/**
 * Points being built, in time order, in columns: start time (epoch s), sample count and min/max/sum per
 * metric in stored units. A row read with a bucket width is one bucket of the output already.
 */
interface Rows {
  t: number[];
  n: number[];
  min: number[][];
  max: number[][];
  sum: number[][];
}

/**
 * Picks the tier a chart of `range` seconds reads: the coarsest whose bucket is at most twice the width of
 * one output point, so a chart gets at least about maxPoints / 2 points and reads at most a few times
 * maxPoints rows. With 5-second ticks and 1,000 points: raw up to about 8 h, 1-minute up to about 20 days,
 * 1-hour beyond. A tier pruned past `from` hands over to the next coarser one.
 */
export function chooseTier(
  range: number,
  maxPoints: number,
  from: number,
  state: readonly Readonly<TierState>[],
): 0 | 1 | 2 {
  const target = (2 * range) / maxPoints;
  let tier: 0 | 1 | 2 = 0;
  if (TIERS[1].width <= target) tier = 1;
  if (TIERS[2].width <= target) tier = 2;
  while (tier < 2 && from < state[tier]!.prunedBefore) tier = (tier + 1) as 1 | 2;
  return tier;
}

/**
 * Reads and downsamples metric series (the query half of MetricsStore). Reads go by primary key, one
 * server's contiguous range per tier; the newest part that a coarse tier has not rolled up yet is taken from
 * the finer tiers, so a 30-day chart still ends at the latest tick.
 */
export class MetricsQuery {
  readonly #db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /**
   * The series of `metrics` of the server with key `key` (null: unknown, empty result) in [from, to) epoch
   * ms, from the tier chooseTier picks, bucketed to at most `maxPoints` when there are more rows.
   */
  series(
    serverId: string,
    key: number | null,
    metrics: readonly MetricName[],
    from: number,
    to: number,
    maxPoints: number,
    rawStep: number,
    state: readonly Readonly<TierState>[],
  ): MetricSeries {
    if (!Number.isFinite(from) || !Number.isFinite(to) || from < 0 || to <= from) {
      throw new AppError('VALIDATION', 'A chart needs a time range that ends after it starts.', { field: 'range' });
    }
    if (!Number.isInteger(maxPoints) || maxPoints < MAX_POINTS.min || maxPoints > MAX_POINTS.max) {
      throw new AppError('VALIDATION', 'The number of points is out of range.', { field: 'maxPoints' });
    }
    if (metrics.length === 0 || metrics.some((m) => !DEFS.has(m))) {
      throw new AppError('VALIDATION', 'Unknown metric.', { field: 'metrics' });
    }
    const fromS = Math.floor(from / 1000);
    const toS = Math.ceil(to / 1000);
    const range = toS - fromS;
    const tier = chooseTier(range, maxPoints, fromS, state);
    const base = tier === 0 ? rawStep : TIERS[tier].width;
    // Bucket width: a multiple of the tier's, at least range / (maxPoints - 1), so the rows (all inside the
    // range) touch at most maxPoints buckets; buckets are aligned to the epoch so a sliding chart is stable.
    const width = Math.max(base, Math.ceil(Math.ceil(range / (maxPoints - 1)) / base) * base);
    let rows = emptyRows(metrics.length);
    let exact = false;
    if (key !== null) {
      // Raw rows that fit are returned as they are (exact times); anything else is bucketed in SQL.
      exact = tier === 0 && range / rawStep <= maxPoints;
      if (exact) this.#read(0, key, metrics, fromS, toS, null, rows);
      if (exact && rows.t.length > maxPoints) exact = false;
      if (!exact) {
        rows = emptyRows(metrics.length);
        let start = fromS;
        for (let i = tier; i >= 0 && start < toS; i--) {
          const end = i === 0 ? toS : Math.min(toS, state[i]!.watermark ?? start);
          if (end > start) this.#read(i, key, metrics, start, end, width, rows);
          start = Math.max(start, end);
        }
      }
    }
    const stepMs = (exact ? base : width) * 1000;
    return { serverId, from, to, tier: TIERS[tier].name, stepMs, ...points(rows, metrics) };
  }

  /** The newest raw row of a server: its time (epoch ms) and values, or null. */
  latest(key: number): { ts: number; values: MetricsValues } | null {
    const stmt = this.#stmt('latest', () =>
      this.#db.prepare(
        `SELECT ts, ${METRICS.map((m) => m.column).join(', ')} FROM metrics_raw WHERE server_key = ? ORDER BY ts DESC LIMIT 1`,
      ),
    );
    const row = stmt.raw(true).get(key) as number[] | undefined;
    if (!row) return null;
    const values = {} as MetricsValues;
    METRICS.forEach((m, i) => (values[m.name] = row[i + 1]! * m.factor));
    return { ts: row[0]! * 1000, values };
  }

  /**
   * Appends the rows of one tier in [from, to): as stored when `width` is null, else grouped in SQL into
   * buckets of `width` seconds (count, min of mins, max of maxes, sum of sums), merging a bucket that an
   * earlier (coarser) tier already started.
   */
  #read(
    tier: number,
    key: number,
    metrics: readonly MetricName[],
    from: number,
    to: number,
    width: number | null,
    out: Rows,
  ): void {
    const cols = metrics.map((m) => DEFS.get(m)!.column);
    const table = TIERS[tier]!.table;
    const stmt = this.#stmt(`${tier}:${width === null ? 'rows' : 'buckets'}:${cols.join(',')}`, () => {
      if (width === null) {
        return this.#db.prepare(`SELECT ts, 1, ${cols.map((c) => `${c}, ${c}, ${c}`).join(', ')} FROM ${table}
           WHERE server_key = ? AND ts >= ? AND ts < ? ORDER BY ts`);
      }
      const aggs =
        tier === 0
          ? cols.map((c) => `min(${c}), max(${c}), sum(${c})`)
          : cols.map((c) => `min(${c}_min), max(${c}_max), sum(${c}_sum)`);
      return this.#db.prepare(
        `SELECT ts / CAST(? AS INTEGER) AS b, ${tier === 0 ? 'count(*)' : 'sum(n)'}, ${aggs.join(', ')}
         FROM ${table} WHERE server_key = ? AND ts >= ? AND ts < ? GROUP BY b ORDER BY b`,
      );
    });
    const rows = (
      width === null ? stmt.raw(true).all(key, from, to) : stmt.raw(true).all(width, key, from, to)
    ) as number[][];
    const k = metrics.length;
    for (const r of rows) {
      const t = width === null ? r[0]! : r[0]! * width;
      const last = out.t.length - 1;
      if (last >= 0 && out.t[last] === t) {
        out.n[last]! += r[1]!;
        for (let j = 0; j < k; j++) {
          out.min[j]![last] = Math.min(out.min[j]![last]!, r[2 + 3 * j]!);
          out.max[j]![last] = Math.max(out.max[j]![last]!, r[3 + 3 * j]!);
          out.sum[j]![last]! += r[4 + 3 * j]!;
        }
        continue;
      }
      out.t.push(t);
      out.n.push(r[1]!);
      for (let j = 0; j < k; j++) {
        out.min[j]!.push(r[2 + 3 * j]!);
        out.max[j]!.push(r[3 + 3 * j]!);
        out.sum[j]!.push(r[4 + 3 * j]!);
      }
    }
  }

  #stmt(id: string, make: () => Database.Statement): Database.Statement {
    let s = this.#stmts.get(id);
    if (!s) {
      s = make();
      this.#stmts.set(id, s);
    }
    return s;
  }
}

function emptyRows(k: number): Rows {
  const cols = () => Array.from({ length: k }, () => [] as number[]);
  return { t: [], n: [], min: cols(), max: cols(), sum: cols() };
}

/** Stored columns → points in natural units: each point's average (sum / count), min and max. */
function points(rows: Rows, metrics: readonly MetricName[]): Pick<MetricSeries, 't' | 'values'> {
  const values: Partial<Record<MetricName, MetricPoints>> = {};
  metrics.forEach((m, j) => {
    const f = DEFS.get(m)!.factor;
    values[m] = {
      avg: rows.sum[j]!.map((s, i) => (s / rows.n[i]!) * f),
      min: rows.min[j]!.map((v) => v * f),
      max: rows.max[j]!.map((v) => v * f),
    };
  });
  return { t: rows.t.map((t) => t * 1000), values };
}

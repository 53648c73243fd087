import { AppError } from '../../../shared/errors';

/**
 * Every stored metric: its name in the API (natural units, in the name), its column in history.db and how
 * the stored integer maps to the natural unit (natural = stored × factor). Integers rather than REAL keep a
 * row small (SQLite stores 1 to 8 bytes by magnitude) and sums exact. Order = column order in 0003-metrics.
 */
export const METRICS = [
  { name: 'cpuBusyPct', column: 'cpu', factor: 0.01 },
  { name: 'memUsedBytes', column: 'mem_used', factor: 1024 },
  { name: 'memTotalBytes', column: 'mem_total', factor: 1024 },
  { name: 'swapUsedBytes', column: 'swap_used', factor: 1024 },
  { name: 'swapTotalBytes', column: 'swap_total', factor: 1024 },
  { name: 'load1', column: 'load1', factor: 0.01 },
  { name: 'load5', column: 'load5', factor: 0.01 },
  { name: 'load15', column: 'load15', factor: 0.01 },
  { name: 'diskReadBps', column: 'disk_read', factor: 1 },
  { name: 'diskWriteBps', column: 'disk_write', factor: 1 },
  { name: 'netRxBps', column: 'net_rx', factor: 1 },
  { name: 'netTxBps', column: 'net_tx', factor: 1 },
  { name: 'processes', column: 'procs', factor: 1 },
  { name: 'rootFsUsedBytes', column: 'fs_used', factor: 1024 },
  { name: 'rootFsSizeBytes', column: 'fs_size', factor: 1024 },
] as const;

/** The name of one stored metric (its unit is part of the name). */
export type MetricName = (typeof METRICS)[number]['name'];

/** Every metric name, in column order. */
export const METRIC_NAMES: readonly MetricName[] = METRICS.map((m) => m.name);

/** One server's figures at one tick, in natural units: percent, bytes, bytes per second, load, a count. */
export type MetricsValues = Record<MetricName, number>;

/**
 * The stored row of one server at one tick: its random id and its figures (the collector's sample, aligned
 * by the caller). All figures are required and non-negative; CPU busy is at most 100.
 */
export interface MetricsRow extends MetricsValues {
  readonly serverId: string;
}

/** One tick of the whole fleet: every server's row at time `ts` (epoch ms). */
export interface MetricsTick {
  readonly ts: number;
  readonly rows: readonly MetricsRow[];
}

/** A tier: its bucket width in seconds (0 for raw samples), its table and its name in query results. */
export interface MetricsTier {
  readonly width: number;
  readonly table: 'metrics_raw' | 'metrics_1m' | 'metrics_1h';
  readonly name: 'raw' | '1m' | '1h';
}

/** The three tiers, finest first: raw samples, then 1-minute and 1-hour rollups. */
export const TIERS: readonly [MetricsTier, MetricsTier, MetricsTier] = [
  { width: 0, table: 'metrics_raw', name: 'raw' },
  { width: 60, table: 'metrics_1m', name: '1m' },
  { width: 3600, table: 'metrics_1h', name: '1h' },
];

/**
 * The largest stored integer: 2^40 (1 PiB in KiB, 1 TB/s). An hour bucket at one sample a second sums 3,600
 * of them, which stays below 2^53, so sums read back into JavaScript exactly.
 */
export const MAX_STORED = 2 ** 40;

const MAX_ID = 128;

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError('VALIDATION', message, details);
}

/** Epoch ms → stored epoch seconds; VALIDATION unless a finite, non-negative time. */
export function toStoredTime(ts: number): number {
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0 || ts > 8.64e15) {
    throw invalid('A metrics tick needs a valid time.', { field: 'ts' });
  }
  return Math.floor(ts / 1000);
}

/**
 * Checks a whole tick and converts it to stored integers (one array per row, in column order). Throws
 * VALIDATION naming the row and field on the first bad value (not finite, negative, CPU over 100 %, too
 * large, a missing or repeated server id), before anything is written.
 */
export function toStoredRows(rows: readonly MetricsRow[]): { serverIds: string[]; values: number[][] } {
  // Checked as unknown input: the caller's types do not hold for data parsed from a remote server.
  const list: unknown = rows;
  if (!Array.isArray(list)) throw invalid('A metrics tick needs a list of rows.', { field: 'rows' });
  const seen = new Set<string>();
  const serverIds: string[] = [];
  const values: number[][] = [];
  (list as (Partial<Record<string, unknown>> | undefined)[]).forEach((row, index) => {
    const id = row?.serverId;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) {
      throw invalid('A metrics row needs a server id.', { index, field: 'serverId' });
    }
    if (seen.has(id)) throw invalid('A server appears twice in one metrics tick.', { index, field: 'serverId' });
    seen.add(id);
    const out: number[] = [];
    for (const m of METRICS) {
      const v = row![m.name];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw invalid('A metrics value must be a finite, non-negative number.', { index, field: m.name });
      }
      if (m.name === 'cpuBusyPct' && v > 100 + 1e-6) {
        throw invalid('CPU busy cannot be over 100 %.', { index, field: m.name });
      }
      const stored = Math.round(v / m.factor);
      if (stored > MAX_STORED) throw invalid('A metrics value is out of range.', { index, field: m.name });
      out.push(m.name === 'cpuBusyPct' ? Math.min(stored, 10_000) : stored);
    }
    serverIds.push(id);
    values.push(out);
  });
  return { serverIds, values };
}

import type { Migration } from '../../migration-runner';

/**
 * The metric columns as of this migration (frozen here: a later metric is a later migration). Each is a scaled
 * integer: CPU busy in hundredths of a percent, memory, swap and the root filesystem in KiB, load averages in
 * hundredths, disk and network rates in bytes per second, the process count as is.
 */
const COLUMNS = [
  'cpu',
  'mem_used',
  'mem_total',
  'swap_used',
  'swap_total',
  'load1',
  'load5',
  'load15',
  'disk_read',
  'disk_write',
  'net_rx',
  'net_tx',
  'procs',
  'fs_used',
  'fs_size',
] as const;

const raw = COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(',\n        ');
const rolled = COLUMNS.map(
  (c) => `${c}_min INTEGER NOT NULL, ${c}_max INTEGER NOT NULL, ${c}_sum INTEGER NOT NULL`,
).join(',\n        ');

/**
 * Metrics with months of history (issue 11, "Storage"). Nothing identifying: the server's random id appears
 * once, in `metric_servers`, and every sample row refers to it by a small integer key (a 36-character id in
 * each of millions of rows would be most of the file). Times are epoch seconds.
 * - `metrics_raw`: one wide row per server per tick, the values as scaled integers;
 * - `metrics_1m` / `metrics_1h`: rollups, one row per server per bucket (start time), with the sample count
 *   `n` and min, max and sum (avg = sum / n) of every metric; 1h is rolled from 1m, 1m from raw;
 * - `metric_tiers`: per tier (0 = raw, 60, 3600: the bucket width in seconds) its retention, its watermark
 *   (rollup tiers: every bucket before it is rolled up; raw: the newest tick) and how far it was pruned.
 * All WITHOUT ROWID (primary key (server_key, ts): a chart reads one contiguous range) and STRICT.
 */
export const m0003Metrics: Migration = {
  version: 3,
  name: 'metrics',
  up(db) {
    db.exec(`
      CREATE TABLE metric_servers (
        key       INTEGER PRIMARY KEY,
        server_id TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE TABLE metric_tiers (
        tier          INTEGER PRIMARY KEY,
        keep_seconds  INTEGER NOT NULL,
        watermark     INTEGER,
        pruned_before INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO metric_tiers(tier, keep_seconds) VALUES (0, 172800), (60, 2592000), (3600, 63072000);
      CREATE TABLE metrics_raw (
        server_key INTEGER NOT NULL,
        ts         INTEGER NOT NULL,
        ${raw},
        PRIMARY KEY (server_key, ts)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE metrics_1m (
        server_key INTEGER NOT NULL,
        ts         INTEGER NOT NULL,
        n          INTEGER NOT NULL,
        ${rolled},
        PRIMARY KEY (server_key, ts)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE metrics_1h (
        server_key INTEGER NOT NULL,
        ts         INTEGER NOT NULL,
        n          INTEGER NOT NULL,
        ${rolled},
        PRIMARY KEY (server_key, ts)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

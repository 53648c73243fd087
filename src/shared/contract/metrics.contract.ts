import { z } from 'zod';
import { Id } from '../validators';
import { event, method } from './define';

/**
 * Metrics (issue 11): collected agentlessly over each server's pooled SSH connection, kept in history.db (raw
 * 48 h, 1-minute rollups 30 days, 1-hour rollups 2 years) and charted per server and fleet-wide.
 */

/**
 * A metrics server: an inventory server's id, or a panel's server as `<panel account id>:<the panel's server id>`
 * (a NexusPanel account's servers, fed from the panel's metrics stream; at most 101 characters).
 */
export const MetricsServerId = z.union([Id, z.string().regex(/^[0-9a-f-]{36}:[A-Za-z0-9._-]{1,64}$/i)]);

/** Where a panel-fed metrics server comes from (null for an inventory server collected over SSH). */
export const MetricsSource = z
  .object({ kind: z.literal('panel'), panelId: z.string(), panelName: z.string(), serverName: z.string() })
  .nullable();
export type MetricsSource = z.infer<typeof MetricsSource>;

/** The stored metrics, natural units in the name (percent, bytes, bytes per second, load, a count). */
export const MetricName = z.enum([
  'cpuBusyPct',
  'memUsedBytes',
  'memTotalBytes',
  'swapUsedBytes',
  'swapTotalBytes',
  'load1',
  'load5',
  'load15',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
  'processes',
  'rootFsUsedBytes',
  'rootFsSizeBytes',
]);
export type MetricName = z.infer<typeof MetricName>;

/** A server's collection state, shown wherever the server appears. */
export const CollectState = z.enum(['off', 'connecting', 'up', 'degraded', 'unreachable', 'auth_failed']);
export type CollectState = z.infer<typeof CollectState>;

export const ServerCollectState = z.object({
  serverId: z.string(),
  state: CollectState,
  at: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  retryAt: z.number().int().nullable(),
});
export type ServerCollectState = z.infer<typeof ServerCollectState>;

/** A live sample: what the charts append, with the parts history keeps only in aggregate (cores, mounts). */
export const LiveSample = z.object({
  serverId: z.string(),
  at: z.number().int(),
  values: z.record(z.string(), z.number().nullable()),
  cores: z.array(z.number().nullable()).nullable(),
  filesystems: z.array(z.object({ mount: z.string(), sizeBytes: z.number(), usedBytes: z.number() })),
});
export type LiveSample = z.infer<typeof LiveSample>;

export const MetricsSettings = z.object({
  /** Collect from every server in the inventory while the vault is open. Off until the user turns it on. */
  enabled: z.boolean(),
  intervalSec: z.number().int().min(1).max(300),
  /** Days kept per tier. */
  rawHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14),
  minuteDays: z.number().int().min(1).max(365),
  hourDays: z.number().int().min(1).max(3650),
});
export type MetricsSettings = z.infer<typeof MetricsSettings>;

/** The ranges the charts offer; `series` takes any from/to. */
export const ChartRange = z.enum(['15m', '1h', '24h', '7d', '30d', '1y']);

export const metricsMethods = {
  'metrics.settings.get': method({
    input: z.strictObject({}),
    output: MetricsSettings,
    summary: 'Collection settings.',
  }),
  'metrics.settings.set': method({
    input: MetricsSettings.partial().strict(),
    output: MetricsSettings,
    summary: 'Change collection settings (interval, retention, on/off).',
  }),
  'metrics.states': method({
    input: z.strictObject({}),
    output: z.array(ServerCollectState),
    summary: 'Every server’s collection state.',
  }),
  'metrics.series': method({
    input: z.strictObject({
      serverId: MetricsServerId,
      metrics: z.array(MetricName).min(1).max(15),
      from: z.number().int(),
      to: z.number().int(),
      maxPoints: z.number().int().min(2).max(2000).default(1000),
    }),
    output: z.object({
      serverId: z.string(),
      from: z.number(),
      to: z.number(),
      tier: z.enum(['raw', '1m', '1h']),
      stepMs: z.number(),
      t: z.array(z.number()),
      values: z.record(
        z.string(),
        z.object({ avg: z.array(z.number()), min: z.array(z.number()), max: z.array(z.number()) }),
      ),
    }),
    summary: 'One server’s metrics over a time range, at most maxPoints points from the right tier.',
  }),
  'metrics.fleet': method({
    input: z.strictObject({ sparkMinutes: z.number().int().min(1).max(1440).default(30) }),
    output: z.array(
      z.object({
        serverId: z.string(),
        state: CollectState,
        at: z.number().nullable(),
        values: z.record(z.string(), z.number()).nullable(),
        spark: z.object({ t: z.array(z.number()), cpu: z.array(z.number()), mem: z.array(z.number()) }),
        /** A panel's server: which panel, and the server's name there (absent or null for an inventory server). */
        source: MetricsSource.optional(),
      }),
    ),
    summary: 'Every server’s latest figures, state and sparklines (the fleet overview).',
  }),
  'metrics.live': method({
    input: z.strictObject({ serverId: MetricsServerId }),
    output: LiveSample.nullable(),
    summary: 'The newest sample of a server (with per-core CPU and every filesystem).',
  }),
};

export const metricsEvents = {
  'metrics.sample': event({ payload: LiveSample, summary: 'A server’s new sample (every interval).' }),
  'metrics.state': event({ payload: ServerCollectState, summary: 'A server’s collection state changed.' }),
};

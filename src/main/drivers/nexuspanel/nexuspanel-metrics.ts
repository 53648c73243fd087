import type { FilesystemUsage, MetricsSample } from '../../metrics/metrics.types';
import { jsonObject as obj } from '../http/json-values';

/**
 * NexusPanel's metrics in PanelDeck's MetricsSample shape (src/main/metrics/metrics.types.ts), so a NexusPanel
 * server's figures land in the same charts as an SSH-collected one. The panel reports less than the collector:
 * what it does not report is null where the type allows it, else 0 — swap, load averages, uptime and the process
 * count are always 0 from NexusPanel (see {@link NEXUS_UNREPORTED}).
 */

/** One mounted filesystem, as the collector reports it. */
export type NexusFilesystem = FilesystemUsage;

/** NexusPanel's figures in the collector's own sample shape, so they land in the same charts and history. */
export type NexusMetricsSample = MetricsSample;

/** MetricsSample fields NexusPanel never reports (0 in every sample from this driver). */
export const NEXUS_UNREPORTED = [
  'swapTotalBytes',
  'swapUsedBytes',
  'load1',
  'load5',
  'load15',
  'uptimeSec',
  'processes',
] as const;

/** GET /servers/:id/metrics as the panel answers it (seed "Get Current Metrics"). */
export interface NexusCurrentMetrics {
  readonly timestamp: string;
  readonly cpu: { readonly usage_percent: number; readonly cores?: readonly { core: number; usage_percent: number }[] };
  readonly memory: {
    readonly total: number;
    readonly used: number;
    readonly free?: number;
    readonly usage_percent?: number;
  };
  readonly disk: readonly {
    device: string;
    mount_point: string;
    total: number;
    used: number;
    free: number;
    usage_percent?: number;
  }[];
  /** Counters since boot (bytes and packets), not rates. */
  readonly network: { readonly bytes_sent: number; readonly bytes_recv: number };
}

/** One message of the WebSocket metrics stream (seed "Real-Time Metrics Stream"). */
export interface NexusStreamSample {
  readonly timestamp: string;
  readonly cpu_percent: number;
  readonly memory_percent: number;
  readonly disk_percent: number;
  /** Bytes per second received / sent. */
  readonly network_in: number;
  readonly network_out: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const bp = (pct: unknown): number => Math.max(0, Math.min(10_000, Math.round(num(pct) * 100)));
const int = (v: unknown): number => Math.max(0, Math.round(num(v)));

function when(ts: unknown, fallback: number): number {
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? fallback : t;
}

/** Reads the current-metrics answer defensively (missing parts become zeros / empty lists). */
export function readCurrentMetrics(data: Record<string, unknown>): NexusCurrentMetrics {
  const cpu = obj(data['cpu']);
  const mem = obj(data['memory']);
  const net = obj(data['network']);
  const cores = Array.isArray(cpu['cores']) ? cpu['cores'].map((c) => obj(c)) : [];
  const disks = Array.isArray(data['disk']) ? data['disk'].map((d) => obj(d)) : [];
  return {
    timestamp: typeof data['timestamp'] === 'string' ? data['timestamp'] : new Date().toISOString(),
    cpu: {
      usage_percent: num(cpu['usage_percent']),
      cores: cores.map((c) => ({ core: num(c['core']), usage_percent: num(c['usage_percent']) })),
    },
    memory: { total: num(mem['total']), used: num(mem['used']), free: num(mem['free']) },
    disk: disks.map((d) => ({
      device: typeof d['device'] === 'string' ? d['device'] : '',
      mount_point: typeof d['mount_point'] === 'string' ? d['mount_point'] : '',
      total: num(d['total']),
      used: num(d['used']),
      free: num(d['free']),
    })),
    network: { bytes_sent: num(net['bytes_sent']), bytes_recv: num(net['bytes_recv']) },
  };
}

function filesystems(m: NexusCurrentMetrics): NexusFilesystem[] {
  return m.disk
    .filter((d) => d.mount_point !== '')
    .map((d) => ({
      mount: d.mount_point,
      source: d.device,
      sizeBytes: int(d.total),
      usedBytes: int(d.used),
      availBytes: int(d.free),
    }));
}

/**
 * Current metrics → MetricsSample. Network figures are counters since boot, so rates need the previous answer
 * (`prev`): without it they are null, like the collector's first sample. Disk I/O is not reported (null).
 */
export function currentToSample(
  serverId: string,
  m: NexusCurrentMetrics,
  prev?: NexusCurrentMetrics,
  now = Date.now(),
): NexusMetricsSample {
  const at = when(m.timestamp, now);
  const prevAt = prev ? when(prev.timestamp, now) : null;
  const intervalMs = prevAt !== null && at > prevAt ? at - prevAt : null;
  const rate = (a: number, b: number | undefined): number | null =>
    intervalMs === null || b === undefined || a < b ? null : Math.round(((a - b) * 1000) / intervalMs);
  const total = int(m.memory.total);
  const used = Math.min(total, int(m.memory.used));
  const cores = [...(m.cpu.cores ?? [])].sort((a, b) => a.core - b.core);
  return {
    serverId,
    at,
    intervalMs,
    cpuBp: bp(m.cpu.usage_percent),
    cpuUserBp: null,
    cpuSystemBp: null,
    cpuIowaitBp: null,
    cpuStealBp: null,
    cpuGuestBp: null,
    cpuCoresBp: cores.length > 0 ? cores.map((c) => bp(c.usage_percent)) : null,
    memTotalBytes: total,
    memAvailableBytes: total - used,
    memUsedBytes: used,
    swapTotalBytes: 0,
    swapUsedBytes: 0,
    load1: 0,
    load5: 0,
    load15: 0,
    diskReadBps: null,
    diskWriteBps: null,
    netRxBps: rate(m.network.bytes_recv, prev?.network.bytes_recv),
    netTxBps: rate(m.network.bytes_sent, prev?.network.bytes_sent),
    uptimeSec: 0,
    processes: 0,
    filesystems: filesystems(m),
  };
}

/** Reads one stream message (null when it is not a metrics sample). */
export function readStreamSample(v: unknown): NexusStreamSample | null {
  const o = obj(v);
  if (typeof o['cpu_percent'] !== 'number') return null;
  return {
    timestamp: typeof o['timestamp'] === 'string' ? o['timestamp'] : new Date().toISOString(),
    cpu_percent: num(o['cpu_percent']),
    memory_percent: num(o['memory_percent']),
    disk_percent: num(o['disk_percent']),
    network_in: num(o['network_in']),
    network_out: num(o['network_out']),
  };
}

/**
 * A stream message → MetricsSample. The stream carries percentages only, so sizes come from `base` (the current
 * metrics read when the stream opened): memory used = memory_percent × MemTotal; filesystems are the base's.
 */
export function streamToSample(
  serverId: string,
  s: NexusStreamSample,
  base: NexusCurrentMetrics | null,
  now = Date.now(),
): NexusMetricsSample {
  const total = int(base?.memory.total);
  const used = Math.min(total, Math.round((total * num(s.memory_percent)) / 100));
  return {
    ...(base
      ? currentToSample(serverId, base, undefined, now)
      : currentToSample(serverId, readCurrentMetrics({}), undefined, now)),
    at: when(s.timestamp, now),
    intervalMs: null,
    cpuBp: bp(s.cpu_percent),
    cpuCoresBp: null,
    memTotalBytes: total,
    memUsedBytes: used,
    memAvailableBytes: total - used,
    netRxBps: int(s.network_in),
    netTxBps: int(s.network_out),
  };
}

/** A range of metrics history to ask for. */
export interface NexusHistoryRange {
  readonly metric: 'cpu' | 'memory' | 'disk' | 'network';
  /** ms since the epoch */
  readonly from: number;
  readonly to: number;
  readonly interval?: '1m' | '5m' | '1h' | '1d';
}

/** What the history endpoint answered: points as (ms since the epoch, value in the panel's unit). */
export interface NexusHistory {
  readonly metric: string;
  readonly interval: string | null;
  readonly points: readonly { readonly at: number; readonly value: number }[];
}

/** Reads GET /servers/:id/metrics/history's data. */
export function readHistory(data: Record<string, unknown>, metric: string): NexusHistory {
  const raw = Array.isArray(data['data_points']) ? data['data_points'] : [];
  return {
    metric: typeof data['metric_type'] === 'string' ? data['metric_type'] : metric,
    interval: typeof data['interval'] === 'string' ? data['interval'] : null,
    points: raw
      .map((p) => obj(p))
      .map((p) => ({ at: when(p['timestamp'], NaN), value: num(p['value']) }))
      .filter((p) => !Number.isNaN(p.at)),
  };
}

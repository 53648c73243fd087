import type { LiveSample } from '../../shared/contract/metrics.contract';
import type { MetricsRow } from '../storage/history/metrics-schema';
import type { MetricsSample } from './metrics.types';

/**
 * A collector sample as history.db's row (natural units: percent, bytes, bytes per second, load, a count), or
 * null when the sample cannot be stored whole.
 *
 * Why null rather than zeros: the store takes every figure as a finite, non-negative number, and the rates (CPU,
 * disk I/O, network) are null on the first sample of a channel (and after a reboot) because there is nothing to
 * subtract yet. Writing 0 there would chart a false dip at every (re)connect and pull the rollups' min and avg
 * down; skipping loses one point per channel start and the chart shows the gap it really is. The sample still goes
 * out live and to the alerts. A server without a "/" filesystem in `df` (a container whose root is hidden) stores
 * 0 for both root figures: the size 0 says "unknown", and usage is never divided by it.
 */
export function sampleToRow(s: MetricsSample): MetricsRow | null {
  if (s.cpuBp === null || s.diskReadBps === null || s.diskWriteBps === null) return null;
  if (s.netRxBps === null || s.netTxBps === null) return null;
  const root = s.filesystems.find((f) => f.mount === '/');
  return {
    serverId: s.serverId,
    cpuBusyPct: Math.min(100, Math.max(0, s.cpuBp / 100)),
    memUsedBytes: s.memUsedBytes,
    memTotalBytes: s.memTotalBytes,
    swapUsedBytes: s.swapUsedBytes,
    swapTotalBytes: s.swapTotalBytes,
    load1: s.load1 / 100,
    load5: s.load5 / 100,
    load15: s.load15 / 100,
    diskReadBps: s.diskReadBps,
    diskWriteBps: s.diskWriteBps,
    netRxBps: s.netRxBps,
    netTxBps: s.netTxBps,
    processes: s.processes,
    rootFsUsedBytes: root?.usedBytes ?? 0,
    rootFsSizeBytes: root?.sizeBytes ?? 0,
  };
}

/** A collector sample as the live chart gets it: the stored figures (null when unknown), per-core CPU, every mount. */
export function sampleToLive(s: MetricsSample): LiveSample {
  const root = s.filesystems.find((f) => f.mount === '/');
  const pct = (bp: number | null): number | null => (bp === null ? null : bp / 100);
  return {
    serverId: s.serverId,
    at: s.at,
    values: {
      cpuBusyPct: pct(s.cpuBp),
      memUsedBytes: s.memUsedBytes,
      memTotalBytes: s.memTotalBytes,
      swapUsedBytes: s.swapUsedBytes,
      swapTotalBytes: s.swapTotalBytes,
      load1: s.load1 / 100,
      load5: s.load5 / 100,
      load15: s.load15 / 100,
      diskReadBps: s.diskReadBps,
      diskWriteBps: s.diskWriteBps,
      netRxBps: s.netRxBps,
      netTxBps: s.netTxBps,
      processes: s.processes,
      rootFsUsedBytes: root?.usedBytes ?? null,
      rootFsSizeBytes: root?.sizeBytes ?? null,
    },
    cores: s.cpuCoresBp === null ? null : s.cpuCoresBp.map(pct),
    filesystems: s.filesystems.map((f) => ({ mount: f.mount, sizeBytes: f.sizeBytes, usedBytes: f.usedBytes })),
  };
}

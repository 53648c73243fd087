/**
 * Turns the remote loop's snapshots into {@link MetricsSample}s: a snapshot holds raw counters (parsed by
 * proc-parse.ts); figures that are rates (CPU, disk I/O, network) come from the difference between two consecutive
 * snapshots of the same boot, over the server's own elapsed time (/proc/uptime), so network jitter between the
 * server and PanelDeck does not skew them. Pure functions; the collector keeps the previous snapshot.
 */
import type { FilesystemUsage, MetricsSample } from './metrics.types';
import {
  EXCLUDED_INTERFACE,
  memoryInfo,
  parseBlockList,
  parseDf,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseUptimeMs,
  wholeDisks,
  type CpuTimes,
  type MemoryInfo,
  type NetCounters,
} from './proc-parse';

/** The sections of one snapshot, as the loop printed them (see metrics-script.ts). */
export type SnapshotSections = ReadonlyMap<string, string>;

/** One parsed snapshot: raw counters and instant figures. */
export interface Snapshot {
  /** Milliseconds since boot. */
  readonly uptimeMs: number;
  /** Boot time from /proc/stat (null if absent). */
  readonly btime: number | null;
  readonly cpu: CpuTimes;
  readonly cores: ReadonlyMap<number, CpuTimes>;
  readonly memory: MemoryInfo;
  readonly load: { load1: number; load5: number; load15: number };
  /** Counters of the counted interfaces (see EXCLUDED_INTERFACE); null if /proc/net/dev was missing. */
  readonly net: ReadonlyMap<string, NetCounters> | null;
  /** Bytes read and written by each whole disk (sectors × 512); null if /proc/diskstats was missing. */
  readonly disks: ReadonlyMap<string, { readBytes: number; writtenBytes: number }> | null;
  /** Null if df printed nothing (missing, or timed out). */
  readonly filesystems: readonly FilesystemUsage[] | null;
  readonly processes: number;
}

/** The result of {@link parseSnapshot}: a snapshot (null when a required section is unusable) and what was missing. */
export interface ParsedSnapshot {
  readonly snapshot: Snapshot | null;
  /** Sections that were absent or could not be parsed; non-empty means the server is `degraded`. */
  readonly missing: readonly string[];
}

/** Parses one snapshot. stat, meminfo, loadavg, uptime and procs are required; netdev, diskstats and df are not. */
export function parseSnapshot(sections: SnapshotSections): ParsedSnapshot {
  const missing: string[] = [];
  const text = (name: string): string => sections.get(name) ?? '';
  const stat = parseProcStat(text('stat'));
  const memory = memoryInfo(parseMeminfo(text('meminfo')));
  const load = parseLoadavg(text('loadavg'));
  const uptimeMs = parseUptimeMs(text('uptime'));
  const procsText = text('procs').trim();
  const processes = /^\d+$/.test(procsText) ? Number(procsText) : null;
  if (stat.cpu === null) missing.push('stat');
  if (memory === null) missing.push('meminfo');
  if (load === null) missing.push('loadavg');
  if (uptimeMs === null) missing.push('uptime');
  if (processes === null) missing.push('procs');

  let net: Map<string, NetCounters> | null = null;
  const netAll = parseNetDev(text('netdev'));
  if (netAll.size === 0) missing.push('netdev');
  else net = new Map([...netAll].filter(([name]) => !EXCLUDED_INTERFACE.test(name)));

  let disks: Map<string, { readBytes: number; writtenBytes: number }> | null = null;
  const diskAll = parseDiskstats(text('diskstats'));
  if (!sections.has('diskstats')) missing.push('diskstats');
  else {
    const whole = wholeDisks(diskAll, parseBlockList(text('block')));
    disks = new Map(
      whole.map((d) => [d.name, { readBytes: d.sectorsRead * 512, writtenBytes: d.sectorsWritten * 512 }]),
    );
  }

  const fsAll = parseDf(text('df'));
  const filesystems = fsAll.length > 0 ? fsAll : null;
  if (filesystems === null) missing.push('df');

  if (stat.cpu === null || memory === null || load === null || uptimeMs === null || processes === null) {
    return { snapshot: null, missing };
  }
  return {
    snapshot: {
      uptimeMs,
      btime: stat.btime,
      cpu: stat.cpu,
      cores: stat.cores,
      memory,
      load,
      net,
      disks,
      filesystems,
      processes,
    },
    missing,
  };
}

/** Time spent in each class over an interval, in ticks (see {@link cpuDelta}). */
export interface CpuDelta {
  /** user + nice, guest time taken out. */
  readonly user: number;
  /** system + irq + softirq. */
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly steal: number;
  /** guest + guest_nice. */
  readonly guest: number;
  /** Every tick of the interval, each counted once. */
  readonly total: number;
  /** total − idle − iowait. */
  readonly busy: number;
}

/** cur − prev, or 0 when the counter went backwards (a kernel quirk, a reset): clamped, never a spike. */
const up = (cur: number, prev: number): number => Math.max(0, cur - prev);

/**
 * The CPU time between two `cpu` lines. The kernel counts guest time in user and guest_nice in nice as well, so
 * those are taken out of user and nice and counted once, as guest (busy). iowait counts as idle; steal as busy.
 * Each counter's difference is clamped at 0 first.
 */
export function cpuDelta(prev: CpuTimes, cur: CpuTimes): CpuDelta {
  const d = cur.map((v, i) => up(v, prev[i] ?? 0));
  const [
    user = 0,
    nice = 0,
    system = 0,
    idle = 0,
    iowait = 0,
    irq = 0,
    softirq = 0,
    steal = 0,
    guest = 0,
    guestNice = 0,
  ] = d;
  const u = up(user, guest) + up(nice, guestNice);
  const sys = system + irq + softirq;
  const g = guest + guestNice;
  const total = u + sys + idle + iowait + steal + g;
  return { user: u, system: sys, idle, iowait, steal, guest: g, total, busy: total - idle - iowait };
}

/** `part` of `total` in basis points (0 when no time passed). */
export function basisPoints(part: number, total: number): number {
  return total > 0 ? Math.round((part * 10_000) / total) : 0;
}

/** Bytes per second: `bytes` over `ms`, rounded. */
function perSecond(bytes: number, ms: number): number {
  return Math.round((bytes * 1000) / ms);
}

/** Sums, over the keys present in both maps, the clamped increase of each selected counter. */
function sumIncrease<T>(prev: ReadonlyMap<string, T>, cur: ReadonlyMap<string, T>, pick: (v: T) => number): number {
  let total = 0;
  for (const [key, value] of cur) {
    const before = prev.get(key);
    if (before !== undefined) total += up(pick(value), pick(before));
  }
  return total;
}

/**
 * The sample for `cur`, with the rates against `prev` when `prev` is of the same boot and earlier (same btime,
 * smaller uptime); otherwise the rates are null (first snapshot, or the server rebooted in between).
 */
export function computeSample(prev: Snapshot | null, cur: Snapshot, serverId: string, at: number): MetricsSample {
  const sameBoot =
    prev !== null &&
    cur.uptimeMs > prev.uptimeMs &&
    (prev.btime === null || cur.btime === null || prev.btime === cur.btime);
  const mem = cur.memory;
  const base = {
    serverId,
    at,
    memTotalBytes: mem.totalBytes,
    memAvailableBytes: mem.availableBytes,
    memUsedBytes: mem.totalBytes - mem.availableBytes,
    swapTotalBytes: mem.swapTotalBytes,
    swapUsedBytes: Math.max(0, mem.swapTotalBytes - mem.swapFreeBytes),
    load1: cur.load.load1,
    load5: cur.load.load5,
    load15: cur.load.load15,
    uptimeSec: Math.floor(cur.uptimeMs / 1000),
    processes: cur.processes,
    filesystems: cur.filesystems ?? [],
  };
  if (!sameBoot) {
    return {
      ...base,
      intervalMs: null,
      cpuBp: null,
      cpuUserBp: null,
      cpuSystemBp: null,
      cpuIowaitBp: null,
      cpuStealBp: null,
      cpuGuestBp: null,
      cpuCoresBp: null,
      diskReadBps: null,
      diskWriteBps: null,
      netRxBps: null,
      netTxBps: null,
    };
  }
  const ms = cur.uptimeMs - prev.uptimeMs;
  const c = cpuDelta(prev.cpu, cur.cpu);
  const coreIds = [...cur.cores.keys()].sort((a, b) => a - b);
  const cores = coreIds.map((id) => {
    const before = prev.cores.get(id);
    const now = cur.cores.get(id);
    if (before === undefined || now === undefined) return null;
    const d = cpuDelta(before, now);
    return basisPoints(d.busy, d.total);
  });
  const net = prev.net !== null && cur.net !== null ? { prev: prev.net, cur: cur.net } : null;
  const disks = prev.disks !== null && cur.disks !== null ? { prev: prev.disks, cur: cur.disks } : null;
  return {
    ...base,
    intervalMs: ms,
    cpuBp: basisPoints(c.busy, c.total),
    cpuUserBp: basisPoints(c.user, c.total),
    cpuSystemBp: basisPoints(c.system, c.total),
    cpuIowaitBp: basisPoints(c.iowait, c.total),
    cpuStealBp: basisPoints(c.steal, c.total),
    cpuGuestBp: basisPoints(c.guest, c.total),
    cpuCoresBp: cores,
    diskReadBps:
      disks &&
      perSecond(
        sumIncrease(disks.prev, disks.cur, (v) => v.readBytes),
        ms,
      ),
    diskWriteBps:
      disks &&
      perSecond(
        sumIncrease(disks.prev, disks.cur, (v) => v.writtenBytes),
        ms,
      ),
    netRxBps:
      net &&
      perSecond(
        sumIncrease(net.prev, net.cur, (v) => v.rxBytes),
        ms,
      ),
    netTxBps:
      net &&
      perSecond(
        sumIncrease(net.prev, net.cur, (v) => v.txBytes),
        ms,
      ),
  };
}

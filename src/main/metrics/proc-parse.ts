/**
 * Pure parsers of the texts the remote metrics loop prints (see metrics-script.ts): /proc/stat, /proc/meminfo,
 * /proc/loadavg, /proc/uptime, /proc/net/dev, /proc/diskstats, the /sys/block listing and `df -kP`. Each one is
 * tolerant: a line it does not understand is skipped, never thrown on (kernels add fields and lines over time).
 * They return raw counters; sample-compute.ts turns two snapshots into figures.
 */
import type { FilesystemUsage } from './metrics.types';

/**
 * The ten CPU time counters of a `cpu` line of /proc/stat, in USER_HZ ticks, in the kernel's order: user, nice,
 * system, idle, iowait, irq, softirq, steal, guest, guest_nice. Missing trailing fields (old kernels) are 0.
 */
export type CpuTimes = readonly [number, number, number, number, number, number, number, number, number, number];

/** What /proc/stat says about CPU time and boot. */
export interface ProcStat {
  /** The aggregate `cpu` line; null if absent. */
  readonly cpu: CpuTimes | null;
  /** `cpuN` lines, by N. */
  readonly cores: ReadonlyMap<number, CpuTimes>;
  /** Boot time (seconds since the epoch): changes on reboot. */
  readonly btime: number | null;
}

const NUM = /^\d+$/;

/** Splits a text into trimmed, non-empty lines. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** A non-negative integer field, or null. Counters beyond 2^53 lose precision but stay ordered. */
function int(s: string | undefined): number | null {
  return s !== undefined && NUM.test(s) ? Number(s) : null;
}

/** Parses /proc/stat: the aggregate and per-core CPU counters and btime. */
export function parseProcStat(text: string): ProcStat {
  let cpu: CpuTimes | null = null;
  const cores = new Map<number, CpuTimes>();
  let btime: number | null = null;
  for (const line of lines(text)) {
    const f = line.split(/\s+/);
    const head = f[0] ?? '';
    if (head === 'btime') btime = int(f[1]);
    if (!head.startsWith('cpu')) continue;
    const values = f.slice(1, 11).map(int);
    if (values.length < 4 || values.some((v) => v === null)) continue;
    const t = Array.from({ length: 10 }, (_, i) => values[i] ?? 0) as unknown as CpuTimes;
    if (head === 'cpu') cpu = t;
    else if (NUM.test(head.slice(3))) cores.set(Number(head.slice(3)), t);
  }
  return { cpu, cores, btime };
}

/** Parses /proc/meminfo into bytes by key ("MemTotal" → bytes); values without a unit (HugePages_*) stay counts. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines(text)) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+(kB))?$/.exec(line);
    if (m === null) continue;
    out.set(m[1] ?? '', Number(m[2]) * (m[3] === 'kB' ? 1024 : 1));
  }
  return out;
}

/** Memory figures from meminfo, or null without MemTotal. */
export interface MemoryInfo {
  readonly totalBytes: number;
  readonly availableBytes: number;
  readonly swapTotalBytes: number;
  readonly swapFreeBytes: number;
}

/**
 * Total, available and swap from meminfo. Available is MemAvailable (Linux 3.14+); before it, the classic
 * estimate MemFree + Buffers + Cached, which is what `free` showed then.
 */
export function memoryInfo(info: ReadonlyMap<string, number>): MemoryInfo | null {
  const total = info.get('MemTotal');
  if (total === undefined) return null;
  const available =
    info.get('MemAvailable') ?? (info.get('MemFree') ?? 0) + (info.get('Buffers') ?? 0) + (info.get('Cached') ?? 0);
  return {
    totalBytes: total,
    availableBytes: Math.min(available, total),
    swapTotalBytes: info.get('SwapTotal') ?? 0,
    swapFreeBytes: info.get('SwapFree') ?? 0,
  };
}

/** Load averages × 100 from /proc/loadavg ("0.52 0.58 0.59 1/123 4567"), or null. */
export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } | null {
  const f = text.trim().split(/\s+/);
  const v = f.slice(0, 3).map((s) => (/^\d+(\.\d+)?$/.test(s) ? Math.round(Number(s) * 100) : null));
  const [load1, load5, load15] = v;
  if (load1 == null || load5 == null || load15 == null) return null;
  return { load1, load5, load15 };
}

/** Milliseconds since boot from /proc/uptime ("10398.56 1904.50"), or null. */
export function parseUptimeMs(text: string): number | null {
  const first = text.trim().split(/\s+/)[0] ?? '';
  return /^\d+(\.\d+)?$/.test(first) ? Math.round(Number(first) * 1000) : null;
}

/** Received and transmitted byte counters of one interface. */
export interface NetCounters {
  readonly rxBytes: number;
  readonly txBytes: number;
}

/**
 * Interfaces left out of the network totals: loopback, and the plumbing of containers and VMs (veth pairs,
 * bridges, ifb, overlay tunnels of Docker, Kubernetes and libvirt), whose traffic is counted again on the uplink.
 */
export const EXCLUDED_INTERFACE =
  /^(lo|veth.*|docker\d*|br-.*|virbr\d*.*|cni\d*|flannel\..*|cali.*|vxlan\..*|ifb\d*|lxcbr\d*)$/;

/** Parses /proc/net/dev into counters by interface (every interface; filtering is {@link EXCLUDED_INTERFACE}). */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const line of lines(text)) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (m === null) continue;
    const f = (m[2] ?? '').split(/\s+/).map(int);
    const rx = f[0];
    const tx = f[8];
    if (rx == null || tx == null) continue;
    out.set(m[1] ?? '', { rxBytes: rx, txBytes: tx });
  }
  return out;
}

/** One line of /proc/diskstats: the device and its sector counters (always 512-byte units, whatever the disk). */
export interface DiskCounters {
  readonly major: number;
  readonly minor: number;
  readonly name: string;
  readonly sectorsRead: number;
  readonly sectorsWritten: number;
}

/** Parses /proc/diskstats (every device; whole-disk filtering is {@link wholeDisks}). */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of lines(text)) {
    const f = line.split(/\s+/);
    const major = int(f[0]);
    const minor = int(f[1]);
    const name = f[2];
    const read = int(f[5]);
    const written = int(f[9]);
    if (major === null || minor === null || name === undefined || read === null || written === null) continue;
    out.push({ major, minor, name, sectorsRead: read, sectorsWritten: written });
  }
  return out;
}

/** Device mappers, software RAID, loop, RAM disks, zram, optical and floppy drives: not counted as disks. */
const VIRTUAL_DISK = /^(dm-\d+|md\d+|md_.+|loop\d+|ram\d+|zram\d+|sr\d+|fd\d+)/;
/** Whole disks by name, when /sys/block could not be listed. */
const WHOLE_BY_NAME = /^((sd|vd|xvd|hd)[a-z]+|nvme\d+n\d+|mmcblk\d+|nbd\d+|rbd\d+|zd\d+)$/;

/**
 * The names in `echo /sys/block/*` ("/sys/block/vda /sys/block/loop0" → vda, loop0; `!` in a name stands for the
 * `/` of the diskstats name, as in cciss!c0d0). Null when the listing is empty or the glob did not match.
 */
export function parseBlockList(text: string): Set<string> | null {
  const names = text
    .trim()
    .split(/\s+/)
    .filter((p) => p.startsWith('/sys/block/') && !p.includes('*'))
    .map((p) => p.slice('/sys/block/'.length).replace(/!/g, '/'))
    .filter((n) => n !== '');
  return names.length > 0 ? new Set(names) : null;
}

/**
 * The whole physical (or virtual-machine) disks among `disks`: no partitions (whose I/O is already in their disk's
 * counters), no dm-*, md*, loop, ram, zram (stacked on disks: counting them too would count I/O twice). Whole disks
 * are the ones in /sys/block when it was listed, else known disk names (sda, vda, xvda, nvme0n1, mmcblk0, ...).
 */
export function wholeDisks(disks: readonly DiskCounters[], block: ReadonlySet<string> | null): DiskCounters[] {
  return disks.filter((d) => {
    if (VIRTUAL_DISK.test(d.name)) return false;
    return block !== null ? block.has(d.name) : WHOLE_BY_NAME.test(d.name);
  });
}

/** Sources that are not storage: memory and kernel filesystems, container layers. */
const PSEUDO_SOURCE = new Set([
  'tmpfs',
  'devtmpfs',
  'udev',
  'overlay',
  'overlayfs',
  'shm',
  'none',
  'ramfs',
  'efivarfs',
  'devfs',
  'cgroup',
  'cgroup2',
  'proc',
  'sysfs',
]);
/** Kernel mount points. */
const PSEUDO_MOUNT = /^\/(proc|sys|dev)(\/|$)/;

/**
 * Parses `df -kP` into real filesystems. Left out: memory and kernel filesystems (tmpfs, devtmpfs, udev, ...),
 * anything mounted under /proc, /sys or /dev, loop devices (snap and ISO images, always full), zero-sized entries,
 * and overlay mounts — except the root: a container's "/" is an overlay and is the disk it really uses.
 */
export function parseDf(text: string): FilesystemUsage[] {
  const out: FilesystemUsage[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(?:\d+%|-)\s+(\/.*)$/.exec(line.trimEnd());
    if (m === null) continue;
    const source = m[1] ?? '';
    const mount = m[5] ?? '';
    const size = Number(m[2]) * 1024;
    if (mount !== '/') {
      if (PSEUDO_SOURCE.has(source.toLowerCase()) || PSEUDO_MOUNT.test(mount)) continue;
      if (source.startsWith('/dev/loop') || size === 0) continue;
    }
    out.push({ mount, source, sizeBytes: size, usedBytes: Number(m[3]) * 1024, availBytes: Number(m[4]) * 1024 });
  }
  return out;
}

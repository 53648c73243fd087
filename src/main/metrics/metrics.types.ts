/**
 * The shapes of the agentless metrics collector (issue 11, "Collector"): one {@link MetricsSample} per server per
 * tick, the per-server {@link MetricsServerState}, and the collector's callbacks.
 *
 * Why integers everywhere: history.db stores wide `STRICT` rows of integers (issue 11, "Storage"), so the scaling is
 * decided once, here: CPU shares in basis points (0–10 000 = 0–100.00 %), sizes in bytes, rates in bytes per second,
 * load averages in hundredths. A figure that needs two snapshots (CPU, disk I/O, network) is `null` on the first
 * sample of a channel and after a reboot of the server: there is nothing to subtract it from yet.
 */

/** Usage of one mounted filesystem, from `df -kP` (pseudo filesystems left out, see `parseDf`). */
export interface FilesystemUsage {
  /** Mount point ("/", "/var", ...). */
  readonly mount: string;
  /** What is mounted ("/dev/vda1", "rpool/ROOT", "server:/export", "overlay" for a container's root). */
  readonly source: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly availBytes: number;
}

/**
 * What one server looked like at one tick. CPU shares are of all CPU time in the interval (every core), as
 * `top` and the anchors count them: busy = total − idle − iowait; steal stays busy; guest time is taken out of
 * user/nice (the kernel counts it in both) and shown on its own. The parts (user, system, steal, guest) add up to
 * `cpuBp` up to rounding.
 */
export interface MetricsSample {
  /** The server (inventory id). Nothing else identifying is stored with a sample. */
  readonly serverId: string;
  /** When the collector received the snapshot (ms since the epoch, the core's clock). */
  readonly at: number;
  /**
   * The server's own time between the previous snapshot and this one (ms, from /proc/uptime): the denominator of the
   * rates. Null on the first sample of a channel and after a reboot.
   */
  readonly intervalMs: number | null;

  /** Busy CPU, all cores, basis points (0–10 000). */
  readonly cpuBp: number | null;
  /** User + nice without guest time, basis points. */
  readonly cpuUserBp: number | null;
  /** System + irq + softirq, basis points. */
  readonly cpuSystemBp: number | null;
  /** Waiting for I/O (counted as idle, not in `cpuBp`), basis points. */
  readonly cpuIowaitBp: number | null;
  /** Stolen by the hypervisor (counted as busy), basis points. */
  readonly cpuStealBp: number | null;
  /** Running guests (guest + guest_nice, counted as busy), basis points. */
  readonly cpuGuestBp: number | null;
  /**
   * Busy per core (`cpu0`, `cpu1`, ... in order), basis points of that core's time; an entry is null for a core
   * that was not in the previous snapshot (hot-plugged). Null like the other rates.
   */
  readonly cpuCoresBp: readonly (number | null)[] | null;

  /** MemTotal. */
  readonly memTotalBytes: number;
  /** MemAvailable (on kernels before 3.14 without it: MemFree + Buffers + Cached). */
  readonly memAvailableBytes: number;
  /** MemTotal − MemAvailable (what `free` calls used). */
  readonly memUsedBytes: number;
  readonly swapTotalBytes: number;
  /** SwapTotal − SwapFree. */
  readonly swapUsedBytes: number;

  /** Load averages × 100 (1.57 → 157). */
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;

  /** Read and written on whole disks (no partitions, dm, md, loop, ram, zram), bytes per second (sectors × 512). */
  readonly diskReadBps: number | null;
  readonly diskWriteBps: number | null;
  /** Received and sent on every interface but lo and container plumbing (veth, bridges), bytes per second. */
  readonly netRxBps: number | null;
  readonly netTxBps: number | null;

  /** Seconds since the server booted. */
  readonly uptimeSec: number;
  /** Processes (PIDs in /proc) at the tick. */
  readonly processes: number;
  /** Real filesystems, in `df` order. */
  readonly filesystems: readonly FilesystemUsage[];
}

/**
 * A server's collection state, shown wherever the server appears:
 * - `connecting`: started, no snapshot yet;
 * - `up`: snapshots arrive on time and complete;
 * - `degraded`: connected, but a snapshot is late or incomplete, or the remote loop ended and is being restarted;
 * - `unreachable`: the connection failed or dropped; retried with exponential backoff (capped);
 * - `auth_failed`: the server refused the credentials or its host key is not trusted; retried only at the backoff
 *   cap (repeated bad logins get an address banned), or when started again.
 */
export type MetricsServerState = 'connecting' | 'up' | 'degraded' | 'unreachable' | 'auth_failed';

/** A state change of one server. `error` (code and a message safe to show) says why, for the non-`up` states. */
export interface MetricsStateChange {
  readonly serverId: string;
  readonly state: MetricsServerState;
  readonly at: number;
  readonly error?: { readonly code: string; readonly message: string };
  /** When the next attempt is due (ms since the epoch), for `unreachable` and `auth_failed`. */
  readonly retryAt?: number;
}

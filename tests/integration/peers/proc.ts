import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Options for {@link waitForPort}. */
export interface WaitForPortOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Pause between refused attempts (default 20 ms). */
  pollMs?: number;
  /** Abort early, e.g. when the server process exited. */
  signal?: AbortSignal;
}

const LOW_PORT = 20_000;
/** Ports the reference setup reserves on these machines. */
const AVOID_PORTS = new Set([2024]);

/** Lower bound of the kernel's ephemeral (outgoing) port range, 32768 if unknown. */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOW_PORT + 100 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** Resolves true if a listener can bind host:port right now. */
function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Free TCP port on `host` (default 127.0.0.1). Picked below the ephemeral range, so an outgoing connection
 * cannot take it while a server restarts on it; falls back to a kernel-chosen port.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const high = ephemeralLow();
  for (let i = 0; i < 100; i++) {
    const port = LOW_PORT + Math.floor(Math.random() * (high - LOW_PORT));
    if (!AVOID_PORTS.has(port) && (await canBind(host, port))) return port;
  }
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      srv.close(() => (addr !== null && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** One connection attempt: true if host:port accepted, false if refused/unreachable/timed out. */
export function portAccepts(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Waits until host:port accepts a TCP connection; rejects after the deadline or when `signal` aborts. */
export async function waitForPort(host: string, port: number, opts: WaitForPortOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pollMs = opts.pollMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${host}:${port} did not accept connections within ${timeoutMs} ms`);
    if (await portAccepts(host, port, Math.min(left, 1_000))) return;
    opts.signal?.throwIfAborted();
    await delay(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

/** Fields of /proc/PID/stat after the ")" that ends the command name: index 0 is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Kernel start time of PID (field 22 of /proc/PID/stat, clock ticks since boot), undefined if gone. */
export function procStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** Parent PID (field 4 of /proc/PID/stat), undefined if gone. */
export function procParent(pid: number): number | undefined {
  const ppid = statFields(pid)?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** True if PID exists and is not a zombie (kill -0 succeeds on zombies, which PID 1 may reap late). */
export function alive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** True if PID is alive and still the process that had `startTime` (i.e. not recycled). */
export function sameProcess(pid: number, startTime: string): boolean {
  return alive(pid) && procStartTime(pid) === startTime;
}

/** Mount namespace id of PID (e.g. "mnt:[4026532301]"), undefined if gone or unreadable. */
export function mountNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** A process identified by PID plus start time, so a recycled PID is never mistaken for it. */
export interface ProcRef {
  pid: number;
  startTime: string;
}

/** Live processes in mount namespace `ns` that started at or after `notBefore` (clock ticks). */
export function processesInMountNamespace(ns: string, notBefore: string): ProcRef[] {
  const out: ProcRef[] = [];
  const min = BigInt(notBefore);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || mountNamespace(pid) !== ns) continue;
    const startTime = procStartTime(pid);
    if (startTime === undefined || BigInt(startTime) < min || !alive(pid)) continue;
    out.push({ pid, startTime });
  }
  return out;
}

/** Sends `signal` to PID only if it is still the process that had `startTime`; returns whether it was sent. */
export function signalIfSame(pid: number, startTime: string, signal: NodeJS.Signals): boolean {
  if (!sameProcess(pid, startTime)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits (short polling) until PID is dead or no longer the process with `startTime`; false on timeout. */
export async function waitGone(pid: number, startTime: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (sameProcess(pid, startTime)) {
    if (Date.now() >= deadline) return false;
    await delay(10);
  }
  return true;
}

/**
 * Stops PID if (and only if) its start time still matches: SIGTERM, wait up to `timeoutMs`, then SIGKILL.
 * Resolves once it is gone (zombies count as gone); returns how it ended.
 */
export async function stopPid(
  pid: number,
  startTime: string,
  timeoutMs = 5_000,
): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!signalIfSame(pid, startTime, 'SIGTERM')) return 'not-running';
  if (await waitGone(pid, startTime, timeoutMs)) return 'terminated';
  signalIfSame(pid, startTime, 'SIGKILL');
  if (!(await waitGone(pid, startTime, 5_000))) throw new Error(`pid ${pid} survived SIGKILL`);
  return 'killed';
}

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger, memorySink } from '../../src/main/core/logger';
import { MetricsCollector, type MetricsCollectorDeps } from '../../src/main/metrics/metrics-collector.service';
import { METRICS_LOOP_NAME } from '../../src/main/metrics/metrics-script';
import type { MetricsSample, MetricsStateChange } from '../../src/main/metrics/metrics.types';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import type { SshTarget } from '../../src/main/ssh/ssh.types';
import { systemClock } from '../../src/main/vault/clock';
import { makeManager, type MapCredentials } from './peers/ssh-fixtures';
import { startServerHost, type ServerHost } from './peers/server-host';

/**
 * The agentless collector against a whole Debian server (issue 11, "Collector" and the first "Done when" line):
 * one exec channel over the pooled SSH connection, figures checked against `free -b`, `df -kP` and /proc/net/dev
 * read on the server itself, load started on the server, the state of a server that refuses or drops us, and no
 * remote loop left behind.
 */

let server: ServerHost;
let manager: ConnectionManager;
let credentials: MapCredentials;

const target = (id: string, over: Partial<SshTarget> = {}): SshTarget => ({
  id,
  host: server.address,
  port: server.sshPort,
  user: 'root',
  auth: 'key',
  jump: [],
  ...over,
});

/** Samples and states as they arrive, with waits on them (no sleeps). */
class Recorder {
  readonly samples: MetricsSample[] = [];
  readonly states: MetricsStateChange[] = [];
  readonly #waiters = new Set<() => void>();

  readonly onSample = (s: MetricsSample): void => {
    this.samples.push(s);
    this.#wake();
  };
  readonly onState = (c: MetricsStateChange): void => {
    this.states.push(c);
    this.#wake();
  };

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves once `check` returns a value (checked now and after every sample or state). */
  until<T>(check: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const probe = (): void => {
        const v = check();
        if (v === undefined) return;
        this.#waiters.delete(probe);
        resolve(v);
      };
      this.#waiters.add(probe);
      probe();
    });
  }

  /** The sample at index `i` (0-based), once it has arrived. */
  sample(i: number): Promise<MetricsSample> {
    return this.until(() => this.samples[i]);
  }

  /** The first state change at index ≥ `from` satisfying `pred`. */
  state(from: number, pred: (c: MetricsStateChange) => boolean): Promise<MetricsStateChange> {
    return this.until(() => this.states.slice(from).find(pred));
  }
}

function collector(rec: Recorder, over: Partial<MetricsCollectorDeps> = {}): MetricsCollector {
  const { sink } = memorySink();
  return new MetricsCollector({
    manager,
    target: (id) => target(id),
    clock: systemClock,
    logger: new Logger({ sink, level: 'debug' }),
    onSample: rec.onSample,
    onState: rec.onState,
    intervalMs: 1_000,
    ...over,
  });
}

/** The remote loop's processes (the outer sh and its loop subshell share the argv). */
function loopPids(): number[] {
  return server
    .procScan()
    .filter((p) => p.cmdline.includes(METRICS_LOOP_NAME))
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}

/** The remote loop's outer sh: the loop process whose parent is not one (the others are its subshell and forks). */
function loopRoots(): number[] {
  const pids = loopPids();
  return pids.filter((pid) => {
    let stat: string;
    try {
      stat = readFileSync(server.pathOf(`/proc/${pid}/stat`), 'utf8');
    } catch {
      return false; // gone: a fork that has just exec'd or exited
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return !pids.includes(ppid);
  });
}

/** eth0's byte counters, read on the server (independently of the collector's parser). */
async function eth0(): Promise<{ rx: number; tx: number }> {
  const text = await server.execOk(['cat', '/proc/net/dev']);
  const line = text.split('\n').find((l) => l.trim().startsWith('eth0:'));
  const f = (line ?? '').split(':')[1]?.trim().split(/\s+/) ?? [];
  return { rx: Number(f[0]), tx: Number(f[8]) };
}

/** |got − want| ≤ 1 % of want. */
function within1pct(got: number, want: number, what: string): void {
  expect(Math.abs(got - want), `${what}: collector ${got}, reference ${want}`).toBeLessThanOrEqual(want * 0.01);
}

beforeAll(async () => {
  server = await startServerHost();
  const m = makeManager({ idleGraceMs: 60_000 });
  manager = m.manager;
  credentials = m.credentials;
  credentials.secrets.set('srv', { privateKey: server.rootKey });
  credentials.secrets.set('states', { privateKey: server.rootKey });
}, 120_000);

afterAll(async () => {
  await manager?.closeAll();
  await server?.stop();
});

describe('the agentless metrics collector against a real server (issue 11)', () => {
  const rec = new Recorder();
  let c: MetricsCollector;

  beforeAll(() => {
    c = collector(rec);
    void c.start('srv');
  });

  it('one long-lived channel serves every sample: the same remote loop, one pooled connection', async () => {
    await rec.sample(1);
    const roots = loopRoots();
    expect(roots).toHaveLength(1);
    expect(c.state('srv')).toBe('up');
    const n = rec.samples.length;
    await rec.sample(n + 2);
    expect(loopRoots()).toEqual(roots);
    expect(manager.stats()).toEqual([{ key: 'srv', refs: 1, connected: true }]);
    expect(rec.states.filter((s) => s.serverId === 'srv').map((s) => s.state)).toEqual(['connecting', 'up']);
  });

  it('CPU load started on the server shows within two intervals, on every core', async () => {
    await rec.sample(1);
    // One busy loop per core; their PIDs come back so they can be stopped exactly.
    const out = await manager.exec(target('srv'), [
      'sh',
      '-c',
      'n=$(nproc); i=0; while [ "$i" -lt "$n" ]; do (while :; do :; done) </dev/null >/dev/null 2>&1 & echo $!; i=$((i + 1)); done',
    ]);
    const pids = out.stdout.trim().split('\n');
    const from = rec.samples.length;
    try {
      // The first sample to arrive may have been taken just before the load started (in flight); of the two after
      // it — two intervals — at least one covers a whole interval of load.
      const loaded = await rec.until(() => {
        const next = rec.samples.slice(from, from + 3);
        const hit = next.find((s) => (s.cpuBp ?? 0) >= 9_000);
        return hit ?? (next.length === 3 ? null : undefined);
      });
      expect(
        loaded,
        `no loaded sample among ${JSON.stringify(rec.samples.slice(from).map((s) => s.cpuBp))}`,
      ).not.toBeNull();
      for (const core of loaded?.cpuCoresBp ?? []) expect(core).toBeGreaterThanOrEqual(8_000);
      expect(loaded?.cpuCoresBp).toHaveLength(pids.length);
    } finally {
      await server.execOk(['kill', ...pids]);
    }
  });

  it('memory agrees with free -b (used = total − available) within 1 %', async () => {
    /** free -b: "Mem: total used free shared buff/cache available". */
    const free = async (): Promise<{ total: number; used: number; available: number }> => {
      const out = await server.execOk(['free', '-b']);
      const f =
        out
          .split('\n')
          .find((l) => l.startsWith('Mem:'))
          ?.split(/\s+/) ?? [];
      return { total: Number(f[1]), used: Number(f[1]) - Number(f[6]), available: Number(f[6]) };
    };
    // This machine is shared and its memory moves: free runs right before and right after the sample arrives,
    // and the sample must agree within 1 % with a value between the two readings.
    const before = await free();
    const s = await rec.sample(rec.samples.length);
    const after = await free();
    const near = (got: number, a: number, b: number, what: string): void => {
      const want = Math.min(Math.max(got, Math.min(a, b)), Math.max(a, b));
      within1pct(got, want, what);
    };
    expect(s.memTotalBytes).toBe(after.total);
    near(s.memUsedBytes, before.used, after.used, 'memory used');
    near(s.memAvailableBytes, before.available, after.available, 'memory available');
  });

  it('filesystems agree with df -kP within 1 %', async () => {
    const df = await server.execOk(['df', '-kP']);
    const s = await rec.sample(rec.samples.length);
    const rows = new Map(
      df
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f.length >= 6)
        .map((f) => [f.slice(5).join(' '), f]),
    );
    expect(s.filesystems.map((f) => f.mount)).toContain('/');
    for (const fs of s.filesystems) {
      const row = rows.get(fs.mount);
      expect(row, `df shows ${fs.mount}`).toBeDefined();
      expect(fs.sizeBytes).toBe(Number(row?.[1]) * 1024);
      within1pct(fs.usedBytes, Number(row?.[2]) * 1024, `${fs.mount} used`);
      within1pct(fs.availBytes, Number(row?.[3]) * 1024, `${fs.mount} available`);
    }
    // tmpfs and the like are not charted.
    expect(s.filesystems.some((f) => f.source === 'tmpfs')).toBe(false);
  });

  it('network agrees with /proc/net/dev deltas within 1 % (traffic generated over the link)', async () => {
    const first = rec.samples.length - 1;
    await rec.sample(first);
    const before = await eth0();
    // ~24 MB down to PanelDeck and ~16 MB up to the server, over the SSH connection on eth0.
    await manager.exec(target('srv'), ['head', '-c', '24000000', '/dev/zero'], { maxOutputBytes: 1024 });
    await manager.exec(target('srv'), ['sh', '-c', 'cat >/dev/null'], { stdin: Buffer.alloc(16_000_000) });
    const after = await eth0();
    // The first sample to arrive now may have been taken before `after` was read (in flight); the next one was not.
    const last = rec.samples.length + 1;
    await rec.sample(last);
    let rx = 0;
    let tx = 0;
    for (const s of rec.samples.slice(first + 1, last + 1)) {
      expect(s.intervalMs).not.toBeNull();
      rx += ((s.netRxBps ?? 0) * (s.intervalMs ?? 0)) / 1000;
      tx += ((s.netTxBps ?? 0) * (s.intervalMs ?? 0)) / 1000;
    }
    expect(after.tx - before.tx).toBeGreaterThan(24_000_000);
    expect(after.rx - before.rx).toBeGreaterThan(16_000_000);
    within1pct(rx, after.rx - before.rx, 'received');
    within1pct(tx, after.tx - before.tx, 'sent');
  });

  it('a remote loop that dies is restarted (degraded, then up on a new loop)', async () => {
    const old = loopPids();
    const from = rec.states.length;
    // (a fork seen by the scan may be gone by now: kill's status is not the point)
    await server.exec(['kill', '-KILL', ...old.map(String)]);
    const degraded = await rec.state(from, (s) => s.state === 'degraded');
    expect(degraded.error?.message).toMatch(/metrics loop on the server ended/);
    await rec.state(from, (s) => s.state === 'up');
    const fresh = loopRoots();
    expect(fresh).toHaveLength(1);
    expect(fresh.some((p) => old.includes(p))).toBe(false);
  });

  it('a dropped connection makes the server unreachable, then it is reconnected', async () => {
    const from = rec.states.length;
    const sessions = server.procScan().filter((p) => p.cmdline.startsWith('sshd: root'));
    expect(sessions.length).toBeGreaterThan(0);
    await server.execOk(['kill', '-KILL', ...sessions.map((p) => String(p.pid))]);
    const lost = await rec.state(from, (s) => s.state === 'unreachable');
    expect(lost.error?.code).toBe('CONNECTION_FAILED');
    expect(lost.retryAt).toBeGreaterThanOrEqual(lost.at);
    await rec.state(from, (s) => s.state === 'up');
    const n = rec.samples.length;
    await rec.sample(n);
  });

  it('a stalled loop makes the server degraded, then its channel is abandoned for a new loop', async () => {
    credentials.secrets.set('stall', { privateKey: server.rootKey });
    const stallRec = new Recorder();
    const stall = collector(stallRec, { watchdog: { lateMs: 2_500, deadMs: 5_000 } });
    await stall.start('stall');
    await stallRec.sample(0);
    const others = loopRoots();
    const pids = loopPids();
    const from = stallRec.states.length;
    await server.exec(['kill', '-STOP', ...pids.map(String)]);
    try {
      const late = await stallRec.state(from, (s) => s.state === 'degraded');
      expect(late.error).toEqual({ code: 'TIMEOUT', message: 'The server sends its metrics late.' });
      const dead = await stallRec.state(from, (s) => s.error?.message.includes('stopped answering') === true);
      expect(dead.state).toBe('degraded');
      await stallRec.state(from, (s) => s.state === 'up');
      // A new loop runs beside the stopped one.
      expect(loopRoots().filter((p) => !others.includes(p))).toHaveLength(1);
    } finally {
      await server.exec(['kill', '-CONT', ...pids.map(String)]);
    }
    await stall.stop('stall');
  }, 30_000);

  it('stop ends the remote loop: nothing of it is left on the server', async () => {
    await rec.sample(rec.samples.length);
    expect(loopPids().length).toBeGreaterThan(0);
    await c.stop('srv');
    expect(c.state('srv')).toBeUndefined();
    expect(loopPids()).toEqual([]);
    // Nor its pending `sleep 1` (the interval; the server's own init sleeps 3600).
    expect(server.procScan().filter((p) => p.cmdline === 'sleep 1')).toEqual([]);
  });

  it('stop ends a loop in the middle of a long sleep at once (it does not wait for its next write to fail)', async () => {
    credentials.secrets.set('slow', { privateKey: server.rootKey });
    const slowRec = new Recorder();
    const slow = collector(slowRec, { intervalMs: 120_000 });
    await slow.start('slow');
    await slowRec.sample(0);
    // The first snapshot is out; wait (round by round of the process sampler) until the loop sleeps.
    const sampler = await server.startProcSampler();
    try {
      while (!server.procScan().some((p) => p.cmdline === 'sleep 120')) await sampler.sync();
    } finally {
      await sampler.stop();
    }
    await slow.stop('slow');
    expect(loopPids()).toEqual([]);
    expect(server.procScan().filter((p) => p.cmdline === 'sleep 120')).toEqual([]);
  });
});

describe('server states and backoff (issue 11: unreachable, auth failed)', () => {
  it('unreachable: exponential backoff from the base, capped (jitter fixed at ×1)', async () => {
    const rec = new Recorder();
    const c = collector(rec, {
      target: (id) => target(id, { port: 2 }),
      backoff: { baseMs: 100, maxMs: 350 },
      random: () => 0.5,
    });
    await c.start('closed-port');
    await rec.until(() => (rec.states.filter((s) => s.state === 'unreachable').length >= 4 ? true : undefined));
    await c.stop('closed-port');
    const fails = rec.states.filter((s) => s.state === 'unreachable').slice(0, 4);
    expect(fails.map((s) => (s.retryAt ?? 0) - s.at)).toEqual([100, 200, 350, 350]);
    expect(fails[0]?.error?.code).toBe('CONNECTION_FAILED');
    expect(rec.samples).toEqual([]);
  });

  it('auth failed: a refused login waits the backoff cap before it tries again', async () => {
    credentials.secrets.set('bad-pass', { password: 'not-the-password' });
    const rec = new Recorder();
    const c = collector(rec, {
      target: (id) => target(id, { user: server.testerUser, auth: 'password' }),
      backoff: { baseMs: 100, maxMs: 60_000 },
      random: () => 0.5,
    });
    await c.start('bad-pass');
    const failed = await rec.state(0, (s) => s.state === 'auth_failed');
    expect(c.state('bad-pass')).toBe('auth_failed');
    await c.stop('bad-pass');
    expect(failed.error?.code).toBe('AUTH_FAILED');
    expect((failed.retryAt ?? 0) - failed.at).toBe(60_000);
    expect(JSON.stringify(rec.states)).not.toContain('not-the-password');
  });
});

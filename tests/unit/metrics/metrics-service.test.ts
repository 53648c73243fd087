import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/main/alerts/alert-engine';
import { Logger, memorySink } from '../../../src/main/core/logger';
import type { MetricsSample, MetricsStateChange } from '../../../src/main/metrics/metrics.types';
import { MetricsService, type CollectorLike } from '../../../src/main/metrics/metrics.service';
import { migrateHistory } from '../../../src/main/storage/history/migrations';
import { ManualClock } from '../../../src/main/vault/clock';
import type { LiveSample, ServerCollectState } from '../../../src/shared/contract/metrics.contract';
import { AppError } from '../../../src/shared/errors';

/*
 * The metrics service with a scripted collector standing in for the SSH loops (a stand-in: the real collector is
 * covered against a real server in tests/integration/metrics-collector.test.ts, and the whole module in
 * tests/integration/metrics.test.ts). history.db is a real, migrated SQLite database in memory.
 */

/** A collector that records what it is asked and lets the test deliver samples and states. */
class ScriptedCollector implements CollectorLike {
  readonly running = new Map<string, number>();
  readonly calls: string[] = [];
  constructor(readonly cb: { onSample: (s: MetricsSample) => void; onState: (c: MetricsStateChange) => void }) {}
  start(id: string, opts: { intervalMs: number }): Promise<void> {
    if (this.running.get(id) === opts.intervalMs) return Promise.resolve();
    this.calls.push(`start ${id} ${opts.intervalMs}`);
    this.running.set(id, opts.intervalMs);
    this.cb.onState({ serverId: id, state: 'connecting', at: 0 });
    return Promise.resolve();
  }
  stop(id: string): Promise<void> {
    if (this.running.delete(id)) this.calls.push(`stop ${id}`);
    return Promise.resolve();
  }
  async stopAll(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }
}

function sample(serverId: string, at: number, over: Partial<MetricsSample> = {}): MetricsSample {
  return {
    serverId,
    at,
    intervalMs: 5000,
    cpuBp: 2550,
    cpuUserBp: 2000,
    cpuSystemBp: 550,
    cpuIowaitBp: 0,
    cpuStealBp: 0,
    cpuGuestBp: 0,
    cpuCoresBp: [2000, 3100],
    memTotalBytes: 8 * 1024 ** 3,
    memAvailableBytes: 6 * 1024 ** 3,
    memUsedBytes: 2 * 1024 ** 3,
    swapTotalBytes: 1024 ** 3,
    swapUsedBytes: 0,
    load1: 157,
    load5: 100,
    load15: 50,
    diskReadBps: 1000,
    diskWriteBps: 2000,
    netRxBps: 300,
    netTxBps: 400,
    uptimeSec: 1000,
    processes: 120,
    filesystems: [
      {
        mount: '/',
        source: '/dev/vda1',
        sizeBytes: 50 * 1024 ** 3,
        usedBytes: 20 * 1024 ** 3,
        availBytes: 30 * 1024 ** 3,
      },
      {
        mount: '/var',
        source: '/dev/vdb1',
        sizeBytes: 10 * 1024 ** 3,
        usedBytes: 1024 ** 3,
        availBytes: 9 * 1024 ** 3,
      },
    ],
    ...over,
  };
}

interface Rig {
  svc: MetricsService;
  db: Database.Database;
  clock: ManualClock;
  collector: () => ScriptedCollector;
  meta: Map<string, string>;
  servers: string[];
  vault: { unlocked: boolean };
  samples: LiveSample[];
  states: ServerCollectState[];
  observed: Observation[][];
}

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function rig(servers = ['a', 'b']): Rig {
  const db = new Database(':memory:');
  open.push(db);
  migrateHistory(db);
  const clock = new ManualClock(1_700_000_000_000);
  const meta = new Map<string, string>();
  const vault = { unlocked: true };
  const samples: LiveSample[] = [];
  const states: ServerCollectState[] = [];
  const observed: Observation[][] = [];
  let collector: ScriptedCollector | undefined;
  const list = [...servers];
  const svc = new MetricsService({
    db,
    meta: { getMeta: (k) => meta.get(k) ?? null, setMeta: (k, v) => void meta.set(k, v) },
    collector: (cb) => (collector = new ScriptedCollector(cb)),
    serverIds: () => {
      if (!vault.unlocked) throw new AppError('VAULT_LOCKED', 'locked');
      return [...list];
    },
    unlocked: () => vault.unlocked,
    emitSample: (s) => samples.push(s),
    emitState: (s) => states.push(s),
    observe: (o) => observed.push([...o]),
    clock,
    logger: new Logger({ sink: memorySink().sink }),
  });
  return { svc, db, clock, collector: () => collector!, meta, servers: list, vault, samples, states, observed };
}

const rawRows = (db: Database.Database): { ts: number; n: number }[] =>
  db.prepare('SELECT ts, count(*) AS n FROM metrics_raw GROUP BY ts ORDER BY ts').all() as { ts: number; n: number }[];

describe('MetricsService settings', () => {
  it('defaults: off, 5 s, raw 48 h / 1-minute 30 days / 1-hour 730 days; nothing collected', async () => {
    const r = rig();
    expect(r.svc.settings()).toEqual({ enabled: false, intervalSec: 5, rawHours: 48, minuteDays: 30, hourDays: 730 });
    await r.svc.sync();
    expect(r.collector().calls).toEqual([]);
    expect(r.svc.states().map((s) => s.state)).toEqual(['off', 'off']);
  });

  it('keeps on/off and the interval in meta and the retention in the store (read back by a new service)', async () => {
    const r = rig();
    await r.svc.setSettings({ intervalSec: 10, rawHours: 24, minuteDays: 7, hourDays: 365 });
    expect(r.meta.get('metrics.intervalSec')).toBe('10');
    const again = new MetricsService({
      db: r.db,
      meta: { getMeta: (k) => r.meta.get(k) ?? null, setMeta: () => undefined },
      collector: (cb) => new ScriptedCollector(cb),
      serverIds: () => [],
      unlocked: () => true,
      emitSample: () => undefined,
      emitState: () => undefined,
      clock: r.clock,
      logger: new Logger({ sink: memorySink().sink }),
    });
    expect(again.settings()).toEqual({ enabled: false, intervalSec: 10, rawHours: 24, minuteDays: 7, hourDays: 365 });
  });
});

describe('MetricsService collection', () => {
  it('enabled: every server starts at the interval; a new interval restarts them; disabled stops them (off)', async () => {
    const r = rig();
    await r.svc.setSettings({ enabled: true });
    expect(r.collector().calls).toEqual(['start a 5000', 'start b 5000']);
    await r.svc.setSettings({ intervalSec: 2 });
    expect(r.collector().calls.slice(2)).toEqual(['start a 2000', 'start b 2000']);
    await r.svc.setSettings({ enabled: false });
    expect([...r.collector().running.keys()]).toEqual([]);
    expect(r.states.filter((s) => s.state === 'off').map((s) => s.serverId)).toEqual(['a', 'b']);
  });

  it('follows the inventory and the vault: a new server starts, a removed one stops, a lock stops all', async () => {
    const r = rig(['a']);
    await r.svc.setSettings({ enabled: true });
    r.servers.push('b');
    await r.svc.sync();
    expect([...r.collector().running.keys()]).toEqual(['a', 'b']);
    await r.svc.sync(['a']); // a's address changed: its loop restarts
    expect(r.collector().calls.slice(-2)).toEqual(['stop a', 'start a 5000']);
    r.vault.unlocked = false;
    await r.svc.sync();
    expect([...r.collector().running.keys()]).toEqual([]);
    r.vault.unlocked = true;
    await r.svc.sync();
    expect([...r.collector().running.keys()]).toEqual(['a', 'b']);
  });

  it('a removed server stops and its history is deleted', async () => {
    const r = rig();
    await r.svc.setSettings({ enabled: true });
    r.collector().cb.onSample(sample('a', r.clock.now()));
    r.collector().cb.onSample(sample('b', r.clock.now()));
    r.clock.advance(5000);
    expect(rawRows(r.db)).toHaveLength(1);
    r.servers.splice(0, 1);
    await r.svc.removed('a');
    expect([...r.collector().running.keys()]).toEqual(['b']);
    expect(r.db.prepare('SELECT count(*) AS n FROM metrics_raw').get()).toEqual({ n: 1 });
  });

  it('samples that arrive within one interval are one tick (one transaction) for the whole fleet', async () => {
    const r = rig(['a', 'b', 'c']);
    await r.svc.setSettings({ enabled: true });
    const cb = r.collector().cb;
    cb.onSample(sample('a', r.clock.now()));
    r.clock.advance(1200);
    cb.onSample(sample('b', r.clock.now()));
    r.clock.advance(1200);
    cb.onSample(sample('c', r.clock.now()));
    expect(rawRows(r.db)).toEqual([]);
    r.clock.advance(5000);
    expect(rawRows(r.db)).toEqual([{ ts: Math.floor((1_700_000_000_000 + 2400) / 1000), n: 3 }]);
  });

  it('a server seen twice in one batch closes it early; ticks never share a second', async () => {
    const r = rig(['a', 'b']);
    await r.svc.setSettings({ enabled: true, intervalSec: 1 });
    const cb = r.collector().cb;
    cb.onSample(sample('a', r.clock.now()));
    cb.onSample(sample('b', r.clock.now()));
    r.clock.advance(100);
    cb.onSample(sample('a', r.clock.now()));
    r.clock.advance(1000);
    const rows = rawRows(r.db);
    expect(rows.map((x) => x.n)).toEqual([2, 1]);
    expect(rows[1]!.ts).toBeGreaterThan(rows[0]!.ts);
  });

  it('maps a sample to the stored row: CPU %, load, root filesystem; the first sample (no rates) is not stored', async () => {
    const r = rig(['a']);
    await r.svc.setSettings({ enabled: true });
    const cb = r.collector().cb;
    cb.onSample(sample('a', r.clock.now(), { cpuBp: null, cpuCoresBp: null, diskReadBps: null, netRxBps: null }));
    r.clock.advance(5000);
    expect(rawRows(r.db)).toEqual([]);
    // ...but it went out live (CPU unknown) and to the alerts.
    expect(r.samples[0]?.values['cpuBusyPct']).toBeNull();
    expect(r.observed.at(-1)?.find((o) => o.metric === 'memory')?.value).toBe(25);
    cb.onSample(sample('a', r.clock.now()));
    r.clock.advance(5000);
    const now = r.clock.now();
    const s = r.svc.series({
      serverId: 'a',
      metrics: ['cpuBusyPct', 'load1', 'rootFsUsedBytes', 'rootFsSizeBytes', 'memUsedBytes'],
      from: now - 60_000,
      to: now + 1000,
      maxPoints: 1000,
    });
    expect(s.t).toHaveLength(1);
    expect(s.values['cpuBusyPct']?.avg).toEqual([25.5]);
    expect(s.values['load1']?.avg).toEqual([1.57]);
    expect(s.values['rootFsUsedBytes']?.avg).toEqual([20 * 1024 ** 3]);
    expect(s.values['rootFsSizeBytes']?.avg).toEqual([50 * 1024 ** 3]);
    expect(s.values['memUsedBytes']?.avg).toEqual([2 * 1024 ** 3]);
  });

  it('live: the newest sample with per-core CPU and every filesystem; gone once collection stops', async () => {
    const r = rig(['a']);
    await r.svc.setSettings({ enabled: true });
    r.collector().cb.onSample(sample('a', r.clock.now()));
    expect(r.svc.live('a')).toMatchObject({
      serverId: 'a',
      cores: [20, 31],
      filesystems: [
        { mount: '/', sizeBytes: 50 * 1024 ** 3, usedBytes: 20 * 1024 ** 3 },
        { mount: '/var', sizeBytes: 10 * 1024 ** 3, usedBytes: 1024 ** 3 },
      ],
    });
    await r.svc.setSettings({ enabled: false });
    expect(r.svc.live('a')).toBeNull();
  });

  it('a row the store refuses is dropped, the rest of the tick is written', async () => {
    const r = rig(['a', 'b']);
    await r.svc.setSettings({ enabled: true });
    r.collector().cb.onSample(sample('a', r.clock.now(), { memUsedBytes: 2 ** 60 }));
    r.collector().cb.onSample(sample('b', r.clock.now()));
    r.clock.advance(5000);
    expect(rawRows(r.db)).toEqual([{ ts: 1_700_000_000, n: 1 }]);
    expect(r.db.prepare('SELECT server_id FROM metric_servers').all()).toEqual([{ server_id: 'b' }]);
  });

  it('states go out as events and to the unreachable rules; fleet has state, latest figures and sparklines', async () => {
    const r = rig(['a', 'b']);
    await r.svc.setSettings({ enabled: true });
    const cb = r.collector().cb;
    cb.onState({ serverId: 'a', state: 'up', at: r.clock.now() });
    cb.onState({
      serverId: 'b',
      state: 'unreachable',
      at: r.clock.now(),
      error: { code: 'CONNECTION_FAILED', message: 'refused' },
      retryAt: r.clock.now() + 1000,
    });
    expect(r.states.at(-1)).toEqual({
      serverId: 'b',
      state: 'unreachable',
      at: r.clock.now(),
      error: { code: 'CONNECTION_FAILED', message: 'refused' },
      retryAt: r.clock.now() + 1000,
    });
    expect(r.observed.slice(-2)).toEqual([
      [{ serverId: 'a', metric: 'unreachable', subject: 'unreachable', value: 0 }],
      [{ serverId: 'b', metric: 'unreachable', subject: 'unreachable', value: 1 }],
    ]);
    cb.onSample(sample('a', r.clock.now()));
    r.clock.advance(5000);
    const fleet = r.svc.fleet(30);
    expect(fleet.map((f) => [f.serverId, f.state])).toEqual([
      ['a', 'up'],
      ['b', 'unreachable'],
    ]);
    expect(fleet[0]?.values?.['cpuBusyPct']).toBe(25.5);
    expect(fleet[0]?.spark.cpu).toEqual([25.5]);
    expect(fleet[0]?.spark.mem).toEqual([25]);
    expect(fleet[1]).toMatchObject({ at: null, values: null, spark: { t: [], cpu: [], mem: [] } });
  });

  it('close stops every loop and writes the pending batch', async () => {
    const r = rig(['a']);
    await r.svc.setSettings({ enabled: true });
    r.collector().cb.onSample(sample('a', r.clock.now()));
    await r.svc.close();
    expect([...r.collector().running.keys()]).toEqual([]);
    expect(rawRows(r.db)).toHaveLength(1);
  });
});

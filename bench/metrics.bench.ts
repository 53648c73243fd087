import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BenchFigure } from './run';
import { HistoryDb } from '../src/main/storage/history/history-db';
import { MetricsStore } from '../src/main/storage/history/metrics-store';
import type { MetricName, MetricsRow, MetricsTick } from '../src/main/storage/history/metrics-schema';
import { keySealer } from '../src/main/storage/sealer';
import { newKey } from '../src/main/vault/crypto';

const SERVERS = 200;
const STEP_MS = 5000;
const DAY_MS = 86_400_000;
/** `METRICS_BENCH_DAYS=1 npm run bench -- metrics` for a quick run; the figure the issue asks for is 7. */
const DAYS = Number(process.env.METRICS_BENCH_DAYS ?? 7);
/** The chart server also has the 23 days before the fleet's 7, so the 30-day chart reads 30 days of data. */
const LONG_DAYS = 30;
/** Ticks per writeTicks call (10 minutes of the fleet) and per maintain() (rollup + prune) call. */
const BATCH = 120;
const CHART: readonly MetricName[] = ['cpuBusyPct', 'memUsedBytes', 'netRxBps', 'netTxBps'];
const DASHBOARD: readonly MetricName[] = [
  'cpuBusyPct',
  'memUsedBytes',
  'swapUsedBytes',
  'load1',
  'load5',
  'load15',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
  'rootFsUsedBytes',
];

/** A server's figures as a random walk: plausible, cheap to make, with spikes now and then. */
class Walker {
  cpu = Math.random() * 40;
  mem = 2e9 + Math.random() * 4e9;
  load = Math.random() * 2;
  fs = 2e10 + Math.random() * 1e10;

  next(serverId: string): MetricsRow {
    this.cpu = Math.min(100, Math.max(0, this.cpu + (Math.random() - 0.5) * 6 + (Math.random() < 0.002 ? 60 : 0)));
    this.mem = Math.min(7.9e9, Math.max(5e8, this.mem + (Math.random() - 0.5) * 5e7));
    this.load = Math.max(0, this.load + (Math.random() - 0.5) * 0.2);
    this.fs += Math.random() * 1e4;
    return {
      serverId,
      cpuBusyPct: this.cpu,
      memUsedBytes: this.mem,
      memTotalBytes: 8e9,
      swapUsedBytes: 1e8,
      swapTotalBytes: 2e9,
      load1: this.load,
      load5: this.load * 0.9,
      load15: this.load * 0.8,
      diskReadBps: Math.floor(Math.random() * 2e6),
      diskWriteBps: Math.floor(Math.random() * 4e6),
      netRxBps: Math.floor(Math.random() * 1e7),
      netTxBps: Math.floor(Math.random() * 2e6),
      processes: 150 + Math.floor(Math.random() * 50),
      rootFsUsedBytes: this.fs,
      rootFsSizeBytes: 1e11,
    };
  }
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}

/** CPU time of this process (user + system), ms: on a shared, loaded machine it shows what wall time hides. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

interface Timing {
  readonly first: number;
  readonly median: number;
  readonly p95: number;
  readonly cpu: number;
}

function sample(fn: () => unknown): Sample {
  const c0 = cpuMs();
  const t0 = performance.now();
  fn();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

function summary(xs: readonly Sample[]): Timing {
  return { first: xs[0]!.wall, ...stats(xs.map((x) => x.wall)), cpu: stats(xs.map((x) => x.cpu)).median };
}

function timeIt(runs: number, fn: () => unknown): Timing {
  return summary(Array.from({ length: runs }, () => sample(fn)));
}

function fileSize(file: string): number {
  return ['', '-wal', '-shm'].reduce((n, ext) => n + (fs.existsSync(file + ext) ? fs.statSync(file + ext).size : 0), 0);
}

/**
 * Metrics storage in history.db (issue 11): the fleet's history written through MetricsStore.writeTicks (the
 * same checks and insert path as writeTick, ten minutes of the fleet per transaction), with rollups and
 * pruning run after every batch as the collector would; then the size on disk and the chart queries.
 */
export function runMetricsBench(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-metrics-'));
  const key = newKey();
  const file = HistoryDb.fileIn(dir);
  const history = HistoryDb.open(
    file,
    keySealer(
      () => Buffer.from(key),
      () => true,
    ),
  );
  try {
    const store = new MetricsStore(history.db, { rawStepMs: STEP_MS });
    const servers = Array.from({ length: SERVERS }, () => randomUUID());
    const walkers = servers.map(() => new Walker());
    const chart = servers[0]!;
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const fleetStart = end - DAYS * DAY_MS;
    let writeMs = 0;
    let maintainMs = 0;
    let rolledRaw = 0;
    let rows = 0;

    const run = (from: number, to: number, ids: readonly string[]) => {
      for (let t = from; t < to;) {
        const ticks: MetricsTick[] = [];
        for (let i = 0; i < BATCH && t < to; i++, t += STEP_MS) {
          ticks.push({ ts: t, rows: ids.map((id, k) => walkers[k]!.next(id)) });
        }
        const t0 = performance.now();
        store.writeTicks(ticks);
        const t1 = performance.now();
        const before = store.tiers[1]!.watermark;
        store.maintain(t);
        const t2 = performance.now();
        writeMs += t1 - t0;
        maintainMs += t2 - t1;
        rows += ticks.length * ids.length;
        rolledRaw += (((store.tiers[1]!.watermark ?? 0) - (before ?? 0)) / (STEP_MS / 1000)) * ids.length;
      }
    };

    // 23 days of the chart server alone (not counted in the fleet figures), then 7 days of the whole fleet.
    run(end - LONG_DAYS * DAY_MS, fleetStart, [chart]);
    writeMs = maintainMs = rolledRaw = rows = 0;
    const c0 = cpuMs();
    const t0 = performance.now();
    run(fleetStart, end, servers);
    const fill = performance.now() - t0;
    const fillCpu = cpuMs() - c0;
    history.db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = history.db.pragma('page_size', { simple: true }) as number;
    const free = (history.db.pragma('freelist_count', { simple: true }) as number) * pageSize;
    const size = fileSize(file);
    const counts = ['metrics_raw', 'metrics_1m', 'metrics_1h'].map(
      (t) => (history.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    );

    // Steady state, as after each tick in the app: one tick of the whole fleet, then the rollup of the minute
    // it closes (20 minutes, each measured at its last tick).
    const tick: Sample[] = [];
    const minute: Sample[] = [];
    for (let m = 0; m < 20; m++) {
      const ticks: MetricsTick[] = [];
      for (let i = 0; i < 12; i++) {
        ticks.push({ ts: end + (m * 12 + i) * STEP_MS, rows: servers.map((id, k) => walkers[k]!.next(id)) });
      }
      store.writeTicks(ticks.slice(0, 11));
      store.rollup();
      tick.push(sample(() => store.writeTick(ticks[11]!.ts, ticks[11]!.rows)));
      store.writeTick(ticks[11]!.ts + STEP_MS, [walkers[0]!.next(servers[0]!)]);
      minute.push(sample(() => store.rollup()));
    }
    const steadyTick = summary(tick);
    const steadyMinute = summary(minute);

    const now = end + 20 * 60_000;
    const week = timeIt(30, () => store.series(chart, CHART, now - 7 * DAY_MS, now));
    const weekAll = timeIt(30, () => store.series(chart, DASHBOARD, now - 7 * DAY_MS, now));
    const month = timeIt(30, () => store.series(chart, CHART, now - 30 * DAY_MS, now));
    const monthAll = timeIt(30, () => store.series(chart, DASHBOARD, now - 30 * DAY_MS, now));
    const day = timeIt(30, () => store.series(chart, CHART, now - DAY_MS, now));
    const hour = timeIt(30, () => store.series(chart, CHART, now - 3_600_000, now));
    const fleet = timeIt(10, () => store.latest(servers));
    const w = store.series(chart, CHART, now - 7 * DAY_MS, now);
    const m = store.series(chart, CHART, now - 30 * DAY_MS, now);

    const r = (x: number) => Math.round(x * 100) / 100;
    const MB = 1024 * 1024;
    const side = (t: Timing, goal: number) =>
      `<= ${goal} ms: ${t.median <= goal ? 'met' : 'MISSED'} (p95 ${r(t.p95)}, cpu ${r(t.cpu)} ms)`;
    return Promise.resolve([
      {
        name: `fill: ${DAYS} d x ${SERVERS} servers at 5 s (${rows} rows)`,
        value: fill / 1000,
        unit: 's',
        goal: `info (cpu ${Math.round(fillCpu / 1000)} s)`,
      },
      { name: '  writeTicks (validate + insert)', value: rows / (writeMs / 1000), unit: 'rows/s', goal: 'info' },
      {
        name: '  maintain (rollup + prune) share of the fill',
        value: (100 * maintainMs) / fill,
        unit: '%',
        goal: 'info',
      },
      {
        name: 'rollup + prune throughput (raw rows rolled)',
        value: rolledRaw / (maintainMs / 1000),
        unit: 'rows/s',
        goal: 'info',
      },
      { name: 'history.db on disk (checkpointed)', value: size / MB, unit: 'MiB', goal: 'info' },
      { name: '  of which free pages (reused by later writes)', value: free / MB, unit: 'MiB', goal: 'info' },
      {
        name: `  rows raw (48 h kept) / 1m / 1h`,
        value: counts[0]!,
        unit: 'rows',
        goal: `info (${counts[1]} / ${counts[2]})`,
      },
      { name: '  bytes per raw sample written (file / rows)', value: size / rows, unit: 'B', goal: 'info' },
      {
        name: `steady state: one tick of ${SERVERS} servers (writeTick)`,
        value: r(steadyTick.median),
        unit: 'ms',
        goal: `info (p95 ${r(steadyTick.p95)}, cpu ${r(steadyTick.cpu)} ms)`,
      },
      {
        name: `steady state: rollup of one closed minute, ${SERVERS} servers`,
        value: r(steadyMinute.median),
        unit: 'ms',
        goal: `info (p95 ${r(steadyMinute.p95)}, cpu ${r(steadyMinute.cpu)} ms)`,
      },
      { name: '7-day chart, 1 server, 4 metrics', value: r(week.median), unit: 'ms', goal: side(week, 50) },
      {
        name: `  (tier ${w.tier}, ${w.t.length} points, first call ${r(week.first)} ms)`,
        value: w.t.length,
        unit: 'pts',
        goal: '<= 1000',
      },
      {
        name: '7-day chart, 1 server, 11 metrics (dashboard)',
        value: r(weekAll.median),
        unit: 'ms',
        goal: side(weekAll, 50),
      },
      { name: '30-day chart, 1 server, 4 metrics', value: r(month.median), unit: 'ms', goal: side(month, 100) },
      {
        name: `  (tier ${m.tier}, ${m.t.length} points, first call ${r(month.first)} ms)`,
        value: m.t.length,
        unit: 'pts',
        goal: '<= 1000',
      },
      {
        name: '30-day chart, 1 server, 11 metrics (dashboard)',
        value: r(monthAll.median),
        unit: 'ms',
        goal: side(monthAll, 100),
      },
      {
        name: '24-hour chart, 1 server, 4 metrics',
        value: r(day.median),
        unit: 'ms',
        goal: `info (cpu ${r(day.cpu)} ms)`,
      },
      {
        name: '1-hour chart, 1 server, 4 metrics (raw)',
        value: r(hour.median),
        unit: 'ms',
        goal: `info (cpu ${r(hour.cpu)} ms)`,
      },
      {
        name: `fleet overview: latest + CPU sparkline, ${SERVERS} servers`,
        value: r(fleet.median),
        unit: 'ms',
        goal: `info (cpu ${r(fleet.cpu)} ms)`,
      },
    ]);
  } finally {
    history.close();
    key.fill(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

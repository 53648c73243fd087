import { describe, expect, test } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { openStore, prng, row } from './metrics-fixtures';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 9, 1, 0, 0, 3);

/** Writes `days` of 5-second ticks for `ids`, with CPU spikes at `spikes` (epoch ms), rolled up as it goes. */
function fill(store: ReturnType<typeof openStore>['store'], ids: string[], days: number, spikes: number[] = []) {
  const rand = prng(9);
  const end = T0 + days * D;
  for (let t = T0; t < end;) {
    const ticks = [];
    for (let i = 0; i < 720 && t < end; i++, t += 5000) {
      const rows = ids.map((id) => row(id, rand));
      for (const r of rows) r.cpuBusyPct = spikes.includes(t) ? 99.5 : 10 + ((t / 5000) % 7);
      ticks.push({ ts: t, rows });
    }
    store.writeTicks(ticks);
    store.rollup();
  }
  return end;
}

describe('metrics queries', () => {
  test('each range reads the tier its length calls for, and ends at the newest tick', () => {
    const { store } = openStore();
    const end = fill(store, ['a'], 3);
    const last = end - 5000;
    const pick = (ms: number) => store.series('a', ['cpuBusyPct'], end - ms, end);
    expect(pick(15 * 60_000).tier).toBe('raw');
    expect(pick(H).tier).toBe('raw');
    expect(pick(H).t.length).toBe(720);
    expect(pick(H).stepMs).toBe(5000);
    expect(pick(D).tier).toBe('1m');
    expect(pick(7 * D).tier).toBe('1m');
    expect(pick(30 * D).tier).toBe('1h');
    expect(pick(365 * D).tier).toBe('1h');
    // The 1h tier has not rolled the last (open) hour: the finer tiers fill it in, up to the newest tick.
    for (const range of [D, 7 * D, 30 * D]) {
      const s = pick(range);
      expect(s.t.at(-1)!).toBeLessThanOrEqual(last);
      expect(s.t.at(-1)! + s.stepMs).toBeGreaterThan(last);
    }
  });

  test('a range whose finer tier was pruned reads the next coarser one', () => {
    const { store } = openStore();
    const end = fill(store, ['a'], 3);
    store.setRetention({ rawHours: 24 });
    store.prune(end);
    const oldHour = store.series('a', ['cpuBusyPct'], end - 2 * D, end - 2 * D + H);
    expect(oldHour.tier).toBe('1m');
    expect(oldHour.t.length).toBe(60);
    expect(store.series('a', ['cpuBusyPct'], end - 2 * H, end - H).tier).toBe('raw');
  });

  test('downsampling bounds the points and keeps the spikes, the min and the sample-weighted average', () => {
    const { store } = openStore();
    const spike = T0 + 26 * H + 3 * 60_000 + 35_000;
    const end = fill(store, ['a'], 3, [spike]);
    for (const [from, to, max] of [
      [T0, end, 1000],
      [T0, end, 37],
      [end - 3 * H, end, 100],
      [T0 + 20 * H, T0 + 40 * H, 250],
      [end - 6 * D, end, 1000],
    ] as const) {
      const s = store.series('a', ['cpuBusyPct', 'netRxBps'], from, to, max);
      const raw = store.series('a', ['cpuBusyPct'], from, to, 10_000);
      expect(s.t.length).toBeGreaterThan(0);
      expect(s.t.length).toBeLessThanOrEqual(max);
      const cpu = s.values.cpuBusyPct!;
      expect(Math.max(...cpu.max)).toBe(Math.max(...raw.values.cpuBusyPct!.max));
      expect(Math.min(...cpu.min)).toBe(Math.min(...raw.values.cpuBusyPct!.min));
      if (spike >= from && spike < to) expect(Math.max(...cpu.max)).toBe(99.5);
      cpu.avg.forEach((a, i) => {
        expect(a).toBeGreaterThanOrEqual(cpu.min[i]! - 1e-9);
        expect(a).toBeLessThanOrEqual(cpu.max[i]! + 1e-9);
      });
      // Times strictly increase, one point per bucket.
      for (let i = 1; i < s.t.length; i++) expect(s.t[i]!).toBeGreaterThan(s.t[i - 1]!);
    }
    // Against a brute force over raw rows: one hour at 12 points (5-minute buckets, 60 samples each).
    const from = T0 - 3000 + 30 * H; // on the hour
    const fine = store.series('a', ['cpuBusyPct'], from, from + H, 1000);
    const coarse = store.series('a', ['cpuBusyPct'], from, from + H, 13);
    expect(coarse.stepMs).toBe(300_000);
    expect(coarse.t).toHaveLength(12);
    coarse.t.forEach((t0, i) => {
      const inside = fine.t
        .map((t, j) => [t, fine.values.cpuBusyPct!.avg[j]!] as const)
        .filter(([t]) => t >= t0 && t < t0 + 300_000);
      expect(inside).toHaveLength(60);
      const avg = inside.reduce((n, [, v]) => n + v, 0) / inside.length;
      expect(coarse.values.cpuBusyPct!.avg[i]).toBeCloseTo(avg, 9);
      expect(coarse.values.cpuBusyPct!.max[i]).toBe(Math.max(...inside.map(([, v]) => v)));
    });
  });

  test('values come back in natural units (the scaling is undone)', () => {
    const { store } = openStore();
    const r = { ...row('a', prng(1)), cpuBusyPct: 42.42, memUsedBytes: 3 * 1024 ** 3, load1: 1.37, netRxBps: 123_456 };
    store.writeTick(T0, [r]);
    const s = store.series('a', ['cpuBusyPct', 'memUsedBytes', 'load1', 'netRxBps'], T0 - 1000, T0 + 1000);
    expect(s.t).toEqual([T0]);
    expect(s.values.cpuBusyPct!.avg[0]).toBeCloseTo(42.42, 9);
    expect(s.values.memUsedBytes!.avg[0]).toBe(3 * 1024 ** 3);
    expect(s.values.load1!.avg[0]).toBeCloseTo(1.37, 9);
    expect(s.values.netRxBps!.max[0]).toBe(123_456);
  });

  test('latest gives every server its newest values and a sparkline; an unknown server gives nulls', () => {
    const { store } = openStore();
    const end = fill(store, ['a', 'b'], 1);
    const fleet = store.latest(['b', 'nobody', 'a'], { spark: ['cpuBusyPct', 'memUsedBytes'] });
    expect(fleet.map((f) => f.serverId)).toEqual(['b', 'nobody', 'a']);
    expect(fleet[1]).toEqual({ serverId: 'nobody', ts: null, values: null, spark: { t: [], values: {} } });
    const a = fleet[2]!;
    expect(a.ts).toBe(end - 5000);
    expect(a.values!.cpuBusyPct).toBeCloseTo(10 + (((end - 5000) / 5000) % 7), 2);
    expect(a.spark.t.length).toBeGreaterThanOrEqual(30);
    expect(a.spark.t.length).toBeLessThanOrEqual(60);
    expect(a.spark.values.cpuBusyPct).toHaveLength(a.spark.t.length);
    expect(a.spark.values.memUsedBytes).toHaveLength(a.spark.t.length);
    expect(a.spark.t.at(-1)!).toBeGreaterThan(a.ts! - 120_000);
  });

  test('bad query input is a VALIDATION error; an unknown server is an empty series', () => {
    const { store } = openStore();
    store.writeTick(T0, [row('a', prng(2))]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => store.series('a', ['cpuBusyPct'], T0, T0))).toBe('VALIDATION');
    expect(code(() => store.series('a', ['cpuBusyPct'], NaN, T0))).toBe('VALIDATION');
    expect(code(() => store.series('a', ['nope' as 'cpuBusyPct'], T0 - H, T0))).toBe('VALIDATION');
    expect(code(() => store.series('a', [], T0 - H, T0))).toBe('VALIDATION');
    expect(code(() => store.series('a', ['cpuBusyPct'], T0 - H, T0, 1))).toBe('VALIDATION');
    expect(store.series('zz', ['cpuBusyPct'], T0 - H, T0 + H).t).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import type { MetricsRow } from '../../../src/main/storage/history/metrics-schema';
import { AppError } from '../../../src/shared/errors';
import { count, openStore, prng, row } from './metrics-fixtures';

const T0 = Date.UTC(2026, 10, 3, 12, 0, 0);

function rejection(fn: () => void): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('metrics input checks', () => {
  const rand = prng(3);
  const good = () => Array.from({ length: 5 }, (_, i) => row(`srv-${i}`, rand));
  const cases: [string, (rows: MetricsRow[]) => unknown[], string][] = [
    ['NaN', (r) => [...r, { ...row('bad', rand), load5: NaN }], 'load5'],
    ['Infinity', (r) => [...r, { ...row('bad', rand), netRxBps: Infinity }], 'netRxBps'],
    ['a negative rate', (r) => [...r, { ...row('bad', rand), diskWriteBps: -1 }], 'diskWriteBps'],
    ['negative memory', (r) => [{ ...row('bad', rand), memUsedBytes: -4096 }, ...r], 'memUsedBytes'],
    ['CPU over 100 %', (r) => [...r, { ...row('bad', rand), cpuBusyPct: 100.5 }], 'cpuBusyPct'],
    ['a string', (r) => [...r, { ...row('bad', rand), processes: '12' }], 'processes'],
    ['a missing figure', (r) => [...r, { ...row('bad', rand), rootFsSizeBytes: undefined }], 'rootFsSizeBytes'],
    ['an absurd size', (r) => [...r, { ...row('bad', rand), rootFsUsedBytes: 1e30 }], 'rootFsUsedBytes'],
    ['an empty server id', (r) => [...r, { ...row('', rand) }], 'serverId'],
    ['a repeated server', (r) => [...r, r[2]], 'serverId'],
  ];

  for (const [what, make, field] of cases) {
    test(`${what} is a VALIDATION error naming the field, and nothing of the tick is written`, () => {
      const { db, store } = openStore();
      store.writeTick(T0, good());
      const rows = make(good()) as MetricsRow[];
      const err = rejection(() => store.writeTick(T0 + 5000, rows));
      expect(err.code).toBe('VALIDATION');
      expect(err.details?.field).toBe(field);
      expect(count(db, 'metrics_raw')).toBe(5);
      expect(count(db, 'metric_servers')).toBe(5);
      expect(store.tiers[0]!.watermark).toBe(T0 / 1000);
    });
  }

  test('a bad time is a VALIDATION error', () => {
    const { db, store } = openStore();
    for (const ts of [NaN, -1, Infinity, 1e20]) {
      expect(rejection(() => store.writeTick(ts, good())).details).toEqual({ field: 'ts' });
    }
    expect(count(db, 'metrics_raw')).toBe(0);
    expect(store.tiers.map((t) => t.watermark)).toEqual([null, null, null]);
  });

  test('writeTicks is one transaction: a bad row in the last tick leaves the earlier ticks unwritten', () => {
    const { db, store } = openStore();
    const ticks = [0, 1, 2].map((i) => ({ ts: T0 + i * 5000, rows: good() }));
    ticks[2]!.rows[4] = { ...ticks[2]!.rows[4]!, swapUsedBytes: -1 };
    expect(rejection(() => store.writeTicks(ticks)).details).toEqual({ index: 4, field: 'swapUsedBytes' });
    expect(count(db, 'metrics_raw')).toBe(0);
    expect(count(db, 'metric_servers')).toBe(0);
    expect(store.tiers.map((t) => t.watermark)).toEqual([null, null, null]);
  });

  test('values at the edges are accepted: zero everywhere, CPU at exactly 100 %', () => {
    const { db, store } = openStore();
    const zero = Object.fromEntries(Object.keys(row('x', rand)).map((k) => [k, 0])) as unknown as MetricsRow;
    store.writeTick(T0, [
      { ...zero, serverId: 'z' },
      { ...row('full', rand), cpuBusyPct: 100 },
    ]);
    expect(count(db, 'metrics_raw')).toBe(2);
    expect(store.latest(['full'])[0]!.values!.cpuBusyPct).toBe(100);
  });
});

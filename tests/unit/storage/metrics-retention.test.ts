import { describe, expect, test } from 'vitest';
import { MetricsStore } from '../../../src/main/storage/history/metrics-store';
import { AppError } from '../../../src/shared/errors';
import { count, openStore, prng, Reference, rollupTable, row } from './metrics-fixtures';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 8, 1, 5, 17, 20);

/** 30-second ticks for servers a and b over `days`, written and rolled up; returns the reference and the end. */
function fill(store: ReturnType<typeof openStore>['store'], days: number) {
  const rand = prng(4);
  const ref = new Reference();
  const end = T0 + days * D;
  for (let t = T0; t < end;) {
    const ticks = [];
    for (let i = 0; i < 120 && t < end; i++, t += 30_000) ticks.push({ ts: t, rows: [row('a', rand), row('b', rand)] });
    store.writeTicks(ticks);
    for (const tick of ticks) ref.write(tick.ts, tick.rows);
  }
  store.rollup();
  return { ref, end };
}

const times = (db: ReturnType<typeof openStore>['db'], table: string) =>
  (db.prepare(`SELECT ts FROM ${table} ORDER BY ts`).all() as { ts: number }[]).map((r) => r.ts);

describe('metrics retention', () => {
  test('defaults to raw 48 h, 1-minute rollups 30 days, 1-hour rollups 2 years, and is configurable', () => {
    const { store, db } = openStore();
    expect(store.retention).toEqual({ rawHours: 48, minuteDays: 30, hourDays: 730 });
    store.setRetention({ rawHours: 6, hourDays: 400 });
    expect(store.retention).toEqual({ rawHours: 6, minuteDays: 30, hourDays: 400 });
    // Kept in the file: a new store on the same database sees it.
    const again = new MetricsStore(db);
    expect(again.retention).toEqual({ rawHours: 6, minuteDays: 30, hourDays: 400 });
    for (const bad of [{ rawHours: 0 }, { minuteDays: 1.5 }, { hourDays: -1 }, { rawHours: NaN }]) {
      expect(() => store.setRetention(bad)).toThrow(AppError);
    }
    expect(store.retention).toEqual({ rawHours: 6, minuteDays: 30, hourDays: 400 });
  });

  test('prune deletes only what is older than each tier keeps, on whole buckets', () => {
    const { store, db } = openStore();
    const { ref, end } = fill(store, 4);
    store.setRetention({ rawHours: 48, minuteDays: 2, hourDays: 3 });
    const raw = times(db, 'metrics_raw');
    const minute = times(db, 'metrics_1m');
    const hour = times(db, 'metrics_1h');
    const nowS = Math.floor(end / 1000);
    const cut = [Math.floor((nowS - 48 * 3600) / 60) * 60, Math.floor((nowS - 2 * 86_400) / 3600) * 3600];
    const hourCut = Math.floor((nowS - 3 * 86_400) / 3600) * 3600;
    const pruned = store.prune(end);
    expect(pruned).toEqual({
      raw: raw.filter((t) => t < cut[0]!).length,
      minute: minute.filter((t) => t < cut[1]!).length,
      hour: hour.filter((t) => t < hourCut).length,
    });
    expect(pruned.raw).toBeGreaterThan(0);
    expect(pruned.minute).toBeGreaterThan(0);
    expect(pruned.hour).toBeGreaterThan(0);
    // Exactly the older rows went; every newer one is still there, and the rollups still match the reference.
    expect(times(db, 'metrics_raw')).toEqual(raw.filter((t) => t >= cut[0]!));
    expect(times(db, 'metrics_1m')).toEqual(minute.filter((t) => t >= cut[1]!));
    expect(times(db, 'metrics_1h')).toEqual(hour.filter((t) => t >= hourCut));
    const expected1m = [...ref.rollup(60)].filter(([k]) => Number(k.split('|')[1]) >= cut[1]!);
    expect(rollupTable(db, 'metrics_1m')).toEqual(new Map(expected1m));
    // A second prune at the same time removes nothing.
    expect(store.prune(end)).toEqual({ raw: 0, minute: 0, hour: 0 });
  });

  test('prune never deletes raw samples that are not rolled up yet', () => {
    const { store, db } = openStore();
    const rand = prng(8);
    for (let t = T0; t < T0 + 3 * H; t += 60_000) store.writeTick(t, [row('a', rand)]);
    const before = count(db, 'metrics_raw');
    // Far in the future, before any rollup: everything is past retention, but nothing is rolled.
    expect(store.prune(T0 + 100 * D)).toEqual({ raw: 0, minute: 0, hour: 0 });
    expect(count(db, 'metrics_raw')).toBe(before);
    store.rollup();
    const pruned = store.prune(T0 + 100 * D);
    // Raw goes up to the 1m watermark (the open minute stays); minutes up to the 1h watermark.
    expect(pruned.raw).toBe(before - 1);
    expect(count(db, 'metrics_raw')).toBe(1);
    expect(count(db, 'metrics_1m')).toBe(times(db, 'metrics_1m').filter((t) => t >= store.tiers[2]!.watermark!).length);
  });

  test('a tick older than the pruned history is refused and writes nothing', () => {
    const { store, db } = openStore();
    const { end } = fill(store, 3);
    store.prune(end);
    const raw = count(db, 'metrics_raw');
    const tiers = store.tiers;
    const old = end - 2 * D - H;
    let err: unknown;
    try {
      store.writeTick(old, [row('a', prng(1)), row('new-server', prng(2))]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
    expect((err as AppError).details).toEqual({ field: 'ts' });
    expect(count(db, 'metrics_raw')).toBe(raw);
    expect(count(db, 'metric_servers')).toBe(2);
    expect(store.tiers).toEqual(tiers);
    // A later tick for that new server still works (its key was not left behind in memory).
    store.writeTick(end, [row('new-server', prng(3))]);
    expect(count(db, 'metric_servers')).toBe(3);
  });

  test('removing a server deletes its rows in every tier and nothing of the others', () => {
    const { store, db } = openStore();
    fill(store, 1);
    const others = (t: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE server_key = 2`).get() as { n: number }).n;
    const keep = ['metrics_raw', 'metrics_1m', 'metrics_1h'].map(others);
    expect(store.removeServer('a')).toBeGreaterThan(0);
    expect(['metrics_raw', 'metrics_1m', 'metrics_1h'].map(others)).toEqual(keep);
    expect(['metrics_raw', 'metrics_1m', 'metrics_1h'].map((t) => count(db, t))).toEqual(keep);
    expect(store.series('a', ['cpuBusyPct'], T0, T0 + D).t).toEqual([]);
    expect(store.removeServer('a')).toBe(0);
  });
});

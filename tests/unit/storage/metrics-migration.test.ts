import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { m0001Journal } from '../../../src/main/storage/history/migrations/0001-journal';
import { m0002Certificates } from '../../../src/main/storage/history/migrations/0002-certificates';
import { m0003Metrics } from '../../../src/main/storage/history/migrations/0003-metrics';
import { HISTORY_MIGRATIONS, migrateHistory } from '../../../src/main/storage/history/migrations';
import { METRICS } from '../../../src/main/storage/history/metrics-schema';

interface TableInfo {
  name: string;
  type: string;
  wr: number;
  strict: number;
}

describe('history migration 0003-metrics', () => {
  test('adds wide STRICT, WITHOUT ROWID tables keyed (server, time), with only numbers and random ids', () => {
    const db = new Database(':memory:');
    migrateHistory(db, [m0001Journal, m0002Certificates]);
    expect(migrateHistory(db, [m0001Journal, m0002Certificates, m0003Metrics])).toBe(3);
    expect(HISTORY_MIGRATIONS.at(-1)).toBe(m0003Metrics);
    const tables = db.prepare('PRAGMA table_list').all() as TableInfo[];
    const info = (name: string) => tables.find((t) => t.name === name)!;
    for (const t of ['metrics_raw', 'metrics_1m', 'metrics_1h']) {
      expect(info(t)).toMatchObject({ wr: 1, strict: 1 });
      const cols = db.prepare(`PRAGMA table_info(${t})`).all() as { name: string; type: string; pk: number }[];
      expect(cols.filter((c) => c.pk > 0).map((c) => c.name)).toEqual(['server_key', 'ts']);
      expect(new Set(cols.map((c) => c.type))).toEqual(new Set(['INTEGER']));
    }
    expect(info('metric_servers').strict).toBe(1);
    const raw = (db.prepare('PRAGMA table_info(metrics_raw)').all() as { name: string }[]).map((c) => c.name);
    expect(raw).toEqual(['server_key', 'ts', ...METRICS.map((m) => m.column)]);
    const minute = (db.prepare('PRAGMA table_info(metrics_1m)').all() as { name: string }[]).map((c) => c.name);
    expect(minute).toEqual([
      'server_key',
      'ts',
      'n',
      ...METRICS.flatMap((m) => [`${m.column}_min`, `${m.column}_max`, `${m.column}_sum`]),
    ]);
    expect(
      db.prepare('SELECT tier, keep_seconds, watermark, pruned_before FROM metric_tiers ORDER BY tier').all(),
    ).toEqual([
      { tier: 0, keep_seconds: 48 * 3600, watermark: null, pruned_before: 0 },
      { tier: 60, keep_seconds: 30 * 86_400, watermark: null, pruned_before: 0 },
      { tier: 3600, keep_seconds: 730 * 86_400, watermark: null, pruned_before: 0 },
    ]);
    // STRICT: a REAL where an integer belongs is refused, not stored.
    const values = Array.from({ length: METRICS.length }, () => 1);
    const insert = db.prepare(`INSERT INTO metrics_raw VALUES (${['?', '?', ...values.map(() => '?')].join(', ')})`);
    insert.run(1, 100, ...values);
    expect(() => insert.run(1, 101, 12.5, ...values.slice(1))).toThrow(/cannot store REAL/);
    db.close();
  });
});

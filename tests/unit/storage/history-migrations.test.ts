import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { m0001Journal } from '../../../src/main/storage/history/migrations/0001-journal';
import { m0002Certificates } from '../../../src/main/storage/history/migrations/0002-certificates';
import { HISTORY_MIGRATIONS, migrateHistory } from '../../../src/main/storage/history/migrations';

function columns(db: Database.Database, t: string): string[] {
  return (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
}

const CLEAR_ONLY =
  /^(id|server_id|operation_id|state|seq|step_seq|at|created_at|started_at|ended_at|updated_at|progress|not_after|nonce|sealed|key|value)$/;

describe('history migration 0001-journal', () => {
  test('creates meta, operations, steps and output with only ids, states, times and numbers in the clear', () => {
    const db = new Database(':memory:');
    expect(migrateHistory(db, [m0001Journal])).toBe(1);
    expect(columns(db, 'meta')).toEqual(['key', 'value']);
    expect(columns(db, 'operations')).toEqual([
      'id',
      'server_id',
      'state',
      'created_at',
      'started_at',
      'ended_at',
      'progress',
      'nonce',
      'sealed',
    ]);
    expect(columns(db, 'operation_steps')).toEqual(['operation_id', 'seq', 'state', 'started_at', 'ended_at']);
    expect(columns(db, 'operation_output')).toEqual(['operation_id', 'step_seq', 'seq', 'at', 'nonce', 'sealed']);
    for (const t of ['operations', 'operation_steps', 'operation_output']) {
      for (const c of columns(db, t)) expect(c).toMatch(CLEAR_ONLY);
    }
    // STRICT: a wrong type is refused, not stored.
    expect(() =>
      db
        .prepare('INSERT INTO operations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run('a', 's', 'queued', 'soon', null, null, 0, Buffer.alloc(12), Buffer.alloc(16)),
    ).toThrow();
    db.close();
  });

  test('deleting an operation cascades to its steps and output (with foreign keys on)', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrateHistory(db, [m0001Journal]);
    const b = Buffer.alloc(16);
    db.prepare('INSERT INTO operations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      'op',
      's',
      'succeeded',
      1,
      1,
      2,
      1,
      b,
      b,
    );
    db.prepare('INSERT INTO operation_steps VALUES (?, ?, ?, ?, ?)').run('op', 0, 'succeeded', 1, 2);
    db.prepare('INSERT INTO operation_output VALUES (?, ?, ?, ?, ?, ?)').run('op', 0, 0, 1, b, b);
    db.prepare('DELETE FROM operations WHERE id = ?').run('op');
    expect(db.prepare('SELECT count(*) AS n FROM operation_steps').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM operation_output').get()).toEqual({ n: 0 });
    expect(() =>
      db.prepare('INSERT INTO operation_steps VALUES (?, ?, ?, ?, ?)').run('nope', 0, 'pending', null, null),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('history migration 0002-certificates', () => {
  test('adds the certificate inventory (clear: id, server id, expiry, state, scan time) on top of 0001', () => {
    const db = new Database(':memory:');
    migrateHistory(db, [m0001Journal]);
    expect(migrateHistory(db, [m0001Journal, m0002Certificates])).toBe(2);
    expect(columns(db, 'certificates')).toEqual([
      'id',
      'server_id',
      'not_after',
      'state',
      'updated_at',
      'nonce',
      'sealed',
    ]);
    for (const c of columns(db, 'certificates')) expect(c).toMatch(CLEAR_ONLY);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM certificates ORDER BY not_after').all() as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/certificates_expiry/);
    expect(HISTORY_MIGRATIONS[1]).toBe(m0002Certificates);
    db.close();
  });
});

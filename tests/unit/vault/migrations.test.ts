import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { m0001Init } from '../../../src/main/vault/migrations/0001-init';
import { migrate, MIGRATIONS } from '../../../src/main/vault/migrations';

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration 0001-init', () => {
  test('creates meta, records (no identifying columns) and pending_audit, and sets user_version 1', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m0001Init])).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columns(db, 'meta')).toEqual(['key', 'value']);
    expect(columns(db, 'records')).toEqual(['id', 'kind', 'version', 'nonce', 'ciphertext']);
    expect(columns(db, 'pending_audit')).toEqual(['seq', 'at', 'action']);
    // STRICT tables refuse a wrong type instead of storing it.
    expect(() =>
      db
        .prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?)')
        .run('a', 'server', 'x', Buffer.alloc(12), Buffer.alloc(16)),
    ).toThrow();
    db.close();
  });

  test('running again is a no-op; a newer file is refused', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare('INSERT INTO meta VALUES (?, ?)').run('k', 'v');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT value FROM meta WHERE key = ?').get('k')).toEqual({ value: 'v' });
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer PanelDeck/);
    db.close();
  });

  test('a failing migration leaves the previous version and no partial tables', () => {
    const db = new Database(':memory:');
    const broken = {
      version: 1,
      name: 'broken',
      up: (d: Database.Database) => d.exec('CREATE TABLE t(x); SELECT * FROM nope;'),
    };
    expect(() => migrate(db, [broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
    db.close();
  });
});

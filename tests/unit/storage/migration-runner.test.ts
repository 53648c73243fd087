import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { runMigrations, type Migration } from '../../../src/main/storage/migration-runner';
import { migrate as migrateVault, MIGRATIONS } from '../../../src/main/vault/migrations';

const table = (version: number, name: string): Migration => ({
  version,
  name,
  up: (db) => db.exec(`CREATE TABLE ${name}(x INTEGER) STRICT`),
});

describe('the shared numbered-migration runner', () => {
  test('applies in order, moves user_version, and a second run is a no-op', () => {
    const db = new Database(':memory:');
    expect(runMigrations(db, [table(1, 'one'), table(2, 'two')], 'test file')).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(runMigrations(db, [table(1, 'one'), table(2, 'two')], 'test file')).toBe(2);
    expect(runMigrations(db, [table(1, 'one'), table(2, 'two'), table(3, 'three')], 'test file')).toBe(3);
    db.close();
  });

  test('refuses a gap and a file from a newer version (naming the file)', () => {
    const db = new Database(':memory:');
    expect(() => runMigrations(db, [table(1, 'one'), table(3, 'three')], 'test file')).toThrow(/3 does not follow 1/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.pragma('user_version = 9');
    expect(() => runMigrations(db, [table(1, 'one')], 'history file')).toThrow(
      /This history file was written by a newer/,
    );
    db.close();
  });

  test('the vault uses the same runner', () => {
    const db = new Database(':memory:');
    expect(migrateVault(db)).toBe(MIGRATIONS.length);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrateVault(db)).toThrow(/This vault was written by a newer PanelDeck/);
    db.close();
  });
});

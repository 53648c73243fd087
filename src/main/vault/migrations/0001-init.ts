import type { Migration } from './migration';

/**
 * The first vault schema. Only non-identifying data is stored in the clear:
 * - `meta`: vault id, KDF parameters and salt, the wrapped data key(s), the failed-unlock counter and settings;
 * - `records`: random id, kind, schema version, nonce, ciphertext (padded, so lengths are bucketed);
 * - `pending_audit`: failed unlocks (time only), recorded while no key is at hand and sealed at the next unlock.
 */
export const m0001Init: Migration = {
  version: 1,
  name: 'init',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE records (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        version    INTEGER NOT NULL,
        nonce      BLOB NOT NULL,
        ciphertext BLOB NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX records_kind ON records(kind);
      CREATE TABLE pending_audit (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        at     INTEGER NOT NULL,
        action TEXT NOT NULL
      ) STRICT;
    `);
  },
};

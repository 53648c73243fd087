import type { Migration } from '../../migration-runner';

/**
 * The operations journal. In the clear only random ids, the server's random id, states, timestamps and
 * numbers (the list filters and sorts on them without the key); every name, title, command, line of output
 * and error text is inside `sealed` (AES-256-GCM under the vault's data key, the row's key as associated data).
 * - `meta`: settings of the history file itself (retention days, last prune), numbers only;
 * - `operations`: one row per operation; its sealed part holds the titles and results of its steps too, so a
 *   page of the journal costs one decryption per operation;
 * - `operation_steps`: the clear state and times of its steps in order (`seq`);
 * - `operation_output`: log lines and command records of a step, one sealed row each, capped by the engine.
 * Tables with sealed blobs keep their rowid (rows are larger than WITHOUT ROWID suits, and index lookups by
 * integer rowid keep a journal page cheap); the small step rows are WITHOUT ROWID.
 */
export const m0001Journal: Migration = {
  version: 1,
  name: 'journal',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE operations (
        id         TEXT PRIMARY KEY,
        server_id  TEXT NOT NULL,
        state      TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at   INTEGER,
        progress   REAL NOT NULL DEFAULT 0,
        nonce      BLOB NOT NULL,
        sealed     BLOB NOT NULL
      ) STRICT;
      CREATE INDEX operations_created ON operations(created_at DESC, id DESC);
      CREATE INDEX operations_server ON operations(server_id, created_at DESC, id DESC);
      CREATE INDEX operations_state ON operations(state, created_at DESC, id DESC);
      CREATE TABLE operation_steps (
        operation_id TEXT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        state        TEXT NOT NULL,
        started_at   INTEGER,
        ended_at     INTEGER,
        PRIMARY KEY (operation_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE operation_output (
        operation_id TEXT NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
        step_seq     INTEGER NOT NULL,
        seq          INTEGER NOT NULL,
        at           INTEGER NOT NULL,
        nonce        BLOB NOT NULL,
        sealed       BLOB NOT NULL,
        PRIMARY KEY (operation_id, step_seq, seq)
      ) STRICT;
    `);
  },
};

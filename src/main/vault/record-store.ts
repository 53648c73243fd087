import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

/** One row of the records table: nothing in it identifies anything without the data key. */
export interface RecordRow {
  readonly id: string;
  readonly kind: string;
  readonly version: number;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
}

/** A logical change: rows to upsert and ids to delete, applied in one transaction. */
export interface RecordChange {
  readonly put?: readonly RecordRow[];
  readonly delete?: readonly string[];
  readonly meta?: Readonly<Record<string, string | null>>;
  readonly clearPendingAudit?: boolean;
}

/**
 * The vault file: better-sqlite3 in WAL mode with synchronous=FULL.
 * FULL (an fsync of the WAL at every commit) rather than NORMAL: NORMAL is safe against a killed process but can
 * drop the last commits on power loss, and a credential the user just saved must survive a pulled plug. Writes
 * are rare and small, so the fsync cost is invisible. secure_delete zeroes freed pages.
 */
export class RecordStore {
  readonly #db: Database.Database;
  readonly #stmts: ReturnType<typeof prepare>;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = prepare(db);
  }

  /** Opens (creating if needed) the vault file at `file` and migrates it. */
  static open(file: string): RecordStore {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fd = fs.openSync(file, 'a', 0o600);
    fs.closeSync(fd);
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
    } catch (e) {
      db.close();
      throw e;
    }
    return new RecordStore(db);
  }

  /** The path of the vault file inside `dataDir`. */
  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'vault.db');
  }

  getMeta(key: string): string | null {
    const row = this.#stmts.getMeta.get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  allRows(kind?: string): RecordRow[] {
    return (kind === undefined ? this.#stmts.all.all() : this.#stmts.allOfKind.all(kind)) as RecordRow[];
  }

  getRow(id: string): RecordRow | null {
    return (this.#stmts.getRow.get(id) as RecordRow | undefined) ?? null;
  }

  pendingAudit(): { at: number; action: string }[] {
    return this.#stmts.pending.all() as { at: number; action: string }[];
  }

  /** Applies one logical change atomically: all of it is on disk, or none of it. */
  apply(change: RecordChange): void {
    this.#db
      .transaction(() => {
        for (const [k, v] of Object.entries(change.meta ?? {})) {
          if (v === null) this.#stmts.delMeta.run(k);
          else this.#stmts.setMeta.run(k, v);
        }
        for (const id of change.delete ?? []) this.#stmts.delRow.run(id);
        for (const r of change.put ?? []) this.#stmts.putRow.run(r.id, r.kind, r.version, r.nonce, r.ciphertext);
        if (change.clearPendingAudit) this.#stmts.clearPending.run();
      })
      .immediate();
  }

  /** Remembers a failed unlock (time only) and the new counter, in one transaction. */
  recordFailure(at: number, meta: Readonly<Record<string, string>>): void {
    this.#db
      .transaction(() => {
        for (const [k, v] of Object.entries(meta)) this.#stmts.setMeta.run(k, v);
        this.#stmts.addPending.run(at, 'vault.unlock-failed');
      })
      .immediate();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function prepare(db: Database.Database) {
  return {
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    delMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
    all: db.prepare('SELECT id, kind, version, nonce, ciphertext FROM records'),
    allOfKind: db.prepare('SELECT id, kind, version, nonce, ciphertext FROM records WHERE kind = ?'),
    getRow: db.prepare('SELECT id, kind, version, nonce, ciphertext FROM records WHERE id = ?'),
    putRow: db.prepare(
      `INSERT INTO records(id, kind, version, nonce, ciphertext) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, version = excluded.version,
         nonce = excluded.nonce, ciphertext = excluded.ciphertext`,
    ),
    delRow: db.prepare('DELETE FROM records WHERE id = ?'),
    pending: db.prepare('SELECT at, action FROM pending_audit ORDER BY seq'),
    addPending: db.prepare('INSERT INTO pending_audit(at, action) VALUES (?, ?)'),
    clearPending: db.prepare('DELETE FROM pending_audit'),
  };
}

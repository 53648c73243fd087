import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Sealer } from '../sealer';
import { CertificateStore } from './certificate-store';
import { JournalStore } from './journal-store';
import { migrateHistory } from './migrations';

/**
 * history.db, beside vault.db: the operations journal and the certificate inventory (metrics next).
 * better-sqlite3 in WAL mode with synchronous=NORMAL: in WAL mode NORMAL loses nothing when the process is
 * killed (what the journal must survive); only a power cut can drop the last commits, acceptable for a journal
 * that is written at every step. secure_delete zeroes pruned rows; foreign keys cascade a pruned operation.
 *
 * Queries run on the main thread, not in a worker (DESIGN.md rule 7 allows either with a bench): every read is
 * an indexed, paginated query whose cost depends on the page (at most 100 operations, one decryption each),
 * not on the size of the journal, and pruning goes in batches of 20 with an event-loop turn between them.
 * bench/history.bench.ts measures, on a 10,000-operation journal, about 1 ms for a page of 50 (median, on a
 * heavily loaded 2-core machine) and about 0.1 ms for one operation with its output. A worker would need a
 * copy of the data key in a second thread and an async store API, and would still decrypt on one of them.
 */
export class HistoryDb {
  readonly db: Database.Database;
  readonly journal: JournalStore;
  readonly certificates: CertificateStore;

  private constructor(db: Database.Database, sealer: Sealer) {
    this.db = db;
    this.journal = new JournalStore(db, sealer);
    this.certificates = new CertificateStore(db, sealer);
  }

  /** Opens (creating if needed, mode 0600) and migrates the history file at `file`. */
  static open(file: string, sealer: Sealer): HistoryDb {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('secure_delete = ON');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrateHistory(db);
    } catch (e) {
      db.close();
      throw e;
    }
    return new HistoryDb(db, sealer);
  }

  /** The path of history.db inside `dataDir` (beside vault.db). */
  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'history.db');
  }

  /** A clear setting of the history file (numbers only), or null. */
  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /** Writes sealed parts noted while the vault was locked (call after an unlock). */
  flushDeferred(): void {
    this.journal.flushDeferred();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

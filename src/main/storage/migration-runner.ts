import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';

/**
 * One numbered schema step, kept in a file named `NNNN-name.ts` (DESIGN.md rule 7, after Signal's
 * ts/sql/migrations). Shipped migrations never change: a new schema is a new file appended to the list.
 */
export interface Migration {
  /** Becomes PRAGMA user_version once applied; strictly increasing, no gaps. */
  readonly version: number;
  readonly name: string;
  /** Runs inside the runner's transaction: a crash leaves the previous version intact. */
  up(db: Database.Database): void;
}

/**
 * Brings `db` up to the newest schema in `migrations`, one transaction per migration (user_version moves
 * with it), and returns the version reached. A file from a newer PanelDeck is refused rather than guessed
 * at; `what` names the file in that message ("vault", "history").
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[], what: string): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new AppError('UNSUPPORTED', `This ${what} was written by a newer PanelDeck. Update the app to open it.`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (m.version !== current + 1) throw new Error(`Migration ${m.version} does not follow ${current}.`);
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    current = m.version;
  }
  return current;
}

import type Database from 'better-sqlite3';

/** One numbered schema step (DESIGN.md rule 7, after Signal's ts/sql/migrations). */
export interface Migration {
  /** Becomes PRAGMA user_version once applied; strictly increasing, no gaps. */
  readonly version: number;
  readonly name: string;
  /** Runs inside the runner's transaction: a crash leaves the previous version intact. */
  up(db: Database.Database): void;
}

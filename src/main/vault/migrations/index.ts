import type Database from 'better-sqlite3';
import { runMigrations } from '../../storage/migration-runner';
import { m0001Init } from './0001-init';
import type { Migration } from './migration';

/** Every migration, in order. Append only: a shipped migration never changes. */
export const MIGRATIONS: readonly Migration[] = [m0001Init];

/**
 * Brings the vault file up to the newest schema with the shared runner (one transaction per migration).
 * A file from a newer PanelDeck is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  return runMigrations(db, migrations, 'vault');
}

export type { Migration };

import type Database from 'better-sqlite3';
import { runMigrations, type Migration } from '../../migration-runner';
import { m0001Journal } from './0001-journal';
import { m0002Certificates } from './0002-certificates';
import { m0003Metrics } from './0003-metrics';

/** Every history.db migration, in order. Append only. */
export const HISTORY_MIGRATIONS: readonly Migration[] = [m0001Journal, m0002Certificates, m0003Metrics];

/** Brings history.db up to the newest schema. */
export function migrateHistory(db: Database.Database, migrations: readonly Migration[] = HISTORY_MIGRATIONS): number {
  return runMigrations(db, migrations, 'history file');
}

import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { m0001Init } from './0001-init';
import type { Migration } from './migration';

/** Every migration, in order. Append only: a shipped migration never changes. */
export const MIGRATIONS: readonly Migration[] = [m0001Init];

/**
 * Brings `db` up to the newest schema, one transaction per migration (user_version moves with it).
 * A file from a newer PanelDeck is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new AppError('UNSUPPORTED', 'This vault was written by a newer PanelDeck. Update the app to open it.');
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

export type { Migration };

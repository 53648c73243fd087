import type { z } from 'zod';
import type { Input } from '../../../shared/contract';
import {
  DbCharset,
  DbCollation,
  DbPassword,
  type Database,
  type DatabaseUser,
} from '../../../shared/contract/databases.contract';
import { DbName, DbUser, type DbEngine } from '../../../shared/remote-names';
import { AppError } from '../../../shared/errors';
import { errorMessage, fieldErrors, type FieldErrors } from '../../lib/errors';

/** The tables' filters ('' = any). The server filter is also the per-server view. */
export interface DatabaseFilter {
  serverId: string;
  engine: DbEngine | '';
  query: string;
}

/** What each engine reads as in the tables, the filter and the create dialog. */
export const ENGINE_LABEL: Record<DbEngine, string> = {
  mariadb: 'MariaDB / MySQL',
  postgresql: 'PostgreSQL',
};

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** A size in bytes for people (1024-based, one decimal under 10): `16 KB`, `2.5 GB`; null reads as an em dash. */
export function formatSize(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}

function matchesBase(x: { serverId: string; engine: DbEngine }, f: DatabaseFilter): boolean {
  return (f.serverId === '' || x.serverId === f.serverId) && (f.engine === '' || x.engine === f.engine);
}

/** The databases that match the filters (name, owner and users are searched). */
export function filterDatabases(databases: readonly Database[], f: DatabaseFilter): Database[] {
  const q = f.query.trim().toLowerCase();
  return databases.filter(
    (d) =>
      matchesBase(d, f) &&
      (q === '' ||
        d.name.toLowerCase().includes(q) ||
        (d.owner ?? '').toLowerCase().includes(q) ||
        d.users.some((u) => u.toLowerCase().includes(q))),
  );
}

/** The users that match the filters (name, host and the databases of their grants are searched). */
export function filterUsers(users: readonly DatabaseUser[], f: DatabaseFilter): DatabaseUser[] {
  const q = f.query.trim().toLowerCase();
  return users.filter(
    (u) =>
      matchesBase(u, f) &&
      (q === '' ||
        u.name.toLowerCase().includes(q) ||
        (u.host ?? '').toLowerCase().includes(q) ||
        u.grants.some((g) => g.database.toLowerCase().includes(q))),
  );
}

/** A user's grants in one line: `shop: ALL PRIVILEGES; *: USAGE`. */
export function grantSummary(user: Pick<DatabaseUser, 'grants' | 'superuser'>): string {
  const parts = user.grants.map(
    (g) => `${g.database === '*' ? 'all databases' : g.database}: ${g.privileges.join(', ')}`,
  );
  if (user.superuser) parts.unshift('superuser');
  return parts.length > 0 ? parts.join('; ') : 'no grants';
}

/** How a user is named to people: MariaDB `name@host`, PostgreSQL `name`. */
export function userLabel(user: Pick<DatabaseUser, 'name' | 'host'>): string {
  return user.host === null ? user.name : `${user.name}@${user.host}`;
}

/** The create dialog's form, as typed (strings; empty = the core's default). */
export interface DatabaseForm {
  serverId: string;
  engine: DbEngine | '';
  name: string;
  charset: string;
  collation: string;
  user: string;
  /** Generate a strong password (stored in the vault) instead of the typed one. */
  generate: boolean;
  password: string;
}

export type DatabaseField = Exclude<keyof DatabaseForm, 'generate'>;

const FIELDS: DatabaseField[] = ['serverId', 'engine', 'name', 'charset', 'collation', 'user', 'password'];

function problem(schema: z.ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/**
 * Checks one field with the contract's own schemas, so the message as you type is the one the core would answer.
 * Empty charset/collation are fine (the core picks utf8mb4 / utf8mb4_unicode_ci on MariaDB).
 */
export function checkDatabaseField(form: DatabaseForm, field: DatabaseField): string | undefined {
  switch (field) {
    case 'serverId':
      return form.serverId ? undefined : 'Choose a server.';
    case 'engine':
      return form.engine ? undefined : 'Choose a database engine.';
    case 'name':
      return problem(DbName, form.name);
    case 'user':
      return problem(DbUser, form.user);
    case 'charset':
      return form.engine === 'mariadb' && form.charset.trim() ? problem(DbCharset, form.charset) : undefined;
    case 'collation': {
      if (form.engine !== 'mariadb' || !form.collation.trim()) return undefined;
      const p = problem(DbCollation, form.collation);
      if (p) return p;
      const charset = form.charset.trim();
      const collation = form.collation.trim();
      return charset && !collation.startsWith(`${charset}_`)
        ? `The collation must belong to ${charset} (${charset}_…).`
        : undefined;
    }
    case 'password':
      return form.generate ? undefined : problem(DbPassword, form.password);
    default:
      return undefined;
  }
}

/** Every field's problem, for the fields in `only` (all when absent). */
export function checkDatabaseForm(form: DatabaseForm, only?: ReadonlySet<DatabaseField>): FieldErrors {
  const out: FieldErrors = {};
  for (const f of FIELDS) {
    if (only && !only.has(f)) continue;
    const p = checkDatabaseField(form, f);
    if (p) out[f] = p;
  }
  return out;
}

/** Every field of the create form (to mark them all touched on Preview). */
export const DATABASE_FIELDS: ReadonlySet<DatabaseField> = new Set(FIELDS);

/** The databases.create input for a form that passed checkDatabaseForm (dryRun: the preview). */
export function databaseCreateInput(form: DatabaseForm, dryRun: boolean): Input<'databases.create'> {
  const engine: DbEngine = form.engine === '' ? 'mariadb' : form.engine;
  const mariadb = engine === 'mariadb';
  return {
    serverId: form.serverId,
    engine,
    name: form.name.trim(),
    user: form.user.trim(),
    ...(mariadb && form.charset.trim() ? { charset: form.charset.trim() } : {}),
    ...(mariadb && form.collation.trim() ? { collation: form.collation.trim() } : {}),
    ...(form.generate ? {} : { password: form.password }),
    existingUser: false,
    host: 'localhost',
    dryRun,
  };
}

/** The engines a server's probe found (MySQL is served by the MariaDB driver), without repeats. */
export function enginesOf(probed: readonly { engine: 'mariadb' | 'mysql' | 'postgresql' }[]): DbEngine[] {
  const out = new Set<DbEngine>();
  for (const p of probed) out.add(p.engine === 'postgresql' ? 'postgresql' : 'mariadb');
  return [...out];
}

/**
 * The core's VALIDATION answer as per-field messages: schema issues and a service's own `details.field` (e.g. an
 * engine the server does not run). Any other error's sentence goes to `_` (the form's own error line).
 */
export function coreDatabaseErrors(e: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldErrors(e))) out[path.split('.')[0] ?? '_'] ??= message;
  if (e instanceof AppError) {
    const field = e.details?.field;
    if (e.code === 'VALIDATION' && typeof field === 'string') out[field] ??= e.message;
  }
  if (Object.keys(out).length === 0) out._ = errorMessage(e);
  return out;
}

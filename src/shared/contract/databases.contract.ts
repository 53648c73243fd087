import { z } from 'zod';
import { Id } from '../validators';
import { DbEngine, DbName, DbUser } from '../remote-names';
import { method, secret } from './define';
import { ListProblem, PlanResult } from './sites.contract';

/**
 * Databases on MariaDB/MySQL and PostgreSQL (issue 9, build item 2). Every change is a plan (dryRun previews it;
 * plans.apply runs it). Passwords never travel in a plan's params: a new user's password goes into the vault as a
 * password credential bound to the server, and the plan refers to that credential.
 */

/** A MariaDB character set name (`utf8mb4`). */
export const DbCharset = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9]{1,31}$/, 'A character set is lower-case letters and digits, like utf8mb4.');

/** A MariaDB collation name (`utf8mb4_unicode_ci`). */
export const DbCollation = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/, 'A collation looks like utf8mb4_unicode_ci.')
  .refine((s) => s.length <= 64, 'A collation is at most 64 characters.');

/**
 * Where a MariaDB user may connect from: localhost (the default), %, an IPv4 address or an IPv4 pattern like
 * `10.0.%`, or an IPv6 address. PostgreSQL roles have no host (pg_hba.conf decides); it is ignored there.
 */
export const DbHost = z
  .string()
  .trim()
  .refine(
    (s) =>
      s === 'localhost' ||
      s === '%' ||
      /^[0-9]{1,3}(\.([0-9]{1,3}|%)){0,3}(\.%)?$/.test(s) ||
      /^[0-9a-f:]{2,39}$/.test(s),
    'A host is localhost, %, an IPv4 address or pattern (10.0.%), or an IPv6 address.',
  );

/**
 * A database password given by the user: 12 to 128 printable ASCII characters without spaces, quotes or
 * backslashes. Validated rather than escaped (it is escaped anyway): such a password is the same string in SQL,
 * in a client options file and in a pgpass file. Leave it out to have a strong one generated.
 */
export const DbPassword = secret(
  z
    .string()
    .min(12, 'A database password has at least 12 characters.')
    .max(128, 'A database password has at most 128 characters.')
    .regex(/^[\x21-\x7e]+$/, 'A database password has printable characters only, without spaces.')
    .refine((s) => !/['"`\\]/.test(s), 'A database password cannot contain quotes or backslashes.'),
);

/** What a database user may do on one database (`*`: every database, i.e. a global privilege). */
export const DbGrant = z.object({ database: z.string(), privileges: z.array(z.string()) });
export type DbGrant = z.infer<typeof DbGrant>;

/** A database as the server reports it (also the ones PanelDeck did not create). */
export const Database = z.object({
  serverId: Id,
  engine: DbEngine,
  name: z.string(),
  /** On-disk size in bytes (MariaDB: data + indexes; PostgreSQL: pg_database_size); null when unreadable. */
  sizeBytes: z.number().int().nonnegative().nullable(),
  charset: z.string().nullable(),
  collation: z.string().nullable(),
  /** PostgreSQL: the owning role. MariaDB has no owners: null. */
  owner: z.string().nullable(),
  /** Users with a privilege on this database (MariaDB: `user@host`). */
  users: z.array(z.string()),
});
export type Database = z.infer<typeof Database>;

/** A database user (MariaDB account `user@host`, PostgreSQL login role). */
export const DatabaseUser = z.object({
  serverId: Id,
  engine: DbEngine,
  name: z.string(),
  /** MariaDB: the account's host; PostgreSQL: null. */
  host: z.string().nullable(),
  grants: z.array(DbGrant),
  superuser: z.boolean(),
  /** The vault credential holding this user's password, when PanelDeck created or rotated it. */
  credentialId: Id.nullable(),
});
export type DatabaseUser = z.infer<typeof DatabaseUser>;

const DryRun = { dryRun: z.boolean().default(false) };

/**
 * How to reach the database server as an administrator: absent, the server's own socket auth (MariaDB root via
 * unix_socket, PostgreSQL `postgres` via peer); else a password or login credential from the vault (its username
 * is the admin user; default root / postgres).
 */
const AdminAccess = { adminCredentialId: Id.optional() };

const CHARSET_DEFAULT = 'utf8mb4';
const COLLATION_DEFAULT = 'utf8mb4_unicode_ci';

/** Input of databases.create; MariaDB defaults to utf8mb4 / utf8mb4_unicode_ci. */
export const DatabaseCreate = z
  .strictObject({
    serverId: Id,
    engine: DbEngine,
    name: DbName,
    /** MariaDB only. */
    charset: DbCharset.optional(),
    /** MariaDB only; must belong to the character set. */
    collation: DbCollation.optional(),
    user: DbUser,
    /** Grant an existing user instead of creating one (no password then). */
    existingUser: z.boolean().default(false),
    /** MariaDB account host. */
    host: DbHost.default('localhost'),
    /** The new user's password; generated (32 random letters and digits) when absent. */
    password: DbPassword.optional(),
    ...AdminAccess,
    ...DryRun,
  })
  .superRefine((v, ctx) => {
    if (v.engine !== 'mariadb' && (v.charset !== undefined || v.collation !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['charset'],
        message: 'Character set and collation apply to MariaDB/MySQL only.',
      });
    }
    if (v.existingUser && v.password !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'An existing user keeps its password; use changePassword.',
      });
    }
    const charset = v.charset ?? (v.collation !== undefined ? v.collation.split('_')[0] : undefined);
    if (charset !== undefined && v.collation !== undefined && !v.collation.startsWith(`${charset}_`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['collation'],
        message: `The collation must belong to ${charset} (${charset}_…).`,
      });
    }
  });
export type DatabaseCreate = z.output<typeof DatabaseCreate>;

/**
 * The character set and collation a create uses: MariaDB defaults to utf8mb4 / utf8mb4_unicode_ci (a charset given
 * alone keeps the server's default collation for it); PostgreSQL uses the server's defaults (null, null). Not a
 * transform of the schema, so the CLI's JSON Schema keeps every field.
 */
export function databaseCharset(v: Pick<DatabaseCreate, 'engine' | 'charset' | 'collation'>): {
  charset: string | null;
  collation: string | null;
} {
  if (v.engine !== 'mariadb') return { charset: null, collation: null };
  const charset =
    v.charset ?? (v.collation !== undefined ? (v.collation.split('_')[0] ?? CHARSET_DEFAULT) : CHARSET_DEFAULT);
  const collation = v.collation ?? (charset === CHARSET_DEFAULT ? COLLATION_DEFAULT : null);
  return { charset, collation };
}

const Confirm = { confirm: z.string().max(200) };

export const databasesMethods = {
  'databases.list': method({
    input: z.strictObject({
      serverId: Id.optional(),
      engine: DbEngine.optional(),
      query: z.string().max(200).optional(),
      ...AdminAccess,
    }),
    output: z.object({ databases: z.array(Database), users: z.array(DatabaseUser), problems: z.array(ListProblem) }),
    summary: 'List databases (with sizes) and users (with grants) on one server or on every server.',
  }),
  'databases.create': method({
    input: DatabaseCreate,
    output: PlanResult,
    summary:
      'Create a database and a user with all privileges on it (dryRun: show the plan only). The password goes into the vault.',
  }),
  'databases.changePassword': method({
    input: z.strictObject({
      serverId: Id,
      engine: DbEngine,
      user: DbUser,
      host: DbHost.default('localhost'),
      /** The new password; generated when absent. */
      password: DbPassword.optional(),
      ...AdminAccess,
      ...DryRun,
    }),
    output: PlanResult,
    summary: "Rotate a database user's password (given or generated); the vault credential is updated.",
  }),
  'databases.delete': method({
    input: z.strictObject({ serverId: Id, engine: DbEngine, name: DbName, ...Confirm, ...AdminAccess, ...DryRun }),
    output: PlanResult,
    summary: 'Delete a database and everything in it. confirm must repeat the name.',
  }),
  'databases.deleteUser': method({
    input: z.strictObject({
      serverId: Id,
      engine: DbEngine,
      user: DbUser,
      host: DbHost.default('localhost'),
      ...Confirm,
      ...AdminAccess,
      ...DryRun,
    }),
    output: PlanResult,
    summary: 'Delete a database user (and its vault credential). confirm must repeat the user name.',
  }),
};

export const databasesEvents = {};

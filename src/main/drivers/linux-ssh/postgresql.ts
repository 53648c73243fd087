import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { DbAdmin } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import {
  MASKED,
  SECRET_FILE,
  expectOk,
  runWithSecretFile,
  scramSha256Verifier,
  type EngineDatabase,
  type EngineOps,
  type EngineUser,
} from './db-client';

/** A PostgreSQL string literal (standard_conforming_strings: only quotes are doubled); control characters refused. */
export function pgString(s: string): string {
  if (/[\0\r\n]/.test(s)) throw new AppError('VALIDATION', 'A database value cannot contain control characters.');
  return `'${s.replace(/'/g, "''")}'`;
}

/** A PostgreSQL identifier in double quotes. */
export function pgIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** One field of a pgpass line: `\` and `:` escaped. */
export function pgpassField(s: string): string {
  if (/[\0\r\n]/.test(s)) throw new AppError('VALIDATION', 'A database credential cannot contain line breaks.');
  return s.replace(/[\\:]/g, '\\$&');
}

const INVENTORY_SQL = `SELECT json_build_object(
  'databases', COALESCE((SELECT json_agg(json_build_object(
      'name', d.datname,
      'owner', pg_get_userbyid(d.datdba),
      'size', CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid) END,
      'charset', pg_encoding_to_char(d.encoding),
      'collation', d.datcollate,
      'acl', COALESCE((SELECT json_agg(json_build_object(
          'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
          'privilege', a.privilege_type)) FROM aclexplode(d.datacl) a), '[]'::json)
    ) ORDER BY d.datname) FROM pg_database d WHERE NOT d.datistemplate), '[]'::json),
  'users', COALESCE((SELECT json_agg(json_build_object('name', r.rolname, 'superuser', r.rolsuper) ORDER BY r.rolname)
    FROM pg_roles r WHERE r.rolcanlogin), '[]'::json)
);
`;

const Inventory = z.object({
  databases: z.array(
    z.object({
      name: z.string(),
      owner: z.string(),
      size: z.number().nullable(),
      charset: z.string().nullable(),
      collation: z.string().nullable(),
      acl: z.array(z.object({ grantee: z.string(), privilege: z.string() })),
    }),
  ),
  users: z.array(z.object({ name: z.string(), superuser: z.boolean() })),
});

/** Parses the JSON of INVENTORY_SQL (exported for unit tests). */
export function parsePgInventory(out: string): { databases: EngineDatabase[]; users: EngineUser[] } {
  let inv: z.infer<typeof Inventory>;
  try {
    inv = Inventory.parse(JSON.parse(out.trim().split('\n').filter(Boolean).pop() ?? ''));
  } catch {
    throw new AppError('INTERNAL', 'PostgreSQL answered the inventory query with something unexpected.');
  }
  const databases: EngineDatabase[] = inv.databases.map((d) => ({
    name: d.name,
    owner: d.owner,
    sizeBytes: d.size === null ? null : Math.round(d.size),
    charset: d.charset,
    collation: d.collation,
    users: [...new Set([d.owner, ...d.acl.map((a) => a.grantee).filter((g) => g !== 'PUBLIC')])],
  }));
  const users: EngineUser[] = inv.users.map((u) => {
    const grants = inv.databases
      .map((d) => ({
        database: d.name,
        privileges: [
          ...(d.owner === u.name ? ['OWNER'] : []),
          ...d.acl.filter((a) => a.grantee === u.name).map((a) => a.privilege),
        ],
      }))
      .filter((g) => g.privileges.length > 0);
    return { name: u.name, host: null, superuser: u.superuser, grants };
  });
  return { databases, users };
}

/**
 * PostgreSQL over SSH: the admin client is `psql` as the postgres system user (peer auth through runuser) or
 * with a vault credential in a 0600 pgpass file (PGPASSFILE holds its path, never the secret). Passwords are
 * sent as SCRAM-SHA-256 verifiers computed here, so the plain password never reaches the server at all except in
 * the login check's pgpass file.
 */
export class PostgresOps implements EngineOps {
  readonly engine = 'postgresql' as const;
  readonly label = 'PostgreSQL';
  readonly adminCommand: string;
  readonly #admin: DbAdmin;
  readonly #major: number;

  constructor(version: string, admin: DbAdmin) {
    this.#admin = admin;
    this.#major = Number.parseInt(version, 10) || 0;
    this.adminCommand = admin
      ? 'psql -h localhost (PGPASSFILE=<0600 file with the admin credential>)'
      : 'runuser -u postgres -- psql (peer auth)';
  }

  async sql(h: RemoteHost, sql: string, what: string): Promise<string> {
    const flags = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
    if (this.#admin === null) {
      const argv = [
        'sh',
        '-c',
        'cd / && exec "$@"',
        'sh',
        'runuser',
        '-u',
        'postgres',
        '--',
        'psql',
        ...flags,
        '-d',
        'postgres',
      ];
      return expectOk(await h.run(argv, { stdin: sql }), what);
    }
    const pgpass = `*:*:*:${pgpassField(this.#admin.user)}:${pgpassField(this.#admin.password)}\n`;
    const argv = [
      'env',
      `PGPASSFILE=${SECRET_FILE}`,
      'psql',
      ...flags,
      '-w',
      '-h',
      'localhost',
      `--username=${this.#admin.user}`,
      '-d',
      'postgres',
    ];
    return expectOk(await runWithSecretFile(h, pgpass, argv, sql), what);
  }

  async inventory(h: RemoteHost): Promise<{ databases: EngineDatabase[]; users: EngineUser[] }> {
    return parsePgInventory(await this.sql(h, INVENTORY_SQL, 'Listing PostgreSQL databases'));
  }

  async databaseExists(h: RemoteHost, name: string): Promise<boolean> {
    const out = await this.sql(
      h,
      `SELECT count(*) FROM pg_database WHERE datname = ${pgString(name)};\n`,
      'Looking up the database',
    );
    return out.trim() !== '0';
  }

  async userExists(h: RemoteHost, user: string): Promise<boolean> {
    const out = await this.sql(
      h,
      `SELECT count(*) FROM pg_roles WHERE rolname = ${pgString(user)};\n`,
      'Looking up the role',
    );
    return out.trim() !== '0';
  }

  createDatabase(name: string): string {
    return `CREATE DATABASE ${pgIdent(name)};`;
  }

  dropDatabase(name: string, ifExists: boolean): string {
    return `DROP DATABASE ${ifExists ? 'IF EXISTS ' : ''}${pgIdent(name)}${this.#major >= 13 ? ' WITH (FORCE)' : ''};`;
  }

  #password(password: string | null): string {
    if (password === null) return MASKED;
    return pgString(this.#major >= 10 ? scramSha256Verifier(password) : password);
  }

  createUser(user: string, _host: string, password: string | null): string {
    return `CREATE ROLE ${pgIdent(user)} LOGIN PASSWORD ${this.#password(password)};`;
  }

  dropUser(user: string, _host: string, ifExists: boolean): string {
    return `DROP ROLE ${ifExists ? 'IF EXISTS ' : ''}${pgIdent(user)};`;
  }

  setPassword(user: string, _host: string, password: string | null): string {
    return `ALTER ROLE ${pgIdent(user)} PASSWORD ${this.#password(password)};`;
  }

  /** The owner can create tables in its database (PostgreSQL 15 no longer lets PUBLIC create in `public`). */
  grant(name: string, user: string): string {
    return `ALTER DATABASE ${pgIdent(name)} OWNER TO ${pgIdent(user)};\nGRANT ALL PRIVILEGES ON DATABASE ${pgIdent(name)} TO ${pgIdent(user)};`;
  }

  revoke(name: string, user: string): string {
    return `REVOKE ALL PRIVILEGES ON DATABASE ${pgIdent(name)} FROM ${pgIdent(user)};\nALTER DATABASE ${pgIdent(name)} OWNER TO CURRENT_USER;`;
  }

  async currentPasswordRestore(h: RemoteHost, user: string): Promise<string | null> {
    const r = await this.sql(
      h,
      `SELECT COALESCE(rolpassword, '-') FROM pg_authid WHERE rolname = ${pgString(user)};\n`,
      'Reading the current password verifier',
    ).catch(() => null);
    const v = r?.trim() ?? '';
    if (v === '') return null;
    return `ALTER ROLE ${pgIdent(user)} PASSWORD ${v === '-' ? 'NULL' : pgString(v)};`;
  }

  async verifyLogin(h: RemoteHost, user: string, _host: string, password: string, database: string): Promise<string> {
    const pgpass = `localhost:*:${pgpassField(database)}:${pgpassField(user)}:${pgpassField(password)}\n`;
    const r = await runWithSecretFile(h, pgpass, [
      'env',
      `PGPASSFILE=${SECRET_FILE}`,
      'psql',
      '-X',
      '-A',
      '-t',
      '-w',
      '-h',
      'localhost',
      `--username=${user}`,
      `--dbname=${database}`,
      '--command=SELECT current_user, current_database()',
    ]);
    if (r.code !== 0) {
      throw new AppError('VALIDATION', `Connecting as ${user} failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
    }
    const [who, db] = r.stdout.trim().split('|');
    if (who !== user || db !== database) {
      throw new AppError(
        'VALIDATION',
        `Connected, but as ${who ?? '?'} to ${db ?? '?'} instead of ${user} to ${database}.`,
      );
    }
    return `connected as ${who} to ${db}`;
  }
}

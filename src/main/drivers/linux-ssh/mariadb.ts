import { AppError } from '../../../shared/errors';
import type { DbAdmin } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import {
  MASKED,
  SECRET_FILE,
  expectOk,
  mysqlNativeHash,
  runWithSecretFile,
  type EngineDatabase,
  type EngineOps,
  type EngineUser,
} from './db-client';

/** A MariaDB/MySQL string literal: backslash and quote escaped, control characters refused. */
export function mysqlString(s: string): string {
  if (/[\0\r\n]/.test(s) || s.includes(String.fromCharCode(26)))
    throw new AppError('VALIDATION', 'A database value cannot contain control characters.');
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A MariaDB/MySQL identifier in backticks. */
export function mysqlIdent(s: string): string {
  return `\`${s.replace(/`/g, '``')}\``;
}

/** A database name in GRANT/REVOKE, where `_` and `%` are wildcards unless escaped. */
export function mysqlGrantDb(name: string): string {
  return mysqlIdent(name.replace(/[\\_%]/g, '\\$&'));
}

/** `'user'@'host'`. */
export function mysqlAccount(user: string, host: string): string {
  return `${mysqlString(user)}@${mysqlString(host)}`;
}

/** A value in a client option file: double-quoted (so `#` is no comment), backslashes doubled, one line. */
export function optionFileValue(s: string): string {
  if (/[\0\r\n]/.test(s)) throw new AppError('VALIDATION', 'A database credential cannot contain line breaks.');
  return `"${s.replace(/\\/g, '\\\\')}"`;
}

/** Undoes the escapes of `mariadb --batch` output (\t \n \\ \0). */
export function unescapeBatch(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c);
}

/** `'user'@'host'` as information_schema prints a GRANTEE → [user, host]. */
export function parseGrantee(g: string): [string, string] | null {
  const m = /^'((?:[^']|'')*)'@'((?:[^']|'')*)'$/.exec(g);
  return m ? [(m[1] ?? '').replace(/''/g, "'"), (m[2] ?? '').replace(/''/g, "'")] : null;
}

const SYSTEM_SCHEMAS = "('information_schema','performance_schema','mysql','sys')";

const INVENTORY_SQL = [
  `SELECT 'db', s.SCHEMA_NAME, s.DEFAULT_CHARACTER_SET_NAME, s.DEFAULT_COLLATION_NAME, COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0) FROM information_schema.SCHEMATA s LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME WHERE s.SCHEMA_NAME NOT IN ${SYSTEM_SCHEMAS} GROUP BY s.SCHEMA_NAME, s.DEFAULT_CHARACTER_SET_NAME, s.DEFAULT_COLLATION_NAME;`,
  "SELECT 'user', User, Host, Super_priv FROM mysql.user;",
  "SELECT 'grant', GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES;",
  "SELECT 'global', GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE <> 'USAGE';",
  '',
].join('\n');

/** Parses the tagged rows of INVENTORY_SQL (exported for unit tests). */
export function parseMariaInventory(out: string): { databases: EngineDatabase[]; users: EngineUser[] } {
  const rows = out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t').map(unescapeBatch));
  const users = new Map<string, EngineUser>();
  const grants = new Map<string, Map<string, string[]>>();
  const key = (u: string, h: string) => `${u}@${h}`;
  for (const r of rows) {
    if (r[0] === 'user' && r[1] !== undefined && r[1] !== '') {
      users.set(key(r[1], r[2] ?? ''), { name: r[1], host: r[2] ?? '', grants: [], superuser: r[3] === 'Y' });
    }
  }
  const addGrant = (grantee: string, db: string, priv: string) => {
    const acct = parseGrantee(grantee);
    if (!acct) return;
    const k = key(acct[0], acct[1]);
    const byDb = grants.get(k) ?? new Map<string, string[]>();
    const list = byDb.get(db) ?? [];
    if (!list.includes(priv)) list.push(priv);
    byDb.set(db, list);
    grants.set(k, byDb);
  };
  for (const r of rows) {
    if (r[0] === 'grant') addGrant(r[1] ?? '', (r[2] ?? '').replace(/\\([_%\\])/g, '$1'), r[3] ?? '');
    if (r[0] === 'global') addGrant(r[1] ?? '', '*', r[2] ?? '');
  }
  for (const [k, byDb] of grants) {
    const u = users.get(k);
    if (!u) continue;
    users.set(k, { ...u, grants: [...byDb].map(([database, privileges]) => ({ database, privileges })) });
  }
  const databases: EngineDatabase[] = rows
    .filter((r) => r[0] === 'db')
    .map((r) => {
      const name = r[1] ?? '';
      const who = [...users.values()]
        .filter((u) => u.grants.some((g) => g.database === name))
        .map((u) => `${u.name}@${u.host ?? ''}`);
      const size = Number(r[4]);
      return {
        name,
        charset: r[2] ?? null,
        collation: r[3] ?? null,
        sizeBytes: Number.isFinite(size) && size >= 0 ? Math.round(size) : null,
        owner: null,
        users: who,
      };
    });
  return { databases, users: [...users.values()] };
}

/**
 * MariaDB (and MySQL, with `mysql` as the client and plain passwords) over SSH: the admin client runs as root
 * (unix_socket) or with a vault credential in a 0600 options file; every SQL statement travels on stdin.
 * Passwords are sent as their mysql_native_password hash (`IDENTIFIED BY PASSWORD '*…'`) on MariaDB, so the
 * plain password never reaches the server's logs.
 */
export class MariaDbOps implements EngineOps {
  readonly engine = 'mariadb' as const;
  readonly label: string;
  readonly adminCommand: string;
  readonly #bin: string;
  readonly #flavor: 'mariadb' | 'mysql';
  readonly #admin: DbAdmin;

  constructor(flavor: 'mariadb' | 'mysql', admin: DbAdmin) {
    this.#flavor = flavor;
    this.#bin = flavor;
    this.#admin = admin;
    this.label = flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
    this.adminCommand = admin
      ? `${this.#bin} --defaults-file=<0600 file with the admin credential> --batch`
      : `${this.#bin} --user=root --batch (unix_socket)`;
  }

  async sql(h: RemoteHost, sql: string, what: string): Promise<string> {
    const flags = ['--batch', '--skip-column-names', '--default-character-set=utf8mb4'];
    if (this.#admin === null) {
      return expectOk(await h.run([this.#bin, '--user=root', ...flags], { stdin: sql }), what);
    }
    const cnf = `[client]\nuser=${optionFileValue(this.#admin.user)}\npassword=${optionFileValue(this.#admin.password)}\n`;
    return expectOk(
      await runWithSecretFile(h, cnf, [this.#bin, `--defaults-file=${SECRET_FILE}`, ...flags], sql),
      what,
    );
  }

  async inventory(h: RemoteHost): Promise<{ databases: EngineDatabase[]; users: EngineUser[] }> {
    return parseMariaInventory(await this.sql(h, INVENTORY_SQL, `Listing ${this.label} databases`));
  }

  async databaseExists(h: RemoteHost, name: string): Promise<boolean> {
    const out = await this.sql(
      h,
      `SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${mysqlString(name)};\n`,
      'Looking up the database',
    );
    return out.trim() !== '0';
  }

  async userExists(h: RemoteHost, user: string, host: string): Promise<boolean> {
    const out = await this.sql(
      h,
      `SELECT COUNT(*) FROM mysql.user WHERE User = ${mysqlString(user)} AND Host = ${mysqlString(host)};\n`,
      'Looking up the user',
    );
    return out.trim() !== '0';
  }

  createDatabase(name: string, charset: string | null, collation: string | null): string {
    const cs = charset !== null && /^[a-z0-9_]+$/.test(charset) ? ` CHARACTER SET ${charset}` : '';
    const co = collation !== null && /^[a-z0-9_]+$/.test(collation) ? ` COLLATE ${collation}` : '';
    return `CREATE DATABASE ${mysqlIdent(name)}${cs}${co};`;
  }

  dropDatabase(name: string, ifExists: boolean): string {
    return `DROP DATABASE ${ifExists ? 'IF EXISTS ' : ''}${mysqlIdent(name)};`;
  }

  #identified(password: string | null): string {
    if (password === null) return `IDENTIFIED BY ${MASKED}`;
    return this.#flavor === 'mariadb'
      ? `IDENTIFIED BY PASSWORD ${mysqlString(mysqlNativeHash(password))}`
      : `IDENTIFIED BY ${mysqlString(password)}`;
  }

  createUser(user: string, host: string, password: string | null): string {
    return `CREATE USER ${mysqlAccount(user, host)} ${this.#identified(password)};`;
  }

  dropUser(user: string, host: string, ifExists: boolean): string {
    return `DROP USER ${ifExists ? 'IF EXISTS ' : ''}${mysqlAccount(user, host)};`;
  }

  setPassword(user: string, host: string, password: string | null): string {
    return `ALTER USER ${mysqlAccount(user, host)} ${this.#identified(password)};`;
  }

  grant(name: string, user: string, host: string): string {
    return `GRANT ALL PRIVILEGES ON ${mysqlGrantDb(name)}.* TO ${mysqlAccount(user, host)};`;
  }

  revoke(name: string, user: string, host: string): string {
    return `REVOKE ALL PRIVILEGES ON ${mysqlGrantDb(name)}.* FROM ${mysqlAccount(user, host)};`;
  }

  async currentPasswordRestore(h: RemoteHost, user: string, host: string): Promise<string | null> {
    const out = await this.sql(h, `SHOW CREATE USER ${mysqlAccount(user, host)};\n`, 'Reading the current account');
    const stmt = unescapeBatch(out.trim().split('\n')[0] ?? '');
    return /^CREATE USER /.test(stmt) ? `${stmt.replace(/^CREATE USER /, 'ALTER USER ')};` : null;
  }

  async verifyLogin(h: RemoteHost, user: string, host: string, password: string, database: string): Promise<string> {
    const tcp = host === '127.0.0.1' ? 'host=127.0.0.1\nprotocol=tcp\n' : '';
    const cnf = `[client]\nuser=${optionFileValue(user)}\npassword=${optionFileValue(password)}\n${tcp}`;
    const r = await runWithSecretFile(h, cnf, [
      this.#bin,
      `--defaults-file=${SECRET_FILE}`,
      '--batch',
      '--skip-column-names',
      `--database=${database}`,
      '--execute=SELECT CURRENT_USER(), DATABASE()',
    ]);
    if (r.code !== 0) {
      throw new AppError('VALIDATION', `Connecting as ${user} failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
    }
    const [who, db] = r.stdout.trim().split('\t');
    if (!who?.startsWith(`${user}@`) || db !== database) {
      throw new AppError(
        'VALIDATION',
        `Connected, but as ${who ?? '?'} to ${db ?? '?'} instead of ${user} to ${database}.`,
      );
    }
    return `connected as ${who} to ${db}`;
  }
}

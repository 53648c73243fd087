import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import type { DbEngine } from '../../../shared/remote-names';
import { AppError } from '../../../shared/errors';
import type { ExecResult } from '../../ssh/connection-manager';
import { firstLines, type RemoteHost } from '../remote-host';

/**
 * What the database plans share across engines: the secret-file runner (a password reaches a client only through
 * a 0600 file in a private temp dir, never argv or environment), password verifiers computed here so the plain
 * password need not travel at all for CREATE/ALTER, and the per-engine operations interface.
 */

/** Placeholder in an argv that the secret-file runner replaces with the path of the secret file. */
export const SECRET_FILE = '@CNF@';

/**
 * POSIX sh: reads exactly `$1` bytes of stdin into a 0600 file in a fresh `mktemp -d` folder, substitutes the
 * file's path for @CNF@ in the remaining argv, runs it with the rest of stdin (the SQL), and removes the folder
 * whatever happens. `dd bs=1` reads byte by byte, so not one byte of the SQL after the file is swallowed.
 */
const SECRET_FILE_SCRIPT = [
  'umask 077',
  'n=$1; shift',
  'd=$(mktemp -d) || exit 70',
  'trap \'rm -rf -- "$d"\' EXIT',
  "trap 'exit 129' HUP INT TERM",
  'dd bs=1 count="$n" of="$d/c" 2>/dev/null || exit 71',
  'for a do shift; case $a in *@CNF@*) a="${a%%@CNF@*}$d/c${a#*@CNF@}";; esac; set -- "$@" "$a"; done',
  '"$@"; rc=$?',
  'rm -rf -- "$d"',
  'exit $rc',
].join('\n');

/** Runs `argv` on the server with a secret file (see SECRET_FILE_SCRIPT); `stdin` follows the file's bytes. */
export function runWithSecretFile(
  h: RemoteHost,
  fileContent: string,
  argv: readonly string[],
  stdin = '',
): Promise<ExecResult> {
  const n = Buffer.byteLength(fileContent, 'utf8');
  return h.run(['sh', '-c', SECRET_FILE_SCRIPT, 'sh', String(n), ...argv], { stdin: fileContent + stdin });
}

/** Raises INTERNAL with `what` and the first lines of stderr unless the command succeeded. */
export function expectOk(r: ExecResult, what: string): string {
  if (r.code !== 0) {
    throw new AppError('INTERNAL', `${what} failed (exit ${String(r.code)}): ${firstLines(r.stderr || r.stdout)}`, {
      exitCode: r.code,
    });
  }
  return r.stdout;
}

/** MariaDB/MySQL `mysql_native_password` hash: `*` + upper-case hex of SHA1(SHA1(password)). */
export function mysqlNativeHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

/**
 * A PostgreSQL SCRAM-SHA-256 verifier (RFC 7677, as PostgreSQL stores it in pg_authid): the server can check a
 * login with it but cannot recover the password, so the plain password never reaches the server, its logs or
 * its statement statistics. Printable ASCII passwords are unchanged by SASLprep.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A database as one engine lists it (the capability adds server and engine). */
export type EngineDatabase = Omit<Database, 'serverId' | 'engine'>;
/** A user as one engine lists it. */
export type EngineUser = Omit<DatabaseUser, 'serverId' | 'engine' | 'credentialId'>;

/**
 * One database engine on one server, reached as admin (socket auth or a vault credential). SQL builders return
 * statements whose names were validated at the contract and are quoted anyway; `password: null` renders the
 * statement for the preview with the secret masked.
 */
export interface EngineOps {
  readonly engine: DbEngine;
  readonly label: string;
  /** The admin client command as the preview shows it (SQL goes over its stdin). */
  readonly adminCommand: string;
  /** Runs SQL as admin over stdin; returns stdout. */
  sql(h: RemoteHost, sql: string, what: string): Promise<string>;
  inventory(h: RemoteHost): Promise<{ databases: EngineDatabase[]; users: EngineUser[] }>;
  databaseExists(h: RemoteHost, name: string): Promise<boolean>;
  userExists(h: RemoteHost, user: string, host: string): Promise<boolean>;
  createDatabase(name: string, charset: string | null, collation: string | null): string;
  dropDatabase(name: string, ifExists: boolean): string;
  createUser(user: string, host: string, password: string | null): string;
  dropUser(user: string, host: string, ifExists: boolean): string;
  setPassword(user: string, host: string, password: string | null): string;
  grant(name: string, user: string, host: string): string;
  revoke(name: string, user: string, host: string): string;
  /** A statement that restores the user's current password (its stored hash), or null when it cannot be read. */
  currentPasswordRestore(h: RemoteHost, user: string, host: string): Promise<string | null>;
  /** Connects as the user with `password` (a 0600 secret file) to `database`; returns what the server said. */
  verifyLogin(h: RemoteHost, user: string, host: string, password: string, database: string): Promise<string>;
}

/** What a masked password looks like in a previewed statement. */
export const MASKED = "'••••'";

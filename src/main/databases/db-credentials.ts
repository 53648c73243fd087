import { randomInt } from 'node:crypto';
import type { CredentialInput, CredentialPatch, CredentialSummary } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { DbEngine } from '../../shared/remote-names';
import type { DbAdmin } from '../drivers/capabilities';
import type { z } from 'zod';

/** The part of the credentials service the databases feature uses (CredentialsService implements it). */
export interface DbCredentialStore {
  list(q: { kind?: CredentialSummary['kind'] | undefined }): CredentialSummary[];
  summary(id: string): CredentialSummary;
  create(input: z.output<typeof CredentialInput>): CredentialSummary;
  update(id: string, patch: CredentialPatch): CredentialSummary;
  delete(id: string, force: boolean): unknown;
  /** The secret, audited as used for `serverId`. */
  recordUse(credentialId: string, serverId: string, purpose: string): { secret: string };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A generated database password: 32 letters and digits from the CSPRNG (~190 bits). The alphabet needs no
 * escaping anywhere it goes (SQL, option files, pgpass).
 */
export function generateDbPassword(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A database account as the vault binds it: PostgreSQL roles have no host. */
export interface DbAccount {
  readonly serverId: string;
  readonly engine: DbEngine;
  readonly user: string;
  readonly host: string;
}

const hostOf = (a: DbAccount): string => (a.engine === 'postgresql' ? '-' : a.host);

/**
 * The line in a credential's notes that binds it to a database account on a server (sealed like every note).
 * `pending` marks a new password staged by a rotation that has not finished yet.
 */
export function bindingLine(a: DbAccount, pending = false): string {
  return `paneldeck-db-user${pending ? '-pending' : ''}: ${a.serverId} ${a.engine} ${a.user} ${hostOf(a)}`;
}

/** The admin binding line: a password or login credential with it in its notes is used as the engine's admin. */
export function adminBindingLine(serverId: string, engine: DbEngine): string {
  return `paneldeck-db-admin: ${serverId} ${engine}`;
}

const hasLine = (notes: string, line: string): boolean => notes.split('\n').some((l) => l.trim() === line);

/** The vault credential bound to `a` (not a pending one), if any. */
export function boundCredential(store: DbCredentialStore, a: DbAccount): CredentialSummary | undefined {
  const line = bindingLine(a);
  return store.list({ kind: 'password' }).find((c) => hasLine(c.notes, line));
}

/** Every bound credential on a server, by `engine user host` (for databases.list). */
export function boundCredentials(store: DbCredentialStore, serverId: string): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `paneldeck-db-user: ${serverId} `;
  for (const c of store.list({ kind: 'password' })) {
    for (const l of c.notes.split('\n')) {
      if (l.startsWith(prefix)) out.set(l.slice(prefix.length).trim(), c.id);
    }
  }
  return out;
}

/** The key `boundCredentials` uses for an account. */
export function bindingKey(engine: DbEngine, user: string, host: string | null): string {
  return `${engine} ${user} ${engine === 'postgresql' ? '-' : (host ?? '')}`;
}

/** The fields of a new bound credential. */
export function boundCredentialInput(
  a: DbAccount,
  serverName: string,
  secret: string,
  pending: boolean,
): z.output<typeof CredentialInput> {
  const label = a.engine === 'postgresql' ? `PostgreSQL ${a.user}` : `MariaDB ${a.user}@${a.host}`;
  return {
    name: `${label} on ${serverName}${pending ? ' (new, pending)' : ''}`.slice(0, 120),
    kind: 'password',
    secret,
    username: a.user,
    passphrase: null,
    notes: `Database user ${a.user} on ${serverName}, managed by PanelDeck.\n${bindingLine(a, pending)}`,
  };
}

/**
 * The admin access for an engine: the credential given, else one whose notes bind it as this server's admin
 * for the engine, else null (the server's own socket auth). Returns the secret too, for the plan's redaction.
 */
export function resolveAdmin(
  store: DbCredentialStore,
  serverId: string,
  engine: DbEngine,
  credentialId: string | undefined,
): DbAdmin {
  let id = credentialId;
  if (id === undefined) {
    const line = adminBindingLine(serverId, engine);
    id = store.list({}).find((c) => (c.kind === 'password' || c.kind === 'login') && hasLine(c.notes, line))?.id;
  }
  if (id === undefined) return null;
  const c = store.summary(id);
  if (c.kind !== 'password' && c.kind !== 'login') {
    throw new AppError('VALIDATION', 'The admin credential must be a password or a login.', {
      field: 'adminCredentialId',
    });
  }
  const user = c.username?.trim() || (engine === 'postgresql' ? 'postgres' : 'root');
  const { secret } = store.recordUse(id, serverId, `${engine === 'postgresql' ? 'PostgreSQL' : 'MariaDB'} admin`);
  return { user, password: secret };
}

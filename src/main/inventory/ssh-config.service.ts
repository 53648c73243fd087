import type { ServiceContext } from '../core/service-context';
import os from 'node:os';
import path from 'node:path';
import type { CredentialSummary, Server, SshConfigPreview } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import { readUserFile, resolveUserPath, USER_FILE_LIMITS } from '../core/user-files';
import type { CredentialRecord } from '../vault/record-kinds';
import { registerSecret } from '../vault/redact';
import type { VaultService } from '../vault/vault.service';
import type { CredentialsService } from './credentials.service';
import { emitChanges } from './inventory-events';
import { readSshConfig, jumpAlias, type SshConfigEntry } from './ssh-config-reader';
import { inspectPrivateKey, isEncryptedKey, type KeyInfo } from './ssh-keys';

/** Where to read from: a path (default ~/.ssh/config) or the text itself; optionally only some aliases. */
export interface SshConfigSource {
  readonly path?: string | undefined;
  readonly text?: string | undefined;
  readonly aliases?: string[] | undefined;
  readonly defaultUser?: string | undefined;
  /** Base for a relative `path` (the CLI's working directory); null refuses relative paths. */
  readonly cwd?: string | null | undefined;
}

type Note = { alias: string; reason: string };
type KeyFile = { file: string; text: string; info: KeyInfo };

/** Imports hosts from an OpenSSH client config: servers, with IdentityFile keys as ssh-key credentials. */
export class SshConfigService {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #credentials: CredentialsService;
  readonly #events: EventBus | undefined;
  readonly #home: string;

  constructor(deps: {
    vault: VaultService;
    ctx: ServiceContext;
    credentials: CredentialsService;
    events?: EventBus;
    homeDir?: string;
  }) {
    this.#ctx = deps.ctx;
    this.#vault = deps.vault;
    this.#credentials = deps.credentials;
    this.#events = deps.events;
    this.#home = deps.homeDir ?? os.homedir();
  }

  /** What an import would create and skip (and what it would import without, as warnings). */
  async preview(src: SshConfigSource): Promise<SshConfigPreview> {
    const plan = await this.#plan(src);
    return {
      create: plan.entries.map((e) => ({ ...e, name: e.alias })),
      skip: plan.skip,
      warnings: plan.warnings,
    };
  }

  /** Creates the servers (and key credentials) of the preview, in one transaction. */
  async import(src: SshConfigSource): Promise<{
    created: Server[];
    credentials: CredentialSummary[];
    skipped: Note[];
    warnings: Note[];
  }> {
    const plan = await this.#plan(src);
    const records = this.#vault.records();
    const now = this.#ctx.clock.now();
    const ids = new Map(plan.entries.map((e) => [e.alias, this.#ctx.newId()]));
    const existingByName = new Map([...records.all('server').values()].map((s) => [s.name, s.id]));
    const byFingerprint = new Map<string, string>();
    for (const c of records.all('credential').values()) if (c.fingerprint) byFingerprint.set(c.fingerprint, c.id);
    const newCreds: CredentialRecord[] = [];
    const servers: Server[] = [];
    for (const e of plan.entries) {
      const key = plan.keys.get(e.alias);
      let credentialId: string | null = null;
      if (key) {
        credentialId = byFingerprint.get(key.info.fingerprint) ?? null;
        if (credentialId === null) {
          const cred: CredentialRecord = {
            id: this.#ctx.newId(),
            name: `${path.basename(key.file)} (${key.info.keyType})`.slice(0, 120),
            kind: 'ssh-key',
            secret: key.text,
            username: null,
            passphrase: null,
            notes: `Imported from ${key.file}`,
            publicKey: key.info.publicKey,
            fingerprint: key.info.fingerprint,
            keyType: key.info.keyType,
            createdAt: now,
            updatedAt: now,
          };
          registerSecret(this.#ctx.logger.redactor, cred.secret);
          newCreds.push(cred);
          byFingerprint.set(cred.fingerprint ?? '', cred.id);
          credentialId = cred.id;
        }
      }
      const jumpHostIds = e.proxyJump
        .map((hop) => plan.sameAs.get(jumpAlias(hop)) ?? jumpAlias(hop))
        .map((a) => ids.get(a) ?? existingByName.get(a) ?? null)
        .filter((j): j is string => j !== null);
      servers.push({
        id: ids.get(e.alias) ?? this.#ctx.newId(),
        name: e.alias,
        host: e.host,
        port: e.port,
        user: e.user,
        auth: credentialId ? 'key' : 'agent',
        credentialId,
        jumpHostIds,
        tags: ['ssh-config'],
        group: null,
        notes: '',
        panels: [],
        createdAt: now,
        updatedAt: now,
      });
    }
    records.write({
      put: [
        ...newCreds.map((c) => ({ kind: 'credential' as const, id: c.id, data: c })),
        ...servers.map((s) => ({ kind: 'server' as const, id: s.id, data: s })),
      ],
    });
    emitChanges(this.#events, [
      ...newCreds.map((c) => ({ kind: 'credential' as const, id: c.id, change: 'created' as const })),
      ...servers.map((s) => ({ kind: 'server' as const, id: s.id, change: 'created' as const })),
    ]);
    return {
      created: servers.map((s) => this.#vault.records().get('server', s.id, 'server')),
      credentials: newCreds.map((c) => this.#credentials.summary(c.id)),
      skipped: plan.skip,
      warnings: plan.warnings,
    };
  }

  async #plan(src: SshConfigSource) {
    const records = this.#vault.records();
    const text = src.text ?? (await this.#readConfig(src.path, src.cwd ?? null));
    const read = await readSshConfig(text, { homeDir: this.#home, defaultUser: src.defaultUser ?? localUser() });
    const existing = new Set([...records.all('server').values()].map((s) => s.name));
    const skip = [...read.skip];
    const warnings: Note[] = [];
    const keys = new Map<string, KeyFile>();
    const entries: SshConfigEntry[] = [];
    const wanted = src.aliases ? new Set(src.aliases) : null;
    // The same user@host:port twice (two aliases for one machine, or one already in the vault) is one server.
    const byAddress = new Map<string, string>();
    for (const s of records.all('server').values()) byAddress.set(addressKey(s), s.name);
    /** Alias of a skipped duplicate -> the alias (or vault server name) it duplicates, for jump references. */
    const sameAs = new Map<string, string>();
    let defaultKey: Promise<KeyFile | null> | undefined;
    for (const e of read.entries) {
      if (wanted && !wanted.has(e.alias)) continue;
      if (existing.has(e.alias)) {
        skip.push({ alias: e.alias, reason: 'A server with this name is already in the vault.' });
        continue;
      }
      const twin = byAddress.get(addressKey(e));
      if (twin !== undefined) {
        const where = existing.has(twin) ? 'already in the vault' : 'earlier in this file';
        skip.push({ alias: e.alias, reason: `Same address (${addressKey(e)}) as "${twin}", ${where}.` });
        sameAs.set(e.alias, twin);
        continue;
      }
      byAddress.set(addressKey(e), e.alias);
      if (e.identityFile) {
        entries.push(e);
        const key = await loadKey(e.identityFile);
        if ('reason' in key) warnings.push({ alias: e.alias, reason: key.reason });
        else keys.set(e.alias, key);
        continue;
      }
      // No IdentityFile: ssh would offer its default keys (~/.ssh/id_rsa, id_ecdsa, id_ed25519); the first usable
      // one becomes the server's key credential, else it signs in with the agent.
      defaultKey ??= this.#defaultIdentity();
      const key = await defaultKey;
      entries.push(key ? { ...e, identityFile: key.file } : e);
      if (key) keys.set(e.alias, key);
      else {
        warnings.push({
          alias: e.alias,
          reason:
            'No IdentityFile, and no default key (~/.ssh/id_rsa, id_ecdsa, id_ed25519) that opens without a ' +
            'passphrase: it will sign in with the SSH agent.',
        });
      }
    }
    const aliases = new Set(entries.map((e) => e.alias));
    for (const e of entries) {
      for (const hop of e.proxyJump) {
        const a = sameAs.get(jumpAlias(hop)) ?? jumpAlias(hop);
        if (!aliases.has(a) && !existing.has(a)) {
          warnings.push({
            alias: e.alias,
            reason: `Jump host "${a}" is not part of this import; the jump is left out.`,
          });
        }
      }
    }
    return { entries, skip, warnings, keys, sameAs };
  }

  /**
   * The first of OpenSSH's default identity files (ssh_config(5) IdentityFile: id_rsa, id_ecdsa, id_ed25519; the
   * hardware-backed _sk ones cannot be used here, id_dsa is gone from current OpenSSH) that exists and can be used
   * without a passphrase, or null.
   */
  async #defaultIdentity(): Promise<KeyFile | null> {
    for (const name of DEFAULT_IDENTITY_FILES) {
      const key = await loadKey(path.join(this.#home, '.ssh', name));
      if (!('reason' in key)) return key;
    }
    return null;
  }

  #readConfig(p: string | undefined, cwd: string | null): Promise<string> {
    const what = 'the SSH config file';
    const file = p ? resolveUserPath(p, { home: this.#home, cwd, what }) : path.join(this.#home, '.ssh', 'config');
    return readUserFile(file, { what, maxBytes: USER_FILE_LIMITS.sshConfig });
  }
}

async function loadKey(file: string): Promise<KeyFile | { reason: string }> {
  let text: string;
  try {
    text = await readUserFile(file, { what: 'the IdentityFile', maxBytes: USER_FILE_LIMITS.privateKey });
  } catch (e) {
    const errno = e instanceof AppError ? (e.details?.errno ?? e.code) : null;
    const why = typeof errno === 'string' ? ` (${errno})` : '';
    return { reason: `IdentityFile ${file} cannot be read${why}; imported without a key.` };
  }
  if (isEncryptedKey(text)) {
    return { reason: `IdentityFile ${file} is encrypted; import it with its passphrase (keys.import).` };
  }
  try {
    return { file, text, info: inspectPrivateKey(text, null) };
  } catch {
    return { reason: `IdentityFile ${file} is not a private key this app can read.` };
  }
}

/** OpenSSH's default identity files, in the order ssh offers them (ssh_config(5), IdentityFile). */
const DEFAULT_IDENTITY_FILES = ['id_rsa', 'id_ecdsa', 'id_ed25519'];

/** `user@host:port`, host lower-cased: two entries with the same one are the same server. */
function addressKey(e: { user: string; host: string; port: number }): string {
  return `${e.user}@${e.host.toLowerCase()}:${e.port}`;
}

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

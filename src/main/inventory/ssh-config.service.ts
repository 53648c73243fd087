import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CredentialSummary, Server, SshConfigPreview } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import { newId } from '../vault/crypto';
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
}

type Note = { alias: string; reason: string };
type KeyFile = { file: string; text: string; info: KeyInfo };

/** Imports hosts from an OpenSSH client config: servers, with IdentityFile keys as ssh-key credentials. */
export class SshConfigService {
  readonly #vault: VaultService;
  readonly #credentials: CredentialsService;
  readonly #events: EventBus | undefined;
  readonly #home: string;

  constructor(deps: { vault: VaultService; credentials: CredentialsService; events?: EventBus; homeDir?: string }) {
    this.#vault = deps.vault;
    this.#credentials = deps.credentials;
    this.#events = deps.events;
    this.#home = deps.homeDir ?? os.homedir();
  }

  /** What an import would create and skip (and what it would import without, as warnings). */
  preview(src: SshConfigSource): SshConfigPreview {
    const plan = this.#plan(src);
    return {
      create: plan.entries.map((e) => ({ ...e, name: e.alias })),
      skip: plan.skip,
      warnings: plan.warnings,
    };
  }

  /** Creates the servers (and key credentials) of the preview, in one transaction. */
  import(src: SshConfigSource): {
    created: Server[];
    credentials: CredentialSummary[];
    skipped: Note[];
    warnings: Note[];
  } {
    const plan = this.#plan(src);
    const records = this.#vault.records();
    const now = this.#vault.clock.now();
    const ids = new Map(plan.entries.map((e) => [e.alias, newId()]));
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
            id: newId(),
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
          registerSecret(this.#vault.logger.redactor, cred.secret);
          newCreds.push(cred);
          byFingerprint.set(cred.fingerprint ?? '', cred.id);
          credentialId = cred.id;
        }
      }
      const jumpHostIds = e.proxyJump
        .map((hop) => ids.get(jumpAlias(hop)) ?? existingByName.get(jumpAlias(hop)) ?? null)
        .filter((j): j is string => j !== null);
      servers.push({
        id: ids.get(e.alias) ?? newId(),
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

  #plan(src: SshConfigSource) {
    const records = this.#vault.records();
    const text = src.text ?? this.#readConfig(src.path);
    const read = readSshConfig(text, { homeDir: this.#home, defaultUser: src.defaultUser ?? localUser() });
    const existing = new Set([...records.all('server').values()].map((s) => s.name));
    const skip = [...read.skip];
    const warnings: Note[] = [];
    const keys = new Map<string, KeyFile>();
    const entries: SshConfigEntry[] = [];
    const wanted = src.aliases ? new Set(src.aliases) : null;
    for (const e of read.entries) {
      if (wanted && !wanted.has(e.alias)) continue;
      if (existing.has(e.alias)) {
        skip.push({ alias: e.alias, reason: 'A server with this name is already in the vault.' });
        continue;
      }
      entries.push(e);
      if (e.identityFile) {
        const key = loadKey(e.identityFile);
        if ('reason' in key) warnings.push({ alias: e.alias, reason: key.reason });
        else keys.set(e.alias, key);
      }
    }
    const aliases = new Set(entries.map((e) => e.alias));
    for (const e of entries) {
      for (const hop of e.proxyJump) {
        const a = jumpAlias(hop);
        if (!aliases.has(a) && !existing.has(a)) {
          warnings.push({
            alias: e.alias,
            reason: `Jump host "${a}" is not part of this import; the jump is left out.`,
          });
        }
      }
    }
    return { entries, skip, warnings, keys };
  }

  #readConfig(p: string | undefined): string {
    const file = p ? p.replace(/^~(?=\/|$)/, this.#home) : path.join(this.#home, '.ssh', 'config');
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', 'The SSH config file cannot be read.', { path: file });
    }
  }
}

function loadKey(file: string): KeyFile | { reason: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { reason: `IdentityFile ${file} cannot be read; imported without a key.` };
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

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

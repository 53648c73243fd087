import type { ServiceContext } from '../core/service-context';
import type { z } from 'zod';
import type { CredentialInput, CredentialPatch, CredentialSummary } from '../../shared/contract/inventory.contract';
import { CredentialInput as CredentialInputSchema } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Redactor } from '../core/logger';
import type { CredentialRecord } from '../vault/record-kinds';
import { registerSecret } from '../vault/redact';
import type { VaultService } from '../vault/vault.service';
import { emitChanges } from './inventory-events';
import { definedOnly } from './servers.service';
import { generateKey, inspectPrivateKey } from './ssh-keys';

export interface CredentialsDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  readonly events?: EventBus;
}

type NewCredential = z.output<typeof CredentialInput>;
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const KIND_LABEL: Record<CredentialRecord['kind'], string> = {
  password: 'password',
  'ssh-key': 'SSH key',
  'api-token': 'API token',
  login: 'login',
};

/**
 * Credentials and SSH keys. Secrets leave this service only through `reveal`, `exportPrivate` and `secretFor`
 * (the SSH layer), and each of those writes an audit line. Every secret is registered with the log redactor.
 */
export class CredentialsService {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #events: EventBus | undefined;

  constructor(deps: CredentialsDeps) {
    this.#vault = deps.vault;
    this.#ctx = deps.ctx;
    this.#events = deps.events;
  }

  /** Credentials matching the filters, secrets masked, sorted by name. */
  list(q: { query?: string | undefined; kind?: CredentialRecord['kind'] | undefined }): CredentialSummary[] {
    const usage = this.#usage();
    const text = q.query?.trim().toLowerCase() ?? '';
    const out: CredentialSummary[] = [];
    for (const c of this.#vault.records().all('credential').values()) {
      if (q.kind !== undefined && c.kind !== q.kind) continue;
      if (
        text !== '' &&
        ![c.name, c.username ?? '', c.notes, c.fingerprint ?? ''].join('\n').toLowerCase().includes(text)
      )
        continue;
      out.push(summarize(c, usage.get(c.id) ?? []));
    }
    return out.sort((a, b) => collator.compare(a.name, b.name));
  }

  /** One credential, masked. */
  summary(id: string): CredentialSummary {
    return summarize(this.#get(id), this.#usage().get(id) ?? []);
  }

  /** Stores a credential; an ssh-key secret must parse as a private key (with its passphrase). */
  create(input: NewCredential): CredentialSummary {
    const rec = this.#build(this.#ctx.newId(), input, null);
    this.#vault.records().write({
      put: [
        { kind: 'credential', id: rec.id, data: rec },
        this.#vault.auditRecord('credential.created', `Credential "${rec.name}" (${KIND_LABEL[rec.kind]}) added`, {
          credentialId: rec.id,
        }),
      ],
    });
    emitChanges(this.#events, [{ kind: 'credential', id: rec.id, change: 'created' }]);
    return summarize(rec, []);
  }

  /**
   * Stores a credential and makes it the server's sign-in credential, in one transaction (a password typed at
   * connect time with "remember in the vault" ticked).
   */
  createForServer(serverId: string, input: NewCredential): CredentialSummary {
    const records = this.#vault.records();
    const server = records.get('server', serverId, 'server');
    const rec = this.#build(this.#ctx.newId(), input, null);
    const bound = { ...server, credentialId: rec.id, updatedAt: this.#ctx.clock.now() };
    records.write({
      put: [
        { kind: 'credential', id: rec.id, data: rec },
        { kind: 'server', id: serverId, data: bound },
        this.#vault.auditRecord(
          'credential.created',
          `Credential "${rec.name}" (${KIND_LABEL[rec.kind]}) added for ${server.name}`,
          {
            credentialId: rec.id,
            serverId,
          },
        ),
      ],
    });
    emitChanges(this.#events, [
      { kind: 'credential', id: rec.id, change: 'created' },
      { kind: 'server', id: serverId, change: 'updated' },
    ]);
    return summarize(rec, [serverId]);
  }

  /** Applies a patch; the merged credential is validated (and an ssh-key re-parsed) before anything is written. */
  update(id: string, patch: CredentialPatch): CredentialSummary {
    const current = this.#get(id);
    const merged = CredentialInputSchema.safeParse({ ...current, ...definedOnly(patch) });
    if (!merged.success) throw new AppError('VALIDATION', 'The changed credential is not valid.');
    const rec = this.#build(id, merged.data, current);
    const changed = (Object.keys(definedOnly(patch)) as (keyof CredentialPatch)[]).join(', ') || 'nothing';
    this.#vault.records().write({
      put: [
        { kind: 'credential', id, data: rec },
        this.#vault.auditRecord(
          'credential.updated',
          `Credential "${rec.name}" (${KIND_LABEL[rec.kind]}) changed: ${changed}`,
          {
            credentialId: id,
          },
        ),
      ],
    });
    emitChanges(this.#events, [{ kind: 'credential', id, change: 'updated' }]);
    return this.summary(id);
  }

  /** Deletes a credential; IN_USE (naming the servers) while used, unless `force`, which detaches it first. */
  delete(id: string, force: boolean): { id: string; detachedFrom: string[] } {
    const gone = this.#get(id);
    const records = this.#vault.records();
    // A panel account cannot be without its credential: removing it is the way (even with force).
    const panels = [...records.all('panel').values()].filter((p) => p.credentialId === id);
    if (panels.length > 0) {
      throw new AppError('IN_USE', `This credential signs in to the panel ${panels.map((p) => p.name).join(', ')}.`, {
        panels: panels.map((p) => ({ id: p.id, name: p.name })),
      });
    }
    const users = [...records.all('server').values()].filter(
      (s) => s.credentialId === id || s.panels.some((p) => p.credentialId === id),
    );
    if (users.length > 0 && !force) {
      const names = users.slice(0, 5).map((s) => s.name);
      const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
      throw new AppError('IN_USE', `This credential is used by ${names.join(', ')}${more}.`, {
        servers: users.map((s) => ({ id: s.id, name: s.name })),
      });
    }
    const now = this.#ctx.clock.now();
    const detached = users.map((s) => ({
      ...s,
      credentialId: s.credentialId === id ? null : s.credentialId,
      panels: s.panels.map((p) => (p.credentialId === id ? { ...p, credentialId: null } : p)),
      updatedAt: now,
    }));
    const from =
      detached.length > 0 ? ` (detached from ${detached.length} server${detached.length === 1 ? '' : 's'})` : '';
    records.write({
      delete: [id],
      put: [
        ...detached.map((s) => ({ kind: 'server' as const, id: s.id, data: s })),
        this.#vault.auditRecord(
          'credential.deleted',
          `Credential "${gone.name}" (${KIND_LABEL[gone.kind]}) deleted${from}`,
          {
            credentialId: id,
          },
        ),
      ],
    });
    emitChanges(this.#events, [
      { kind: 'credential', id, change: 'deleted' },
      ...detached.map((s) => ({ kind: 'server' as const, id: s.id, change: 'updated' as const })),
    ]);
    return { id, detachedFrom: users.map((s) => s.id) };
  }

  /** Returns a secret to show or copy; audited. */
  reveal(id: string, purpose: 'reveal' | 'copy'): { secret: string } {
    const c = this.#get(id);
    this.#vault.audit(
      purpose === 'reveal' ? 'secret.revealed' : 'secret.copied',
      `${KIND_LABEL[c.kind]} "${c.name}" ${purpose === 'reveal' ? 'revealed' : 'copied'}`,
      { credentialId: id },
    );
    return { secret: c.secret };
  }

  /** Generates an SSH key pair and stores it as an ssh-key credential. */
  async generateKey(input: {
    name: string;
    type: 'ed25519' | 'rsa';
    passphrase: string | null;
    comment: string;
  }): Promise<CredentialSummary> {
    this.#vault.records();
    registerSecret(this.#redactor(), input.passphrase);
    const privateKey = await generateKey(input.type, input.comment, input.passphrase);
    return this.create({
      name: input.name,
      kind: 'ssh-key',
      secret: privateKey,
      username: null,
      passphrase: input.passphrase,
      notes: '',
    });
  }

  /** Imports an OpenSSH or PEM private key (the passphrase is checked by opening the key). */
  importKey(input: { name: string; privateKey: string; passphrase: string | null }): CredentialSummary {
    return this.create({
      name: input.name,
      kind: 'ssh-key',
      secret: input.privateKey,
      username: null,
      passphrase: input.passphrase,
      notes: '',
    });
  }

  /** The only way a private key leaves the core on request; audited. */
  exportPrivate(id: string): { privateKey: string } {
    const c = this.#get(id);
    if (c.kind !== 'ssh-key') throw new AppError('VALIDATION', 'Only SSH keys can be exported.');
    this.#vault.audit('secret.exported', `SSH key "${c.name}" exported`, { credentialId: id });
    return { privateKey: c.secret };
  }

  /**
   * For the SSH layer (not in the contract): the secret of `credentialId`, recorded as used for `serverId`,
   * e.g. "password of db-1 used for SSH".
   */
  recordUse(credentialId: string, serverId: string, purpose: string): { secret: string; passphrase: string | null } {
    const c = this.#get(credentialId);
    const server = this.#vault.records().get('server', serverId, 'server');
    this.#vault.audit('secret.used', `${KIND_LABEL[c.kind]} of ${server.name} used for ${purpose} ("${c.name}")`, {
      credentialId,
      serverId,
    });
    return { secret: c.secret, passphrase: c.passphrase };
  }

  #build(id: string, input: NewCredential, current: CredentialRecord | null): CredentialRecord {
    this.#vault.records();
    registerSecret(this.#redactor(), input.secret);
    registerSecret(this.#redactor(), input.passphrase);
    const key = input.kind === 'ssh-key' ? inspectPrivateKey(input.secret, input.passphrase) : null;
    const now = this.#ctx.clock.now();
    return {
      id,
      name: input.name,
      kind: input.kind,
      secret: input.secret,
      username: input.username,
      passphrase: input.kind === 'ssh-key' ? input.passphrase || null : null,
      notes: input.notes,
      publicKey: key?.publicKey ?? null,
      fingerprint: key?.fingerprint ?? null,
      keyType: key?.keyType ?? null,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
  }

  #get(id: string): CredentialRecord {
    return this.#vault.records().get('credential', id, 'credential');
  }

  #usage(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    const add = (cred: string | null, server: string) => {
      if (cred === null) return;
      const list = m.get(cred) ?? [];
      if (!list.includes(server)) list.push(server);
      m.set(cred, list);
    };
    for (const s of this.#vault.records().all('server').values()) {
      add(s.credentialId, s.id);
      for (const p of s.panels) add(p.credentialId, s.id);
    }
    for (const p of this.#vault.records().all('panel').values()) add(p.credentialId, p.id);
    return m;
  }

  #redactor(): Redactor {
    return this.#ctx.logger.redactor;
  }
}

function summarize(c: CredentialRecord, usedBy: string[]): CredentialSummary {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    username: c.username,
    notes: c.notes,
    publicKey: c.publicKey,
    fingerprint: c.fingerprint,
    keyType: c.keyType,
    hasPassphrase: c.passphrase !== null && c.passphrase !== '',
    usedBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

import { z } from 'zod';
import { AuditEntry } from '../../shared/contract/vault.contract';
import { CredentialKind, Server } from '../../shared/contract/inventory.contract';
import { Snippet } from '../../shared/contract/snippets.contract';
import { TrustedHostKey } from '../../shared/contract/host-keys.contract';
import { PanelAccount } from '../../shared/contract/panels.contract';
import { AlertRule } from '../../shared/contract/alerts.contract';

/** A stored credential: the summary's fields plus the secret and passphrase (usedBy is computed, not stored). */
export const CredentialRecord = z.object({
  id: z.string(),
  name: z.string(),
  kind: CredentialKind,
  secret: z.string(),
  username: z.string().nullable(),
  passphrase: z.string().nullable(),
  notes: z.string(),
  publicKey: z.string().nullable(),
  fingerprint: z.string().nullable(),
  keyType: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type CredentialRecord = z.infer<typeof CredentialRecord>;

/**
 * A hashed known_hosts entry (`|1|salt|hash`) kept until a server with a matching host is first connected: the
 * host name cannot be recovered from it, so it waits to be matched (then becomes a plain 'host-key' record).
 */
export const HashedHostKeyRecord = z.object({
  id: z.string(),
  /** Base64 salt and HMAC-SHA1 of `host` or `[host]:port`, as in the file. */
  salt: z.string(),
  hash: z.string(),
  keyType: z.string(),
  fingerprint: z.string(),
  /** Base64 of the raw key blob. */
  publicKey: z.string(),
  addedAt: z.number().int(),
});
export type HashedHostKeyRecord = z.infer<typeof HashedHostKeyRecord>;

/** An ACME account: its key (PEM), one per directory URL + email (certificates feature). */
export const AcmeAccountRecord = z.object({
  id: z.string(),
  directoryUrl: z.string(),
  email: z.string(),
  accountKey: z.string(),
  createdAt: z.number().int(),
});
export type AcmeAccountRecord = z.infer<typeof AcmeAccountRecord>;

/**
 * Every kind of sealed record with the schema its plaintext must satisfy and its current schema version.
 * The version is part of the associated data, so an old-format ciphertext can never be read as a new one.
 */
export const RECORD_KINDS = {
  server: { version: 1, schema: Server },
  credential: { version: 1, schema: CredentialRecord },
  audit: { version: 1, schema: AuditEntry },
  'host-key': { version: 1, schema: TrustedHostKey },
  'host-key-hashed': { version: 1, schema: HashedHostKeyRecord },
  snippet: { version: 1, schema: Snippet },
  'acme-account': { version: 1, schema: AcmeAccountRecord },
  panel: { version: 1, schema: PanelAccount },
  'alert-rule': { version: 1, schema: AlertRule },
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
export type RecordData<K extends RecordKind> = z.output<(typeof RECORD_KINDS)[K]['schema']>;

/** True when `kind` names a known record kind. */
export function isRecordKind(kind: string): kind is RecordKind {
  return Object.hasOwn(RECORD_KINDS, kind);
}

/** Associated data of a record: id, kind and schema version (a ciphertext moved to another row fails). */
export function recordAad(id: string, kind: string, version: number): Buffer {
  return Buffer.from(`paneldeck-record\u0000${id}\u0000${kind}\u0000${version}`, 'utf8');
}

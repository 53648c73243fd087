import { z } from 'zod';
import { AuditEntry } from '../../shared/contract/vault.contract';
import { CredentialKind, Server } from '../../shared/contract/inventory.contract';

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
 * Every kind of sealed record with the schema its plaintext must satisfy and its current schema version.
 * The version is part of the associated data, so an old-format ciphertext can never be read as a new one.
 */
export const RECORD_KINDS = {
  server: { version: 1, schema: Server },
  credential: { version: 1, schema: CredentialRecord },
  audit: { version: 1, schema: AuditEntry },
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

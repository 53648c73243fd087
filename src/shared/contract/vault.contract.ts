import { z } from 'zod';
import { MasterPassword } from '../validators';
import { event, method, secret } from './define';

/** Key-derivation parameters, stored with the vault so they can be raised later. */
export const KdfParams = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int().min(65536),
  iterations: z.number().int().min(3),
  parallelism: z.number().int().min(1),
});
export type KdfParams = z.infer<typeof KdfParams>;

export const VaultStatus = z.object({
  /** A vault file exists in the data directory. */
  exists: z.boolean(),
  unlocked: z.boolean(),
  /** "Unlock with this computer" is set up (a wrapped copy of the data key + a key in the OS keychain). */
  keychainEnabled: z.boolean(),
  /** Minutes of inactivity before auto-lock; 0 = never. */
  autoLockMinutes: z.number().int().min(0).max(1440),
  kdf: KdfParams.nullable(),
  /** After failed unlocks: epoch ms before which another attempt is refused. */
  retryAfter: z.number().int().nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

const Empty = z.strictObject({});
const Password = z.strictObject({ password: secret(z.string().min(1).max(1024)) });

export const ImportConflictPolicy = z.enum(['skip', 'replace', 'keep-both']);

export const ImportPreview = z.object({
  items: z.array(
    z.object({
      kind: z.enum(['server', 'credential', 'snippet', 'host-key', 'panel', 'alert-rule']),
      name: z.string(),
      action: z.enum(['create', 'conflict', 'identical']),
    }),
  ),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const AuditAction = z.enum([
  'vault.created',
  'vault.unlocked',
  'vault.unlock-failed',
  'vault.locked',
  'vault.password-changed',
  'vault.keychain-enabled',
  'vault.keychain-disabled',
  'vault.exported',
  'vault.imported',
  'secret.revealed',
  'secret.copied',
  'secret.used',
  'secret.exported',
  'hostkey.trusted',
  'hostkey.replaced',
  'hostkey.removed',
  'hostkey.imported',
  'server.created',
  'server.updated',
  'server.deleted',
  'credential.created',
  'credential.updated',
  'credential.deleted',
  'panel.added',
  'panel.updated',
  'panel.removed',
  'panel.trusted',
  'alert-rule.changed',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.number().int(),
  action: AuditAction,
  /** Human-readable line, e.g. "password of db-1 used for SSH". Names only, never secret values. */
  detail: z.string(),
  credentialId: z.string().nullable(),
  serverId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The vault: create, unlock, lock, keychain unlock, password change, export/import, audit trail. */
export const vaultMethods = {
  'vault.status': method({
    input: Empty,
    output: VaultStatus,
    summary: 'Whether a vault exists and is unlocked, and its settings.',
  }),
  'vault.create': method({
    input: z.strictObject({ password: secret(MasterPassword) }),
    output: VaultStatus,
    summary: 'Create the vault with a master password (fails if one exists).',
  }),
  'vault.unlock': method({ input: Password, output: VaultStatus, summary: 'Unlock with the master password.' }),
  'vault.unlockWithKeychain': method({
    input: Empty,
    output: VaultStatus,
    summary: 'Unlock with the key kept in the OS keychain.',
  }),
  'vault.lock': method({
    input: Empty,
    output: VaultStatus,
    summary: 'Lock now: forget the data key and every decrypted record.',
  }),
  'vault.changePassword': method({
    input: z.strictObject({ current: secret(z.string().min(1).max(1024)), next: secret(MasterPassword) }),
    output: VaultStatus,
    summary: 'Change the master password (re-wraps the data key atomically).',
  }),
  'vault.setKeychain': method({
    input: z.strictObject({ enabled: z.boolean() }),
    output: VaultStatus,
    summary: 'Turn "unlock with this computer" on or off (off deletes the keychain entry).',
  }),
  'vault.setAutoLock': method({
    input: z.strictObject({ minutes: z.number().int().min(0).max(1440) }),
    output: VaultStatus,
    summary: 'Minutes of inactivity before the vault locks itself (0 = never).',
  }),
  'vault.export': method({
    input: z.strictObject({
      /** Absolute, or starting with ~/ (relative paths only from the CLI, against its working directory). */
      path: z.string().min(1).max(4096),
      password: secret(MasterPassword),
      /** Replace an existing file; without it an existing file is refused with FILE_EXISTS. */
      overwrite: z.boolean().optional(),
    }),
    output: z.object({ path: z.string(), records: z.number().int() }),
    summary: 'Write the whole vault to one file sealed with an export password (FILE_EXISTS unless "overwrite": true).',
  }),
  'vault.importPreview': method({
    input: z.strictObject({ path: z.string().min(1).max(4096), password: secret(z.string().min(1).max(1024)) }),
    output: ImportPreview,
    summary: 'Open an export file and list what importing it would create or conflict with.',
  }),
  'vault.import': method({
    input: z.strictObject({
      path: z.string().min(1).max(4096),
      password: secret(z.string().min(1).max(1024)),
      onConflict: ImportConflictPolicy,
    }),
    output: z.object({ created: z.number().int(), replaced: z.number().int(), skipped: z.number().int() }),
    summary: 'Merge an export file into this vault.',
  }),
  'audit.list': method({
    input: z.strictObject({
      action: AuditAction.optional(),
      query: z.string().max(200).optional(),
      since: z.number().int().optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    output: z.array(AuditEntry),
    summary:
      'The audit trail, newest first: unlocks, failed unlocks, every reveal, copy and use of a secret, and inventory changes.',
  }),
};

export const vaultEvents = {
  'vault.changed': event({
    payload: VaultStatus,
    summary: 'The vault was created, unlocked, locked (also by auto-lock) or reconfigured.',
  }),
};

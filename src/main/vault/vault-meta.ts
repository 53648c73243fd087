/** Minutes of inactivity before auto-lock in a new vault. */
export const DEFAULT_AUTO_LOCK_MINUTES = 15;

/**
 * Keys of the vault's clear `meta` table. None of them identifies a server or a person: the vault id is random,
 * the rest is KDF parameters, salt, wrapped keys, the failed-unlock counter and the auto-lock setting.
 */
export const META = {
  vaultId: 'vault_id',
  kdf: 'kdf',
  salt: 'salt',
  wrapped: 'wrapped_key',
  keychainWrapped: 'keychain_wrapped_key',
  failures: 'failures',
  lastFailure: 'last_failure_at',
  autoLock: 'auto_lock_minutes',
} as const;

/** Why the vault locked, for the audit line. */
export type LockReason = 'user' | 'idle' | 'suspend' | 'shutdown';

/** The audit detail of each lock reason. */
export const LOCK_DETAIL: Record<LockReason, string> = {
  user: 'Locked',
  idle: 'Locked after the idle time',
  suspend: 'Locked on suspend or screen lock',
  shutdown: 'Locked on exit',
};

/** Associated data of a wrapped data key: bound to this vault and to its slot (password or keychain). */
export function wrapAad(vaultId: string, slot: 'password' | 'keychain'): Buffer {
  return Buffer.from(`paneldeck-datakey\u0000${vaultId}\u0000${slot}`, 'utf8');
}

/** A sealed value as stored in a meta row. */
export function encodeSealed(s: { nonce: Buffer; ciphertext: Buffer }): string {
  return JSON.stringify({ nonce: s.nonce.toString('base64'), ciphertext: s.ciphertext.toString('base64') });
}

/** The inverse of encodeSealed; malformed text gives empty buffers (which then fail to open). */
export function decodeSealed(text: string): { nonce: Buffer; ciphertext: Buffer } {
  try {
    const o = JSON.parse(text) as { nonce?: string; ciphertext?: string };
    return { nonce: Buffer.from(o.nonce ?? '', 'base64'), ciphertext: Buffer.from(o.ciphertext ?? '', 'base64') };
  } catch {
    return { nonce: Buffer.alloc(0), ciphertext: Buffer.alloc(0) };
  }
}

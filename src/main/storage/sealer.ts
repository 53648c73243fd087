import { AppError } from '../../shared/errors';
import { padJson, seal, tryOpen, type Sealed } from '../vault/crypto';

export type { Sealed };

/**
 * The narrow view of the vault another store gets: AES-256-GCM under the vault's data key with associated
 * data, usable only while the vault is unlocked. No key ever leaves the vault through it.
 */
export interface Sealer {
  /** True while the vault is unlocked (seal and open work). */
  readonly ready: boolean;
  /** Seals `plaintext` bound to `aad`; VAULT_LOCKED while locked. */
  seal(aad: Buffer, plaintext: Buffer): Sealed;
  /** Opens a sealed value; null when the key, the aad or the bytes do not match; VAULT_LOCKED while locked. */
  open(aad: Buffer, sealed: Sealed): Buffer | null;
}

/**
 * A Sealer over a key fetched per call (`keyCopy` returns a copy that is zeroed after use, or throws
 * VAULT_LOCKED), so locking the vault makes it useless at once.
 */
export function keySealer(keyCopy: () => Buffer, ready: () => boolean): Sealer {
  return {
    get ready() {
      return ready();
    },
    seal(aad, plaintext) {
      const key = keyCopy();
      try {
        return seal(key, plaintext, aad);
      } finally {
        key.fill(0);
      }
    },
    open(aad, sealed) {
      const key = keyCopy();
      try {
        return tryOpen(key, sealed, aad);
      } finally {
        key.fill(0);
      }
    },
  };
}

/** Associated data for a history row: the domain, the table and the row's key (a moved ciphertext fails). */
export function historyAad(table: string, ...key: (string | number)[]): Buffer {
  return Buffer.from(['paneldeck-history', table, ...key.map(String)].join('\u0000'), 'utf8');
}

/** Seals `value` as JSON, padded to a 256-byte bucket so the file does not reveal the length of a name. */
export function sealJson(sealer: Sealer, aad: Buffer, value: unknown): Sealed {
  return sealer.seal(aad, padJson(JSON.stringify(value)));
}

/** Opens a JSON value sealed by sealJson; TAMPERED when it does not open. */
export function openJson(sealer: Sealer, aad: Buffer, sealed: Sealed): unknown {
  const plain = sealer.open(aad, sealed);
  if (plain === null) throw new AppError('TAMPERED', 'A history entry failed its integrity check.');
  return JSON.parse(plain.toString('utf8')) as unknown;
}

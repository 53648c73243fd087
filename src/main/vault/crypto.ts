import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import type { KdfParams } from '../../shared/contract/vault.contract';
import { AppError } from '../../shared/errors';

/** Bytes in an AES-256 key, a GCM nonce and a GCM tag. */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 16;

/**
 * The default Argon2id cost: 256 MiB, 3 passes, 4 lanes. RFC 9106's second recommended option is 64 MiB/3;
 * we spend 4x the memory because an unlock happens a few times a day and measured ~0.3 s here (goal <= 1 s).
 * Parameters are stored in the vault file, so they can be raised later without breaking old vaults.
 */
export const DEFAULT_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 262_144, iterations: 3, parallelism: 4 };

/** The floor the contract allows (64 MiB, 3 passes): tests use it to keep runs short; never lower. */
export const MIN_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 1 };

/** Upper bounds accepted from a file (export header, vault meta): a hostile file must not exhaust memory. */
const MAX_MEMORY_KIB = 4 * 1024 * 1024;
const MAX_ITERATIONS = 64;

/** A sealed value: random nonce plus ciphertext-with-tag. */
export interface Sealed {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
}

/** A fresh random salt for the KDF. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/** A fresh random 256-bit key (data key, keychain key). */
export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** A random record id: a UUID, so nothing about the record is guessable from it. */
export function newId(): string {
  return randomUUID();
}

/** True when `p` is within what this build accepts from a file (at least the contract minimum). */
export function kdfParamsAcceptable(p: KdfParams): boolean {
  return (
    p.algorithm === 'argon2id' &&
    p.memoryKiB >= MIN_KDF.memoryKiB &&
    p.memoryKiB <= MAX_MEMORY_KIB &&
    p.iterations >= MIN_KDF.iterations &&
    p.iterations <= MAX_ITERATIONS &&
    p.parallelism >= 1 &&
    p.parallelism <= 16
  );
}

/**
 * Password -> 256-bit key-encryption key with Argon2id. Off the event loop (the native addon runs it on the
 * libuv pool), so terminals keep flowing while a vault unlocks.
 */
export async function deriveKek(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  if (!kdfParamsAcceptable(params)) throw new AppError('TAMPERED', 'The key-derivation parameters are not acceptable.');
  const raw = await hashRaw(password, {
    algorithm: 2, // Argon2id
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    outputLen: KEY_BYTES,
    salt,
  });
  return Buffer.from(raw);
}

/** AES-256-GCM seal of `plaintext` under `key`, bound to `aad` (a copy under other aad fails to open). */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/** Opens a sealed value; returns null when the key, the aad or the bytes do not match (never throws). */
export function tryOpen(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | null {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) return null;
  try {
    const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
    const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}

/** Opens a sealed value or throws TAMPERED: for data that the right key must open (records, export bodies). */
export function open(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  const out = tryOpen(key, sealed, aad);
  if (out === null) throw new AppError('TAMPERED', `${what} failed its integrity check: it was altered or moved.`);
  return out;
}

/**
 * Pads a record's plaintext to a length bucket (multiples of 256 bytes) so the file does not reveal the length
 * of a host name or a password. JSON tolerates trailing spaces, so the padding needs no framing.
 */
export function padJson(json: string): Buffer {
  const raw = Buffer.from(json, 'utf8');
  const size = Math.ceil((raw.length + 1) / 256) * 256;
  const out = Buffer.alloc(size, 0x20);
  raw.copy(out);
  return out;
}

import { createCipheriv, generateKeyPair, type JsonWebKey, type KeyObject, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

/**
 * OpenSSH private keys ("openssh-key-v1", PROTOCOL.key in OpenSSH) written from keys made by Node's crypto.
 *
 * Why not ssh2's generateKeyPair: it builds the ed25519 blobs from DER and mishandles a public key whose first
 * byte is zero (ssh2 issues #1390, #1513), so about 1 key in 128 came out unusable ("error in libcrypto"). Here the
 * raw key bytes come from the JWK export, which is fixed-length by definition, and every length is written as is.
 */

const generate = promisify(generateKeyPair);

/** bcrypt_pbkdf as ssh2 itself uses it (its own dependency, resolved from ssh2 so no second copy is needed). */
type BcryptPbkdf = (
  pass: Uint8Array,
  passlen: number,
  salt: Uint8Array,
  saltlen: number,
  key: Uint8Array,
  keylen: number,
  rounds: number,
) => number;
const bcryptPbkdf = (
  createRequire(createRequire(import.meta.url).resolve('ssh2'))('bcrypt-pbkdf') as { pbkdf: BcryptPbkdf }
).pbkdf;

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
/** ssh-keygen's defaults for a new key: aes256-ctr keyed by bcrypt_pbkdf, 16 rounds, 16-byte salt. */
const ROUNDS = 16;
const SALT_LEN = 16;

/** A key pair serialized for OpenSSH. */
export interface OpenSshKeyPair {
  /** PEM-armoured "OPENSSH PRIVATE KEY", encrypted with aes256-ctr/bcrypt when a passphrase was given. */
  readonly privateKey: string;
  /** `type base64 [comment]`, one line, as in a .pub file. */
  readonly publicKey: string;
}

/** Generates an ed25519 or RSA 4096 key pair with Node's crypto and writes it in OpenSSH's own format. */
export async function generateOpenSshKey(
  type: 'ed25519' | 'rsa',
  comment: string,
  passphrase: string | null,
): Promise<OpenSshKeyPair> {
  const { privateKey } =
    type === 'rsa' ? await generate('rsa', { modulusLength: 4096 }) : await generate('ed25519', {});
  return writeOpenSshKey(privateKey, comment, passphrase);
}

/** Serializes an ed25519 or RSA private key object in OpenSSH's format (bcrypt, with a passphrase, is the slow part). */
export function writeOpenSshKey(key: KeyObject, comment: string, passphrase: string | null): OpenSshKeyPair {
  const jwk = key.export({ format: 'jwk' });
  const { type, pub, priv } = key.asymmetricKeyType === 'rsa' ? rsaParts(jwk) : ed25519Parts(jwk);
  const publicBlob = Buffer.concat([str(type), ...pub]);
  const checkint = randomBytes(4);
  const enc = passphrase ? encryption(passphrase) : null;
  const blockLen = enc ? 16 : 8;
  const body = Buffer.concat([checkint, checkint, str(type), ...priv, str(comment)]);
  const padLen = (blockLen - (body.length % blockLen)) % blockLen;
  const padding = Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1));
  let section = Buffer.concat([body, padding]);
  if (enc) section = Buffer.concat([enc.cipher.update(section), enc.cipher.final()]);
  const file = Buffer.concat([
    MAGIC,
    str(enc ? 'aes256-ctr' : 'none'),
    str(enc ? 'bcrypt' : 'none'),
    str(enc ? enc.kdfOptions : Buffer.alloc(0)),
    u32(1),
    str(publicBlob),
    str(section),
  ]);
  const lines = file.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${type} ${publicBlob.toString('base64')}${comment ? ` ${comment}` : ''}`,
  };
}

function encryption(passphrase: string) {
  const salt = randomBytes(SALT_LEN);
  const pass = Buffer.from(passphrase, 'utf8');
  const derived = Buffer.alloc(32 + 16);
  if (bcryptPbkdf(pass, pass.length, salt, salt.length, derived, derived.length, ROUNDS) !== 0) {
    throw new Error('bcrypt_pbkdf failed');
  }
  const cipher = createCipheriv('aes-256-ctr', derived.subarray(0, 32), derived.subarray(32));
  derived.fill(0);
  return { cipher, kdfOptions: Buffer.concat([str(salt), u32(ROUNDS)]) };
}

/** ed25519: public = string pk(32); private = string pk(32), string seed‖pk (64). */
function ed25519Parts(jwk: JsonWebKey) {
  const pk = fixed(jwk.x, 32);
  const seed = fixed(jwk.d, 32);
  return { type: 'ssh-ed25519', pub: [str(pk)], priv: [str(pk), str(Buffer.concat([seed, pk]))] };
}

/** RSA: public = mpint e, mpint n; private = mpint n, e, d, iqmp, p, q (OpenSSH's order). */
function rsaParts(jwk: JsonWebKey) {
  const [n, e, d, p, q, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.qi].map((v) => mpint(b64u(v)));
  return {
    type: 'ssh-rsa',
    pub: [e, n] as Buffer[],
    priv: [n, e, d, qi, p, q] as Buffer[],
  };
}

function b64u(v: string | undefined): Buffer {
  if (v === undefined) throw new Error('incomplete JWK');
  return Buffer.from(v, 'base64url');
}

/** Exactly `len` bytes (JWK fields of ed25519 are fixed-length; a leading zero is kept, never stripped). */
function fixed(v: string | undefined, len: number): Buffer {
  const b = b64u(v);
  if (b.length !== len) throw new Error(`expected ${len} key bytes, got ${b.length}`);
  return b;
}

/** SSH mpint: big-endian, no redundant leading zeros, one zero byte added when the top bit is set (RFC 4251). */
export function mpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  let v = unsigned.subarray(i);
  if (v.length > 0 && ((v[0] as number) & 0x80) !== 0) v = Buffer.concat([Buffer.from([0]), v]);
  return str(v);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function str(v: string | Uint8Array): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
  return Buffer.concat([u32(b.length), b]);
}

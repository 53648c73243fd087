import { createHash } from 'node:crypto';
import type { ParsedKey } from 'ssh2';
import ssh2 from '../ssh/ssh2-loader';
import { AppError } from '../../shared/errors';
import { generateOpenSshKey } from './openssh-key-writer';

/** What the inventory keeps about a private key besides its text. */
export interface KeyInfo {
  readonly publicKey: string;
  readonly fingerprint: string;
  readonly keyType: string;
  readonly comment: string;
}

/** `SHA256:` + unpadded base64 of the SHA-256 of the public key blob: exactly what `ssh-keygen -lf` prints. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Parses an OpenSSH or PEM private key (decrypting it with `passphrase` if needed) and describes it.
 * VALIDATION for anything that is not a usable private key or a wrong/missing passphrase; the parser's own
 * message is never passed on (it can quote the input).
 */
export function inspectPrivateKey(text: string, passphrase: string | null): KeyInfo {
  const parsed = ssh2.utils.parseKey(text, passphrase ?? undefined);
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (key === undefined || key instanceof Error) {
    const encrypted = looksEncrypted(key instanceof Error ? key.message : '', text);
    throw new AppError(
      'VALIDATION',
      encrypted
        ? passphrase
          ? 'The passphrase does not open this key.'
          : 'This key is encrypted: give its passphrase.'
        : 'Not an OpenSSH or PEM private key.',
      { reason: encrypted ? 'passphrase' : 'format' },
    );
  }
  if (!key.isPrivateKey())
    throw new AppError('VALIDATION', 'This is a public key; import the private key.', { reason: 'public' });
  const blob = key.getPublicSSH();
  const comment = key.comment ?? '';
  return {
    publicKey: `${key.type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    fingerprint: fingerprintOf(blob),
    keyType: key.type,
    comment,
  };
}

/** True when the private key text needs a passphrase to open. */
export function isEncryptedKey(text: string): boolean {
  const r = ssh2.utils.parseKey(text);
  return r instanceof Error && looksEncrypted(r.message, text);
}

function looksEncrypted(message: string, text: string): boolean {
  return /encrypted|passphrase|decrypt/i.test(message) || /ENCRYPTED|aes\d+-/.test(text);
}

/**
 * Generates an SSH key pair in OpenSSH format: ed25519, or RSA 4096, with Node's crypto (see openssh-key-writer for
 * why not ssh2's generator). Async (RSA takes a second or more) so the event loop keeps serving terminals. With a
 * passphrase the private key is encrypted with aes256-ctr/bcrypt, as ssh-keygen does.
 */
export async function generateKey(
  type: 'ed25519' | 'rsa',
  comment: string,
  passphrase: string | null,
): Promise<string> {
  return (await generateOpenSshKey(type, comment, passphrase)).privateKey;
}

import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { AppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { askUser } from './ask-user';
import type { HostKeyEntry, HostKeyStore, Prompter } from './ssh.types';
import type { HostKeyChangedDetails } from '../../shared/contract/ssh.contract';

/**
 * SHA256 fingerprint of a raw SSH public key blob, exactly as `ssh-keygen -l` prints it.
 * Why this format: users compare it with what their server admin (or `ssh-keygen -lf`) shows them.
 */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH key blob ("ssh-ed25519", "ssh-rsa", ...), "unknown" if malformed. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The store form of a raw key blob: type, fingerprint and base64 blob. */
export function hostKeyEntry(keyBlob: Buffer): HostKeyEntry {
  return {
    keyType: keyTypeOf(keyBlob),
    fingerprint: sha256Fingerprint(keyBlob),
    publicKey: keyBlob.toString('base64'),
  };
}

/** ssh2's default host key algorithms, strongest first. */
const DEFAULT_HOST_KEY_ALGOS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Host key algorithms with the types we already trust for this host first.
 * Why: like OpenSSH, ask for the key we know; otherwise a server with several keys could show a different (unknown)
 * type than the one we stored and the user would be asked again, or get a false "key changed".
 */
export function preferredHostKeyAlgorithms(trusted: readonly HostKeyEntry[] | null): ServerHostKeyAlgorithm[] {
  const first: ServerHostKeyAlgorithm[] = [];
  for (const k of trusted ?? []) {
    const names = k.keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [k.keyType];
    for (const n of names) {
      const algo = DEFAULT_HOST_KEY_ALGOS.find((a) => a === n);
      if (algo !== undefined && !first.includes(algo)) first.push(algo);
    }
  }
  return [...first, ...DEFAULT_HOST_KEY_ALGOS.filter((a) => !first.includes(a))];
}

/** Where the verifier is called from: the hop being verified and hooks that pause the connect timeout. */
export interface VerifyContext {
  readonly targetId: string;
  readonly host: string;
  readonly port: number;
  /** Aborts when the connection attempt is abandoned. */
  readonly signal: AbortSignal;
  /** Called around a user prompt, so time spent waiting for the user does not count against readyTimeout. */
  readonly onPrompt?: ((waiting: boolean) => void) | undefined;
}

/** Dependencies of {@link HostKeyVerifier}. */
export interface HostKeyVerifierDeps {
  readonly store: HostKeyStore;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly promptTimeoutMs: number;
}

const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Decides whether a presented host key is acceptable: known → yes; unknown → ask the user (and store on yes);
 * changed → refuse with HOST_KEY_CHANGED. Runs inside ssh2's hostVerifier, i.e. before NEWKEYS, so a refused
 * server never receives a user name, let alone a credential.
 */
export class HostKeyVerifier {
  readonly #deps: HostKeyVerifierDeps;
  /** Keys seen in a refused "changed" connection, the only ones {@link acceptChangedKey} will store. */
  readonly #changed = new Map<string, HostKeyEntry>();

  constructor(deps: HostKeyVerifierDeps) {
    this.#deps = deps;
  }

  /** Resolves if `keyBlob` may be used for ctx.host:port; rejects with an AppError otherwise. */
  async verify(keyBlob: Buffer, ctx: VerifyContext): Promise<void> {
    const entry = hostKeyEntry(keyBlob);
    const where = hostPort(ctx.host, ctx.port);
    const trusted = await this.#deps.store.get(ctx.host, ctx.port);
    if (trusted !== null && trusted.length > 0) {
      if (trusted.some((k) => k.fingerprint === entry.fingerprint)) return;
      this.#changed.set(where, entry);
      this.#deps.logger.warn('ssh.hostkey.changed', { targetId: ctx.targetId, keyType: entry.keyType });
      const old = trusted.map((k) => `${k.keyType} ${k.fingerprint}`).join(', ');
      throw new AppError(
        'HOST_KEY_CHANGED',
        `The host key of ${where} has changed: expected ${old}, got ${entry.keyType} ${entry.fingerprint}. ` +
          'This can mean someone is intercepting the connection. Nothing was sent to the server.',
        {
          host: ctx.host,
          port: ctx.port,
          oldFingerprints: trusted.map((k) => k.fingerprint),
          newFingerprint: entry.fingerprint,
          keyType: entry.keyType,
        } satisfies HostKeyChangedDetails,
      );
    }
    const trust = await this.#ask(entry, ctx, where);
    if (!trust) {
      throw new AppError('HOST_KEY_UNKNOWN', `The host key of ${where} (${entry.fingerprint}) was not trusted.`, {
        host: ctx.host,
        port: ctx.port,
        fingerprint: entry.fingerprint,
        keyType: entry.keyType,
      });
    }
    await this.#deps.store.trust(ctx.host, ctx.port, entry);
    this.#deps.logger.info('ssh.hostkey.trusted', { targetId: ctx.targetId, keyType: entry.keyType });
  }

  /**
   * The explicit "the key change is legitimate" path: replaces the trusted keys of host:port with the key last
   * refused there, provided its fingerprint is the one the user was shown. Returns the stored entry.
   */
  async acceptChangedKey(host: string, port: number, fingerprint: string): Promise<HostKeyEntry> {
    const where = hostPort(host, port);
    const entry = this.#changed.get(where);
    if (entry === undefined || entry.fingerprint !== fingerprint) {
      throw new AppError('NOT_FOUND', `No refused host key ${fingerprint} for ${where}; connect again first.`);
    }
    await this.#deps.store.replace(host, port, entry);
    this.#changed.delete(where);
    this.#deps.logger.info('ssh.hostkey.replaced', { keyType: entry.keyType });
    return entry;
  }

  /** Asks the prompter with a timeout; the connect deadline is paused meanwhile. */
  #ask(entry: HostKeyEntry, ctx: VerifyContext, where: string): Promise<boolean> {
    const question = {
      targetId: ctx.targetId,
      host: ctx.host,
      port: ctx.port,
      keyType: entry.keyType,
      fingerprint: entry.fingerprint,
    };
    return askUser((signal) => this.#deps.prompter.confirmHostKey(question, signal), {
      timeoutMs: this.#deps.promptTimeoutMs,
      signal: ctx.signal,
      what: `the host key of ${where}`,
      onPrompt: ctx.onPrompt,
    });
  }
}

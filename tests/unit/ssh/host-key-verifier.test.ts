import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Logger, memorySink } from '../../../src/main/core/logger';
import {
  HostKeyVerifier,
  hostKeyEntry,
  keyTypeOf,
  preferredHostKeyAlgorithms,
  sha256Fingerprint,
} from '../../../src/main/ssh/host-key-verifier';
import { MemoryHostKeyStore } from '../../../src/main/ssh/memory-host-key-store';
import type { HostKeyQuestion, Prompter } from '../../../src/main/ssh/ssh.types';
import { AppError } from '../../../src/shared/errors';

const dir = mkdtempSync(join(tmpdir(), 'pd-fp-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Generates a key with ssh-keygen, returns its blob and what `ssh-keygen -lf` prints. */
function keygen(type: string, bits?: number): { blob: Buffer; fingerprint: string; type: string } {
  const f = join(dir, `k${n++}-${type}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-f', f]);
  const pub = readFileSync(`${f}.pub`, 'utf8').split(' ');
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${f}.pub`], { encoding: 'utf8' });
  return { blob: Buffer.from(pub[1] ?? '', 'base64'), fingerprint: printed.split(' ')[1] ?? '', type: pub[0] ?? '' };
}

/** A prompter that answers host-key questions with `answer` and records them. */
function prompter(answer: boolean | 'never'): Prompter & { asked: HostKeyQuestion[] } {
  const asked: HostKeyQuestion[] = [];
  return {
    asked,
    confirmHostKey: (q) => {
      asked.push(q);
      return answer === 'never' ? new Promise<boolean>(() => undefined) : Promise.resolve(answer);
    },
    keyboardInteractive: () => Promise.resolve(null),
  };
}

const ctx = { targetId: 't1', host: '127.0.0.1', port: 2222, signal: new AbortController().signal };

describe('host key fingerprints', () => {
  it('match ssh-keygen -l for ed25519, ecdsa and rsa keys', () => {
    for (const [type, bits] of [['ed25519'], ['ecdsa', 256], ['rsa', 2048]] as const) {
      const k = keygen(type, bits);
      expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(sha256Fingerprint(k.blob)).toBe(k.fingerprint);
      expect(keyTypeOf(k.blob)).toBe(k.type);
    }
  });

  it('puts trusted key types first in the host key algorithm list', () => {
    expect(preferredHostKeyAlgorithms(null)[0]).toBe('ssh-ed25519');
    const rsa = preferredHostKeyAlgorithms([{ keyType: 'ssh-rsa', fingerprint: 'x', publicKey: '' }]);
    expect(rsa.slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(new Set(rsa).size).toBe(rsa.length);
  });
});

describe('HostKeyVerifier', () => {
  const logger = new Logger({ sink: memorySink().sink });

  it('asks on first sight, stores on yes, then accepts silently', async () => {
    const store = new MemoryHostKeyStore();
    const p = prompter(true);
    const v = new HostKeyVerifier({ store, prompter: p, logger, promptTimeoutMs: 1_000 });
    const k = keygen('ed25519');
    await v.verify(k.blob, ctx);
    expect(p.asked).toEqual([
      { targetId: 't1', host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint: k.fingerprint },
    ]);
    expect(await store.get('127.0.0.1', 2222)).toEqual([hostKeyEntry(k.blob)]);
    await v.verify(k.blob, ctx);
    expect(p.asked).toHaveLength(1);
  });

  it('declined → HOST_KEY_UNKNOWN and nothing stored; unanswered → TIMEOUT', async () => {
    const store = new MemoryHostKeyStore();
    const k = keygen('ed25519');
    const no = new HostKeyVerifier({ store, prompter: prompter(false), logger, promptTimeoutMs: 1_000 });
    await expect(no.verify(k.blob, ctx)).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    const never = new HostKeyVerifier({ store, prompter: prompter('never'), logger, promptTimeoutMs: 30 });
    await expect(never.verify(k.blob, ctx)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await store.get('127.0.0.1', 2222)).toBeNull();
  });

  it('changed key → HOST_KEY_CHANGED naming both fingerprints; acceptChangedKey replaces only that key', async () => {
    const store = new MemoryHostKeyStore();
    const a = keygen('ed25519');
    const b = keygen('ed25519');
    await store.trust('127.0.0.1', 2222, hostKeyEntry(a.blob));
    const p = prompter(true);
    const v = new HostKeyVerifier({ store, prompter: p, logger, promptTimeoutMs: 1_000 });
    const err = await v.verify(b.blob, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('HOST_KEY_CHANGED');
    expect((err as AppError).message).toContain(a.fingerprint);
    expect((err as AppError).message).toContain(b.fingerprint);
    expect(p.asked).toHaveLength(0);
    await expect(v.acceptChangedKey('127.0.0.1', 2222, a.fingerprint)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await v.acceptChangedKey('127.0.0.1', 2222, b.fingerprint);
    expect(await store.get('127.0.0.1', 2222)).toEqual([hostKeyEntry(b.blob)]);
    await v.verify(b.blob, ctx);
  });
});

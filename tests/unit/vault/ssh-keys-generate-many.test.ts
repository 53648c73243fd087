import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { generateKey, inspectPrivateKey } from '../../../src/main/inventory/ssh-keys';
import { tempDir } from '../../support/core-harness';

const run = promisify(execFile);
const work = tempDir('pd-keys-many-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * `ssh-keygen -y -f` over every file, in `groups` shells running side by side (one process per key would take
 * minutes); returns what it printed per file, or the error text it gave for that file.
 */
async function keygenPublic(files: string[], groups: number, passphrase = ''): Promise<Map<string, string>> {
  const script = `for f; do printf '%s\\t' "$f"; ssh-keygen -y -P "$PASS" -f "$f" 2>&1 | tr '\\n' ' '; echo; done`;
  const size = Math.ceil(files.length / groups);
  const chunks = Array.from({ length: groups }, (_, i) => files.slice(i * size, (i + 1) * size));
  const outputs = await Promise.all(
    chunks.map((chunk) =>
      run('sh', ['-c', script, 'sh', ...chunk], {
        env: { ...process.env, PASS: passphrase },
        maxBuffer: 64 * 1024 * 1024,
      }),
    ),
  );
  const out = new Map<string, string>();
  for (const { stdout } of outputs) {
    for (const line of stdout.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1).trim());
    }
  }
  return out;
}

/** Writes the keys as files and checks each against ssh-keygen -y; returns the names that did not match. */
async function unusable(keys: string[], prefix: string, passphrase = ''): Promise<string[]> {
  const files = keys.map((k, i) => {
    const file = path.join(work, `${prefix}-${i}`);
    fs.writeFileSync(file, k, { mode: 0o600 });
    return file;
  });
  const printed = await keygenPublic(files, 4, passphrase);
  const bad: string[] = [];
  keys.forEach((k, i) => {
    const file = files[i] as string;
    let ours: string;
    try {
      ours = inspectPrivateKey(k, passphrase || null).publicKey;
    } catch (e) {
      bad.push(`${file}: our parser: ${(e as Error).message}`);
      return;
    }
    if (printed.get(file) !== ours) bad.push(`${file}: ssh-keygen -y: ${printed.get(file) ?? '(nothing)'}`);
  });
  return bad;
}

describe('keys.generate makes keys OpenSSH can use (issue 8 #19)', () => {
  test('2000 ed25519 keys: every one opens with ssh-keygen -y and gives the same public key as ours', async () => {
    const keys = await Promise.all(Array.from({ length: 2000 }, (_, i) => generateKey('ed25519', `k${i}@pd`, null)));
    // About 1 key in 256 has a public key starting with a zero byte, the case ssh2's generator broke: the run
    // must have met some of them, or it proves nothing.
    const zeroLed = keys.filter(
      (k) => Buffer.from(inspectPrivateKey(k, null).publicKey.split(' ')[1] ?? '', 'base64')[19] === 0,
    );
    expect(zeroLed.length).toBeGreaterThan(0);
    expect(await unusable(keys, 'ed')).toEqual([]);
  }, 600_000);

  test('encrypted ed25519 keys (aes256-ctr/bcrypt) open with the passphrase and only with it', async () => {
    const passphrase = 'correct horse battery staple';
    const keys = await Promise.all(Array.from({ length: 3 }, () => generateKey('ed25519', 'enc@pd', passphrase)));
    expect(await unusable(keys, 'ed-enc', passphrase)).toEqual([]);
    const wrong = await keygenPublic([path.join(work, 'ed-enc-0')], 1, 'wrong');
    expect(wrong.get(path.join(work, 'ed-enc-0'))).toMatch(/incorrect passphrase/);
  }, 120_000);

  test('RSA 4096 keys, plain and encrypted, open with ssh-keygen -y', async () => {
    const plain = await generateKey('rsa', 'rsa@pd', null);
    expect(inspectPrivateKey(plain, null).keyType).toBe('ssh-rsa');
    expect(await unusable([plain], 'rsa')).toEqual([]);
    const enc = await generateKey('rsa', 'rsa-enc@pd', 'passphrase-for-rsa');
    expect(await unusable([enc], 'rsa-enc', 'passphrase-for-rsa')).toEqual([]);
  }, 120_000);
});

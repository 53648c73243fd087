import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

let t: TestCore;
const work = tempDir('pd-keys-');
beforeAll(async () => {
  t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
});
afterAll(() => t.core.close());

/** `ssh-keygen -lf` on a private key text: "<bits> SHA256:... comment (TYPE)". */
function keygenList(privateKey: string, name: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, privateKey, { mode: 0o600 });
  return execFileSync('ssh-keygen', ['-lf', file]).toString().trim();
}

function keygenNew(args: string[], name: string): string {
  const file = path.join(work, name);
  execFileSync('ssh-keygen', ['-q', '-f', file, '-C', 'imported@test', ...args]);
  return file;
}

describe('SSH keys', () => {
  test('generated ed25519: public key and fingerprint match ssh-keygen; export is audited', async () => {
    const k = await t.call('keys.generate', { name: 'deploy', type: 'ed25519', comment: 'deploy@paneldeck' });
    expect(k).toMatchObject({ kind: 'ssh-key', keyType: 'ssh-ed25519', hasPassphrase: false });
    const { privateKey } = await t.call('keys.exportPrivate', { id: k.id });
    expect(privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(keygenList(privateKey, 'gen-ed')).toBe(`256 ${k.fingerprint} deploy@paneldeck (ED25519)`);
    const pub = execFileSync('ssh-keygen', ['-yf', path.join(work, 'gen-ed')])
      .toString()
      .trim();
    expect(k.publicKey).toBe(pub);
    expect((await t.call('audit.list', { action: 'secret.exported' }))[0]?.credentialId).toBe(k.id);
  });

  test('generated RSA is 4096 bits and encrypted with the passphrase', async () => {
    const passphrase = testSecret('rsa-pass');
    const k = await t.call('keys.generate', { name: 'rsa', type: 'rsa', passphrase });
    expect(k).toMatchObject({ keyType: 'ssh-rsa', hasPassphrase: true });
    const { privateKey } = await t.call('keys.exportPrivate', { id: k.id });
    const file = path.join(work, 'gen-rsa');
    fs.writeFileSync(file, privateKey, { mode: 0o600 });
    expect(() => execFileSync('ssh-keygen', ['-yf', file, '-P', 'wrong'], { stdio: 'pipe' })).toThrow();
    const pub = execFileSync('ssh-keygen', ['-yf', file, '-P', passphrase]).toString().trim();
    expect(pub).toBe(k.publicKey);
    expect(execFileSync('ssh-keygen', ['-lf', file]).toString()).toMatch(
      new RegExp(`^4096 ${k.fingerprint?.replace(/[+/]/g, '\\$&')} `),
    );
  });

  test('imports an encrypted OpenSSH key (ecdsa) and an encrypted PEM RSA key with their passphrases', async () => {
    const pass = testSecret('import-pass');
    const openssh = keygenNew(['-t', 'ecdsa', '-b', '256', '-N', pass], 'imp-ecdsa');
    const pem = keygenNew(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', pass], 'imp-pem');
    for (const file of [openssh, pem]) {
      const text = fs.readFileSync(file, 'utf8');
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`])
        .toString()
        .split(' ')[1];
      const k = await t.call('keys.import', { name: path.basename(file), privateKey: text, passphrase: pass });
      expect(k.fingerprint).toBe(expected);
      expect(k.publicKey?.split(' ').slice(0, 2)).toEqual(
        fs.readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2),
      );
      const noPass = await t.fail('keys.import', { name: 'x', privateKey: text });
      expect(noPass).toMatchObject({ code: 'VALIDATION', details: { reason: 'passphrase' } });
      expect((await t.fail('keys.import', { name: 'x', privateKey: text, passphrase: 'wrong-pass' })).code).toBe(
        'VALIDATION',
      );
    }
    expect(fs.readFileSync(pem, 'utf8')).toMatch(/BEGIN RSA PRIVATE KEY/);
  });

  test('rejects garbage and public keys; exportPrivate refuses non-key credentials', async () => {
    expect((await t.fail('keys.import', { name: 'x', privateKey: 'hello' })).details?.reason).toBe('format');
    const pubFile = keygenNew(['-t', 'ed25519', '-N', ''], 'pub-only');
    const pub = fs.readFileSync(`${pubFile}.pub`, 'utf8');
    expect((await t.fail('keys.import', { name: 'x', privateKey: pub })).code).toBe('VALIDATION');
    const c = await t.call('credentials.create', { name: 'pw', kind: 'password', secret: testSecret('pw') });
    expect((await t.fail('keys.exportPrivate', { id: c.id })).code).toBe('VALIDATION');
  });
});

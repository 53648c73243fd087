import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashHostName } from '../../../src/main/inventory/known-hosts';
import { leaksFound, PASSWORD, tempDir, testCore, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

/*
 * Issue 8 #12: hosts without IdentityFile get OpenSSH's default keys, the same address twice is noticed, and a
 * known_hosts import reports its malformed lines with their numbers.
 */

const home = tempDir('pd-home-defaults-');
const ssh = path.join(home, '.ssh');
let t: TestCore;

beforeAll(async () => {
  fs.mkdirSync(ssh, { recursive: true });
  // id_rsa comes first in OpenSSH's order, but is encrypted (unusable without a passphrase): id_ed25519 is taken.
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'rsa-pass', '-f', path.join(ssh, 'id_rsa')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'default', '-f', path.join(ssh, 'id_ed25519')]);
  t = testCore(tempDir(), { homeDir: home });
  await t.call('vault.create', { password: PASSWORD });
});
afterAll(() => t.core.close());

const config = [
  'Host app',
  '  HostName app.example.com',
  '  User deploy',
  'Host app-again',
  '  HostName APP.example.com',
  '  User deploy',
  'Host app-admin',
  '  HostName app.example.com',
  '  User admin',
  'Host inner',
  '  HostName inner.example.com',
  '  User deploy',
  '  ProxyJump app-again',
  '',
].join('\n');

describe('ssh_config import', () => {
  test('no IdentityFile: the first usable default key (~/.ssh/id_*) is imported, as ssh would offer it', async () => {
    const p = await t.call('sshConfig.preview', { text: config });
    const byAlias = Object.fromEntries(p.create.map((c) => [c.alias, c]));
    expect(byAlias.app?.identityFile).toBe(path.join(ssh, 'id_ed25519'));
    expect(p.warnings).toEqual([]);
  });

  test('no IdentityFile and no usable default key: agent sign-in, said in a warning', async () => {
    const bare = testCore(tempDir(), { homeDir: tempDir('pd-home-bare-') });
    await bare.call('vault.create', { password: PASSWORD });
    const p = await bare.call('sshConfig.preview', { text: 'Host solo\n  HostName solo.example.com\n  User me\n' });
    expect(p.create).toEqual([expect.objectContaining({ alias: 'solo', identityFile: null })]);
    expect(p.warnings).toEqual([{ alias: 'solo', reason: expect.stringMatching(/sign in with the SSH agent/) }]);
    const r = await bare.call('sshConfig.import', { text: 'Host solo\n  HostName solo.example.com\n  User me\n' });
    expect(r.created[0]).toMatchObject({ auth: 'agent', credentialId: null });
    await bare.core.close();
  });

  test('the same user@host:port twice is reported in the preview and skipped on import; jumps follow the kept one', async () => {
    const p = await t.call('sshConfig.preview', { text: config });
    expect(p.create.map((c) => c.alias)).toEqual(['app', 'app-admin', 'inner']);
    expect(p.skip).toEqual([
      { alias: 'app-again', reason: 'Same address (deploy@app.example.com:22) as "app", earlier in this file.' },
    ]);

    const r = await t.call('sshConfig.import', { text: config });
    expect(r.created.map((s) => s.name)).toEqual(['app', 'app-admin', 'inner']);
    expect(r.credentials).toHaveLength(1);
    const fp = execFileSync('ssh-keygen', ['-lf', path.join(ssh, 'id_ed25519.pub')])
      .toString()
      .split(' ')[1];
    expect(r.credentials[0]?.fingerprint).toBe(fp);
    const byName = Object.fromEntries(r.created.map((s) => [s.name, s]));
    expect(byName.app).toMatchObject({ auth: 'key', credentialId: r.credentials[0]?.id });
    expect(byName.inner?.jumpHostIds).toEqual([byName.app?.id]);

    // Against the vault: an entry for an address already there is skipped, naming the server.
    const again = await t.call('sshConfig.preview', { text: 'Host twin\n  HostName app.example.com\n  User deploy\n' });
    expect(again.create).toEqual([]);
    expect(again.skip).toEqual([
      { alias: 'twin', reason: 'Same address (deploy@app.example.com:22) as "app", already in the vault.' },
    ]);
  });
});

describe('known_hosts import', () => {
  test('malformed lines are reported with their line numbers; good lines around them are imported', async () => {
    const key = fs.readFileSync(path.join(ssh, 'id_ed25519.pub'), 'utf8').split(' ');
    const line = (names: string) => `${names} ${key[0]} ${key[1]}`;
    const text = [
      '# comment',
      line('good.example.com'),
      'just-one-field',
      'bad.example.com ssh-ed25519 not*base64',
      '|1|c2hvcnQ=|c2hvcnQ= ssh-ed25519 AAAA',
      line(hashHostName('hidden.example.com')),
      line('[other.example.com]:2222'),
      'this line is not a known_hosts entry',
      '',
    ].join('\n');
    const r = await t.call('hostKeys.importKnownHosts', { text });
    expect(r).toMatchObject({ imported: 2, hashed: 1, alreadyTrusted: 0 });
    expect(r.skipped).toEqual([
      { line: 3, reason: 'Not a known_hosts entry: expected host names, a key type and a base64 key.' },
      { line: 4, reason: 'The key is not valid base64.' },
      { line: 5, reason: 'The hashed host name is not a 20-byte salt and hash.' },
      { line: 8, reason: 'Not a known_hosts entry: the third field is not an SSH public key.' },
    ]);
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

const home = tempDir('pd-home-');
const ssh = path.join(home, '.ssh');
let t: TestCore;

beforeAll(async () => {
  fs.mkdirSync(path.join(ssh, 'config.d'), { recursive: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'plain', '-f', path.join(ssh, 'id_plain')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'locked-pass', '-C', 'enc', '-f', path.join(ssh, 'id_enc')]);
  fs.writeFileSync(
    path.join(ssh, 'config'),
    [
      'Include config.d/*.conf',
      'Host bastion',
      '  HostName bastion.example.com',
      '  User jump',
      '  IdentityFile ~/.ssh/id_plain',
      'Host db-1 db-2',
      '  HostName %h.internal.example.com',
      '  ProxyJump bastion',
      '  IdentityFile ~/.ssh/id_plain',
      'Host legacy',
      '  HostName 10.1.2.3',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_enc',
      'Host ghost',
      '  HostName ghost.example.com',
      '  IdentityFile ~/.ssh/missing_key',
      '  ProxyJump admin@elsewhere:2200',
      'Host *.corp !skip',
      '  User corpuser',
      'Host *',
      '  User fallback',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(ssh, 'config.d', 'web.conf'), 'Host web\n  HostName web.example.com\n  User www\n');
  t = testCore(tempDir(), { homeDir: home });
  await t.call('vault.create', { password: PASSWORD });
});
afterAll(() => t.core.close());

describe('~/.ssh/config import', () => {
  test('preview resolves Include, %h, Host defaults from "Host *", and skips wildcard patterns with a reason', async () => {
    const p = await t.call('sshConfig.preview', {});
    const byAlias = Object.fromEntries(p.create.map((c) => [c.alias, c]));
    expect(Object.keys(byAlias).sort()).toEqual(['bastion', 'db-1', 'db-2', 'ghost', 'legacy', 'web']);
    expect(byAlias.web).toMatchObject({ host: 'web.example.com', user: 'www', port: 22, identityFile: null });
    expect(byAlias['db-1']).toMatchObject({
      host: 'db-1.internal.example.com',
      user: 'fallback',
      proxyJump: ['bastion'],
    });
    expect(byAlias.legacy).toMatchObject({ host: '10.1.2.3', port: 2222, identityFile: path.join(ssh, 'id_enc') });
    expect(p.skip.map((s) => s.alias).sort()).toEqual(['!skip', '*', '*.corp']);
    expect(p.skip.every((s) => /wildcard/i.test(s.reason))).toBe(true);
    const warn = Object.fromEntries(p.warnings.map((w) => [w.alias, w.reason]));
    expect(warn.legacy).toMatch(/encrypted/);
    expect(warn.ghost).toMatch(/cannot be read|not part of this import/);
  });

  test('import creates servers, one credential per key file, and jump chains within the import', async () => {
    const r = await t.call('sshConfig.import', {});
    expect(r.created).toHaveLength(6);
    expect(r.credentials).toHaveLength(1);
    const key = r.credentials[0];
    const fp = execFileSync('ssh-keygen', ['-lf', path.join(ssh, 'id_plain.pub')])
      .toString()
      .split(' ')[1];
    expect(key?.fingerprint).toBe(fp);
    const byName = Object.fromEntries(r.created.map((s) => [s.name, s]));
    expect(byName['db-2']).toMatchObject({ auth: 'key', credentialId: key?.id, jumpHostIds: [byName.bastion?.id] });
    expect(byName.legacy).toMatchObject({ auth: 'agent', credentialId: null, port: 2222 });
    expect(byName.ghost?.jumpHostIds).toEqual([]);
    expect(key?.usedBy.sort()).toEqual([byName.bastion?.id, byName['db-1']?.id, byName['db-2']?.id].sort());
    // A second run finds everything already there.
    const again = await t.call('sshConfig.preview', {});
    expect(again.create).toEqual([]);
    expect(again.skip.filter((s) => /already/.test(s.reason))).toHaveLength(6);
  });

  test('text input and an alias filter; a jump to an existing server resolves by name', async () => {
    const r = await t.call('sshConfig.import', {
      text: 'Host new-1\n  HostName n1.example.com\n  ProxyJump bastion\nHost new-2\n  HostName n2.example.com\n',
      aliases: ['new-1'],
      defaultUser: 'ops',
    });
    expect(r.created.map((s) => [s.name, s.user])).toEqual([['new-1', 'ops']]);
    const bastion = (await t.call('servers.list', { query: 'bastion' })).find((s) => s.name === 'bastion');
    expect(r.created[0]?.jumpHostIds).toEqual([bastion?.id]);
    expect((await t.fail('sshConfig.preview', { path: path.join(home, 'nope') })).code).toBe('NOT_FOUND');
  });
});

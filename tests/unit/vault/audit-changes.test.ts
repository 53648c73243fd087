import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

/** Every byte the vault left on disk (database, WAL, anything else in its data dir). */
function diskBytes(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe('audit trail of inventory changes', () => {
  test('server create, update and delete, and credential create, update and delete each leave a sealed line', async () => {
    const dir = tempDir();
    const t = testCore(dir);
    await t.call('vault.create', { password: PASSWORD });
    const name = 'zebra-audit-host-7f3a';
    const host = 'zebra-7f3a.internal.example';
    const s = await t.call('servers.create', { name, host, user: 'deploy', auth: 'agent' });
    await t.call('servers.update', { id: s.id, patch: { port: 2222, notes: 'Sekr1t-ish note' } });
    const secret = testSecret('audit-cred');
    const c = await t.call('credentials.create', { name: 'zebra-cred-7f3a', kind: 'password', secret });
    await t.call('credentials.update', { id: c.id, patch: { secret: testSecret('audit-cred-2') } });
    await t.call('servers.update', { id: s.id, patch: { auth: 'password', credentialId: c.id } });
    await t.call('credentials.delete', { id: c.id, force: true });
    await t.call('servers.delete', { id: s.id });

    const trail = await t.call('audit.list', {});
    const lines = trail.filter((e) => e.action.startsWith('server.') || e.action.startsWith('credential.')).reverse();
    expect(lines.map((e) => [e.action, e.detail])).toEqual([
      ['server.created', `Server "${name}" added`],
      ['server.updated', `Server "${name}" changed: port, notes`],
      ['credential.created', 'Credential "zebra-cred-7f3a" (password) added'],
      ['credential.updated', 'Credential "zebra-cred-7f3a" (password) changed: secret'],
      ['server.updated', `Server "${name}" changed: auth, credentialId`],
      ['credential.deleted', 'Credential "zebra-cred-7f3a" (password) deleted (detached from 1 server)'],
      ['server.deleted', `Server "${name}" deleted`],
    ]);
    expect(lines.filter((e) => e.action.startsWith('server.')).every((e) => e.serverId === s.id)).toBe(true);
    expect(lines.filter((e) => e.action.startsWith('credential.')).every((e) => e.credentialId === c.id)).toBe(true);
    // Names and values stay out of the line text where not needed, and out of the file entirely: sealed.
    expect(trail.some((e) => e.detail.includes(host) || e.detail.includes('Sekr1t'))).toBe(false);
    await t.core.close();
    const disk = diskBytes(dir);
    for (const text of [name, host, 'zebra-cred-7f3a', 'added', 'deleted', 'changed']) {
      expect(disk.includes(text), text).toBe(false);
    }
  });

  test('a server removed from jump chains says how many', async () => {
    const t = testCore(tempDir());
    await t.call('vault.create', { password: PASSWORD });
    const hop = await t.call('servers.create', { name: 'hop', host: 'hop.example', user: 'u', auth: 'agent' });
    await t.call('servers.create', { name: 'a', host: 'a.example', user: 'u', auth: 'agent', jumpHostIds: [hop.id] });
    await t.call('servers.delete', { id: hop.id });
    const [line] = await t.call('audit.list', { action: 'server.deleted' });
    expect(line?.detail).toBe('Server "hop" deleted (removed from the jump chain of 1 server)');
    await t.core.close();
  });
});

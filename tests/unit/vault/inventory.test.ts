import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

let t: TestCore;
beforeEach(async () => {
  t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
});

const base = { user: 'root', auth: 'password' as const };

describe('servers', () => {
  test('CRUD; a patch changes only the given fields; inventory.changed is emitted', async () => {
    const events: unknown[] = [];
    t.core.events.subscribe((name, p) => name === 'inventory.changed' && events.push(p));
    const s = await t.call('servers.create', {
      ...base,
      name: 'db-1',
      host: 'db1.example.com',
      tags: ['prod', 'db'],
      notes: 'primary',
    });
    expect(s).toMatchObject({ port: 22, jumpHostIds: [], group: null });
    const u = await t.call('servers.update', { id: s.id, patch: { port: 2222 } });
    expect(u).toMatchObject({ port: 2222, tags: ['prod', 'db'], notes: 'primary', name: 'db-1' });
    expect(await t.call('servers.get', { id: s.id })).toEqual(u);
    await t.call('servers.delete', { id: s.id });
    expect((await t.fail('servers.get', { id: s.id })).code).toBe('NOT_FOUND');
    expect(events).toEqual([
      { kind: 'server', id: s.id, change: 'created' },
      { kind: 'server', id: s.id, change: 'updated' },
      { kind: 'server', id: s.id, change: 'deleted' },
    ]);
  });

  test('search and filter by free text, tag, group and host; facets count them', async () => {
    await t.call('servers.create', { ...base, name: 'web-1', host: 'web1.acme.io', tags: ['prod'], group: 'Web' });
    await t.call('servers.create', { ...base, name: 'web-2', host: 'web2.acme.io', tags: ['staging'], group: 'Web' });
    await t.call('servers.create', {
      ...base,
      name: 'db-1',
      host: '10.0.0.5',
      tags: ['prod'],
      group: 'DB',
      notes: 'Postgres 16',
    });
    const names = async (q: object) => (await t.call('servers.list', q)).map((s) => s.name);
    expect(await names({})).toEqual(['db-1', 'web-1', 'web-2']);
    expect(await names({ query: 'POSTGRES' })).toEqual(['db-1']);
    expect(await names({ tag: 'prod' })).toEqual(['db-1', 'web-1']);
    expect(await names({ group: 'web' })).toEqual(['web-1', 'web-2']);
    expect(await names({ host: 'acme' })).toEqual(['web-1', 'web-2']);
    expect(await names({ tag: 'prod', group: 'Web' })).toEqual(['web-1']);
    expect(await t.call('inventory.facets', {})).toEqual({
      groups: [
        { name: 'DB', count: 1 },
        { name: 'Web', count: 2 },
      ],
      tags: [
        { name: 'prod', count: 2 },
        { name: 'staging', count: 1 },
      ],
    });
  });

  test('validation errors change nothing', async () => {
    const s = await t.call('servers.create', { ...base, name: 'a', host: 'a.example.com' });
    const before = await t.call('servers.list', {});
    expect((await t.fail('servers.create', { ...base, name: 'b', host: 'not a host' })).code).toBe('VALIDATION');
    expect((await t.fail('servers.update', { id: s.id, patch: { port: 70000 } })).code).toBe('VALIDATION');
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.fail('servers.update', { id: s.id, patch: { credentialId: missing } })).code).toBe('VALIDATION');
    expect((await t.fail('servers.update', { id: s.id, patch: { jumpHostIds: [s.id] } })).code).toBe('VALIDATION');
    expect((await t.fail('servers.create', { ...base, name: 'c', host: 'c.io', jumpHostIds: [missing] })).code).toBe(
      'VALIDATION',
    );
    expect(await t.call('servers.list', {})).toEqual(before);
  });

  test('deleting a jump host removes it from the chains that used it', async () => {
    const bastion = await t.call('servers.create', { ...base, name: 'bastion', host: 'b.example.com' });
    const inner = await t.call('servers.create', {
      ...base,
      name: 'inner',
      host: 'i.example.com',
      jumpHostIds: [bastion.id],
    });
    await t.call('servers.delete', { id: bastion.id });
    expect((await t.call('servers.get', { id: inner.id })).jumpHostIds).toEqual([]);
  });
});

describe('credentials', () => {
  test('secrets are masked in lists; reveal and copy return them and are audited', async () => {
    const secret = testSecret('db-password');
    const c = await t.call('credentials.create', { name: 'db root', kind: 'password', secret, username: 'root' });
    expect(JSON.stringify(await t.call('credentials.list', {}))).not.toContain(secret);
    expect((await t.call('credentials.reveal', { id: c.id, purpose: 'reveal' })).secret).toBe(secret);
    await t.call('credentials.reveal', { id: c.id, purpose: 'copy' });
    const audit = await t.call('audit.list', { query: 'db root' });
    expect(audit.map((e) => e.action)).toEqual(['secret.copied', 'secret.revealed', 'credential.created']);
    expect(audit.every((e) => e.credentialId === c.id && !e.detail.includes(secret))).toBe(true);
  });

  test('secrets are registered with the log redactor (raw and JSON-escaped); lock forgets them', async () => {
    const secret = testSecret('multi"line\nsecret');
    await t.call('credentials.create', { name: 'ml', kind: 'api-token', secret });
    t.core.logger.warn('probe', { value: `before ${secret} after` });
    expect(t.lines.at(-1)).toContain('before [redacted] after');
    await t.call('vault.lock', {});
    await t.call('vault.unlock', { password: PASSWORD });
    t.core.logger.warn('probe', { value: secret });
    expect(t.lines.at(-1)).toContain('[redacted]');
  });

  test('a patch keeps unspecified fields; kind filter and query work', async () => {
    const c = await t.call('credentials.create', {
      name: 'api',
      kind: 'api-token',
      secret: testSecret('tok'),
      username: 'bot',
      notes: 'ci',
    });
    const u = await t.call('credentials.update', { id: c.id, patch: { name: 'api token' } });
    expect(u).toMatchObject({ name: 'api token', username: 'bot', notes: 'ci' });
    await t.call('credentials.create', { name: 'pw', kind: 'password', secret: testSecret('pw') });
    expect((await t.call('credentials.list', { kind: 'api-token' })).map((x) => x.name)).toEqual(['api token']);
    expect((await t.call('credentials.list', { query: 'BOT' })).map((x) => x.name)).toEqual(['api token']);
  });

  test('deleting a credential in use is refused with IN_USE naming the servers; force detaches', async () => {
    const c = await t.call('credentials.create', { name: 'shared', kind: 'password', secret: testSecret('shared') });
    const a = await t.call('servers.create', { ...base, name: 'db-1', host: 'db1.io', credentialId: c.id });
    const b = await t.call('servers.create', {
      ...base,
      name: 'panel-1',
      host: 'p.io',
      panels: [{ kind: 'cloudpanel-api', endpoint: 'https://p.io:8443', credentialId: c.id }],
    });
    expect((await t.call('credentials.list', {}))[0]?.usedBy.sort()).toEqual([a.id, b.id].sort());
    const err = await t.fail('credentials.delete', { id: c.id });
    expect(err.code).toBe('IN_USE');
    expect(err.message).toContain('db-1');
    expect(err.message).toContain('panel-1');
    expect((err.details?.servers as { id: string }[]).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(await t.call('credentials.list', {})).toHaveLength(1);
    const res = await t.call('credentials.delete', { id: c.id, force: true });
    expect(res.detachedFrom.sort()).toEqual([a.id, b.id].sort());
    expect((await t.call('servers.get', { id: a.id })).credentialId).toBeNull();
    expect((await t.call('servers.get', { id: b.id })).panels[0]?.credentialId).toBeNull();
  });

  test('recordUse returns the secret and writes "password of db-1 used for SSH"', async () => {
    const secret = testSecret('use');
    const c = await t.call('credentials.create', { name: 'root pw', kind: 'password', secret });
    const s = await t.call('servers.create', { ...base, name: 'db-1', host: 'db1.io', credentialId: c.id });
    expect(t.core.credentials.recordUse(c.id, s.id, 'SSH').secret).toBe(secret);
    const [entry] = await t.call('audit.list', { action: 'secret.used' });
    expect(entry).toMatchObject({ credentialId: c.id, serverId: s.id });
    expect(entry?.detail).toMatch(/^password of db-1 used for SSH/);
  });
});

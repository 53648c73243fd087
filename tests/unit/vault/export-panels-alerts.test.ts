import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

test('panel accounts and alert rules travel in an export; their credential and server references are remapped', async () => {
  const t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
  const apiKey = testSecret('panel-api-key');
  const cred = await t.call('credentials.create', { name: 'web1-login', kind: 'password', secret: testSecret('pw') });
  const web1 = await t.call('servers.create', {
    name: 'web1',
    host: 'web1.shop.example.com',
    port: 22,
    user: 'deploy',
    auth: 'password',
    credentialId: cred.id,
  });
  const panel = await t.call('panels.add', {
    name: 'Shop panel',
    kind: 'cloudpanel-api',
    baseUrl: 'https://panel.shop.example.com:8443',
    credential: { username: null, secret: apiKey },
    serverIds: [web1.id],
  });
  await t.call('alerts.rules.create', {
    name: 'web1 CPU',
    metric: 'cpu',
    threshold: 90,
    scope: { kind: 'server', serverId: web1.id },
  });
  await t.call('alerts.rules.create', {
    name: 'panel down',
    metric: 'unreachable',
    scope: { kind: 'server', serverId: panel.id },
  });
  await t.call('alerts.rules.create', { name: 'disks', metric: 'disk', threshold: 95 });
  const file = path.join(tempDir('pd-export-'), 'fleet.pdx');
  const exportPassword = testSecret('export-panels-pass');
  // 2 credentials (web1's and the panel's), 1 server, 1 panel, 3 rules.
  expect(await t.call('vault.export', { path: file, password: exportPassword })).toMatchObject({ records: 7 });
  const raw = fs.readFileSync(file, 'utf8');
  for (const s of ['Shop panel', 'panel.shop.example.com', 'web1 CPU', apiKey]) expect(raw).not.toContain(s);

  // The other vault already has a different "web1": replacing it keeps its id, so every reference must follow.
  const u = testCore(tempDir());
  await u.call('vault.create', { password: PASSWORD });
  const ownCred = await u.call('credentials.create', { name: 'other', kind: 'password', secret: testSecret('pw2') });
  const own = await u.call('servers.create', {
    name: 'web1',
    host: 'old-web1.shop.example.com',
    port: 22,
    user: 'deploy',
    auth: 'password',
    credentialId: ownCred.id,
  });
  const preview = await u.call('vault.importPreview', { path: file, password: exportPassword });
  expect(
    preview.items
      .filter((i) => i.kind === 'panel' || i.kind === 'alert-rule')
      .map((i) => `${i.kind}:${i.name}:${i.action}`)
      .sort(),
  ).toEqual([
    'alert-rule:disks:create',
    'alert-rule:panel down:create',
    'alert-rule:web1 CPU:create',
    'panel:Shop panel:create',
  ]);
  expect(await u.call('vault.import', { path: file, password: exportPassword, onConflict: 'replace' })).toEqual({
    created: 6,
    replaced: 1,
    skipped: 0,
  });
  const [imported] = await u.call('panels.list', {});
  expect(imported).toMatchObject({
    name: 'Shop panel',
    baseUrl: 'https://panel.shop.example.com:8443',
    serverIds: [own.id],
  });
  const panelCred = (await u.call('credentials.list', {})).find((c) => c.id === imported?.credentialId);
  expect(panelCred).toBeDefined();
  const rules = await u.call('alerts.rules.list', {});
  expect(rules.find((r) => r.name === 'web1 CPU')?.scope).toEqual({ kind: 'server', serverId: own.id });
  expect(rules.find((r) => r.name === 'panel down')?.scope).toEqual({ kind: 'server', serverId: imported?.id });
  expect(rules.find((r) => r.name === 'disks')?.scope).toEqual({ kind: 'all' });

  // Importing the same file again creates nothing.
  expect(await u.call('vault.import', { path: file, password: exportPassword, onConflict: 'skip' })).toMatchObject({
    created: 0,
  });
  expect(await u.call('panels.list', {})).toHaveLength(1);
  expect(await u.call('alerts.rules.list', {})).toHaveLength(3);
  await t.core.close();
  await u.core.close();
});

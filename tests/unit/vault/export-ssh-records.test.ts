import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

test('snippets and trusted host keys travel in an export and merge back without duplicates', async () => {
  const t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
  await t.call('snippets.create', { name: 'Restart nginx', command: 'sudo systemctl restart nginx\n', tags: ['web'] });
  await t.call('hostKeys.importKnownHosts', { text: `[web1.example.com]:2222 ssh-ed25519 ${KEY}\n` });
  const file = path.join(tempDir('pd-export-'), 'fleet.pdx');
  const exportPassword = testSecret('export-ssh-pass');
  expect(await t.call('vault.export', { path: file, password: exportPassword })).toMatchObject({ records: 2 });
  const raw = fs.readFileSync(file, 'utf8');
  for (const s of ['nginx', 'web1.example.com', KEY]) expect(raw).not.toContain(s);

  const u = testCore(tempDir());
  await u.call('vault.create', { password: PASSWORD });
  await u.call('snippets.create', { name: 'Restart nginx', command: 'sudo nginx -s reload\n' });
  const preview = await u.call('vault.importPreview', { path: file, password: exportPassword });
  expect(preview.items.map((i) => `${i.kind}:${i.name}:${i.action}`).sort()).toEqual([
    'host-key:web1.example.com:2222 ssh-ed25519:create',
    'snippet:Restart nginx:conflict',
  ]);
  expect(await u.call('vault.import', { path: file, password: exportPassword, onConflict: 'keep-both' })).toEqual({
    created: 2,
    replaced: 0,
    skipped: 0,
  });
  expect((await u.call('snippets.list', {})).map((s) => s.name).sort()).toEqual([
    'Restart nginx',
    'Restart nginx (imported)',
  ]);
  expect(await u.call('hostKeys.list', {})).toEqual([
    expect.objectContaining({ host: 'web1.example.com', port: 2222, source: 'known_hosts', publicKey: KEY }),
  ]);
  const again = await u.call('vault.importPreview', { path: file, password: exportPassword });
  expect(again.items.every((i) => i.action !== 'create')).toBe(true);
  expect(await u.call('vault.import', { path: file, password: exportPassword, onConflict: 'skip' })).toMatchObject({
    created: 0,
  });
  expect(await u.call('hostKeys.list', {})).toHaveLength(1);
  await t.core.close();
  await u.core.close();
});

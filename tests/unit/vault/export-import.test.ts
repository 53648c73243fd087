import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

const base = { user: 'root', auth: 'password' as const };

async function sourceVault() {
  const t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
  const secret = testSecret('export-cred');
  const c = await t.call('credentials.create', { name: 'root pw', kind: 'password', secret });
  const bastion = await t.call('servers.create', { ...base, name: 'bastion', host: 'bastion.example.com' });
  await t.call('servers.create', {
    ...base,
    name: 'db-1',
    host: 'db1.example.com',
    credentialId: c.id,
    jumpHostIds: [bastion.id],
    tags: ['prod'],
  });
  return { t, secret };
}

describe('export / import', () => {
  test('round trip into an empty vault keeps every field and reference; the file reveals nothing', async () => {
    const { t, secret } = await sourceVault();
    const file = path.join(tempDir('pd-export-'), 'fleet.pdx');
    const exportPassword = testSecret('export-pass');
    expect(await t.call('vault.export', { path: file, password: exportPassword })).toEqual({ path: file, records: 3 });
    const raw = fs.readFileSync(file, 'utf8');
    for (const s of [secret, 'bastion.example.com', 'db-1', 'root pw']) expect(raw).not.toContain(s);
    expect(JSON.parse(raw)).toMatchObject({ format: 'paneldeck-export', version: 1, kdf: { algorithm: 'argon2id' } });
    expect((await t.call('audit.list', { action: 'vault.exported' })).length).toBe(1);

    const u = testCore(tempDir());
    await u.call('vault.create', { password: PASSWORD });
    expect((await u.fail('vault.importPreview', { path: file, password: 'wrong password' })).code).toBe(
      'WRONG_PASSWORD',
    );
    const preview = await u.call('vault.importPreview', { path: file, password: exportPassword });
    expect(preview.items.map((i) => `${i.kind}:${i.name}:${i.action}`).sort()).toEqual([
      'credential:root pw:create',
      'server:bastion:create',
      'server:db-1:create',
    ]);
    expect(await u.call('vault.import', { path: file, password: exportPassword, onConflict: 'skip' })).toEqual({
      created: 3,
      replaced: 0,
      skipped: 0,
    });
    const [bastion, db] = await u.call('servers.list', {});
    const [cred] = await u.call('credentials.list', {});
    expect(db).toMatchObject({ name: 'db-1', credentialId: cred?.id, jumpHostIds: [bastion?.id], tags: ['prod'] });
    expect((await u.call('credentials.reveal', { id: cred?.id ?? '', purpose: 'reveal' })).secret).toBe(secret);
    // Importing again: everything identical.
    const again = await u.call('vault.importPreview', { path: file, password: exportPassword });
    expect(again.items.every((i) => i.action === 'identical')).toBe(true);
    await t.core.close();
    await u.core.close();
  });

  test('conflicts follow the policy: skip, replace, keep-both', async () => {
    const { t } = await sourceVault();
    const file = path.join(tempDir('pd-export-'), 'fleet.pdx');
    const pw = testSecret('export-pass2');
    await t.call('vault.export', { path: file, password: pw });
    const db = (await t.call('servers.list', { query: 'db-1' }))[0];
    await t.call('servers.update', { id: db?.id ?? '', patch: { port: 2222 } });
    const preview = await t.call('vault.importPreview', { path: file, password: pw });
    expect(preview.items.find((i) => i.name === 'db-1')?.action).toBe('conflict');
    expect(preview.items.filter((i) => i.action === 'identical')).toHaveLength(2);

    expect(await t.call('vault.import', { path: file, password: pw, onConflict: 'skip' })).toEqual({
      created: 0,
      replaced: 0,
      skipped: 3,
    });
    expect((await t.call('servers.get', { id: db?.id ?? '' })).port).toBe(2222);
    expect(await t.call('vault.import', { path: file, password: pw, onConflict: 'replace' })).toEqual({
      created: 0,
      replaced: 1,
      skipped: 2,
    });
    expect((await t.call('servers.get', { id: db?.id ?? '' })).port).toBe(22);
    await t.call('servers.update', { id: db?.id ?? '', patch: { port: 2222 } });
    expect(await t.call('vault.import', { path: file, password: pw, onConflict: 'keep-both' })).toEqual({
      created: 1,
      replaced: 0,
      skipped: 2,
    });
    expect((await t.call('servers.list', {})).map((s) => s.name)).toEqual(['bastion', 'db-1', 'db-1 (imported)']);
    await t.core.close();
  });

  test('an altered export file does not open', async () => {
    const { t } = await sourceVault();
    const file = path.join(tempDir('pd-export-'), 'fleet.pdx');
    const pw = testSecret('export-pass3');
    await t.call('vault.export', { path: file, password: pw });
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { kdf: { iterations: number } };
    doc.kdf.iterations += 1;
    fs.writeFileSync(file, JSON.stringify(doc));
    expect((await t.fail('vault.importPreview', { path: file, password: pw })).code).toBe('WRONG_PASSWORD');
    fs.writeFileSync(file, 'not json');
    expect((await t.fail('vault.importPreview', { path: file, password: pw })).code).toBe('VALIDATION');
    await t.core.close();
  });
});

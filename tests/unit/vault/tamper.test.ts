import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { RecordStore } from '../../../src/main/vault/record-store';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

test("a record's ciphertext copied onto another row fails to open with TAMPERED", async () => {
  const dir = tempDir();
  const t = testCore(dir);
  await t.call('vault.create', { password: PASSWORD });
  const a = await t.call('credentials.create', { name: 'a', kind: 'password', secret: testSecret('a') });
  const b = await t.call('credentials.create', { name: 'b', kind: 'password', secret: testSecret('b') });
  const s = await t.call('servers.create', { name: 's', host: 's.io', user: 'root', auth: 'password' });
  await t.core.close();

  // An attacker with the file (but not the key) moves a's sealed bytes onto b's row, and onto the server row.
  const db = new Database(RecordStore.fileIn(dir));
  const rowA = db.prepare('SELECT nonce, ciphertext FROM records WHERE id = ?').get(a.id) as {
    nonce: Buffer;
    ciphertext: Buffer;
  };
  const move = db.prepare('UPDATE records SET nonce = ?, ciphertext = ? WHERE id = ?');
  move.run(rowA.nonce, rowA.ciphertext, b.id);
  move.run(rowA.nonce, rowA.ciphertext, s.id);
  db.close();

  const u = testCore(dir);
  await u.call('vault.unlock', { password: PASSWORD });
  expect(() => u.core.vault.records().openFromDisk(b.id)).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  expect((await u.fail('credentials.reveal', { id: b.id, purpose: 'reveal' })).code).toBe('TAMPERED');
  expect((await u.fail('servers.get', { id: s.id })).code).toBe('TAMPERED');
  // The untouched record still opens; the moved ones are left out of lists.
  expect((await u.call('credentials.list', {})).map((c) => c.name)).toEqual(['a']);
  expect(u.core.vault.records().openFromDisk(a.id)).toMatchObject({ name: 'a' });
  expect(u.lines.some((l) => l.includes('vault.records-tampered'))).toBe(true);
  await u.core.close();
});

test('a row whose kind is relabelled (credential -> server) also fails to open', async () => {
  const dir = tempDir();
  const t = testCore(dir);
  await t.call('vault.create', { password: PASSWORD });
  const c = await t.call('credentials.create', { name: 'c', kind: 'password', secret: testSecret('relabel') });
  await t.core.close();
  const db = new Database(RecordStore.fileIn(dir));
  db.prepare("UPDATE records SET kind = 'server' WHERE id = ?").run(c.id);
  db.close();
  const u = testCore(dir);
  await u.call('vault.unlock', { password: PASSWORD });
  expect(() => u.core.vault.records().openFromDisk(c.id)).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  expect(await u.call('servers.list', {})).toEqual([]);
  await u.core.close();
});

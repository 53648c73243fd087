import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { RecordStore } from '../../src/main/vault/record-store';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../support/core-harness';

/** Every distinctive string in `needles` that occurs in the raw bytes of the vault's files (UTF-8 or UTF-16). */
function scan(file: string, needles: readonly string[]): { files: Record<string, number>; found: string[] } {
  const files: Record<string, number> = {};
  const found: string[] = [];
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!fs.existsSync(f)) continue;
    const bytes = fs.readFileSync(f);
    files[path.basename(f)] = bytes.length;
    for (const n of needles) {
      if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le')))
        found.push(`${n} in ${path.basename(f)}`);
    }
    // `strings`-style: no run of 4+ printable characters from any needle either (catches partial leaks).
    const printable = bytes.toString('latin1').match(/[\x20-\x7e]{8,}/g) ?? [];
    for (const run of printable)
      for (const n of needles) if (run.includes(n.slice(0, 8)) && n.length >= 8) found.push(`prefix of ${n}`);
  }
  return { files, found };
}

test('after 50 servers and their secrets, none of the identifying strings is in vault.db, -wal or -shm', async () => {
  const dir = tempDir('pd-strings-');
  const t = testCore(dir);
  await t.call('vault.create', { password: PASSWORD });
  const needles: string[] = [PASSWORD];
  for (let i = 0; i < 50; i++) {
    const secret = testSecret(`strings-${i}`);
    const username = `zuser${i}qx`;
    const c = await t.call('credentials.create', {
      name: `Zcred name ${i} quux`,
      kind: 'login',
      secret,
      username,
      notes: `Zcred note ${i} frobnicate`,
    });
    const s = {
      name: `Zserver name ${i} wibble`,
      host: `zhost${i}.wobble.example`,
      port: 20_000 + i,
      user: `zlogin${i}`,
      auth: 'password' as const,
      credentialId: c.id,
      tags: [`ztag${i}xy`],
      group: `Zgroup ${i} plugh`,
      notes: `Zserver note ${i} xyzzy`,
    };
    await t.call('servers.create', s);
    needles.push(
      secret,
      username,
      c.name,
      `Zcred note ${i} frobnicate`,
      s.name,
      s.host,
      s.user,
      s.tags[0] ?? '',
      s.group,
      s.notes,
    );
  }
  const file = RecordStore.fileIn(dir);
  // WAL not yet checkpointed: the records live only in vault.db-wal right now.
  const before = scan(file, needles);
  expect(before.files['vault.db-wal']).toBeGreaterThan(100 * 256);
  expect(before.found).toEqual([]);
  // The data really is in there (sanity check that the scan can find things): the record ids are.
  const [anyServer] = await t.call('servers.list', {});
  expect(fs.readFileSync(`${file}-wal`).includes(Buffer.from(anyServer?.id ?? 'x'))).toBe(true);

  await t.core.close(); // checkpoints the WAL into vault.db
  const after = scan(file, needles);
  expect(after.files['vault.db']).toBeGreaterThan(100 * 256);
  expect(after.found).toEqual([]);
  console.log(
    `strings scan: ${needles.length} distinctive strings, ${before.found.length + after.found.length} found; files ${JSON.stringify({ before: before.files, after: after.files })}`,
  );
  expect(leaksFound()).toEqual([]);
});

import { newId } from '../../../src/main/vault/crypto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { HostKeysService } from '../../../src/main/inventory/host-keys.service';
import { hashHostName } from '../../../src/main/inventory/known-hosts';
import { hostKeyEntry } from '../../../src/main/ssh/host-key-verifier';
import { VaultSshSource } from '../../../src/main/terminal/vault-ssh-source';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

/** A fake ed25519 public key blob (type string + 32 random bytes), as known_hosts and ssh2 carry it. */
function fakeKey(): { blob: Buffer; b64: string } {
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  const blob = Buffer.concat([len(type.length), type, len(32), randomBytes(32)]);
  return { blob, b64: blob.toString('base64') };
}

let t: TestCore;
let keys: HostKeysService;
beforeEach(async () => {
  t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
  keys = new HostKeysService({
    vault: t.core.vault,
    ctx: { clock: t.core.vault.clock, logger: t.core.logger, newId },
  });
});

describe('vault-backed host keys', () => {
  test('trust / get / replace are sealed records that survive lock and unlock; locked → VAULT_LOCKED', async () => {
    const a = hostKeyEntry(fakeKey().blob);
    const b = hostKeyEntry(fakeKey().blob);
    expect(await keys.get('Web1.Example.com', 22)).toBeNull();
    await keys.trust('Web1.Example.com', 22, a);
    await keys.trust('web1.example.com', 22, a);
    expect(await keys.get('web1.example.com', 22)).toEqual([a]);
    expect(await keys.get('web1.example.com', 2222)).toBeNull();
    t.core.vault.lock('user');
    await expect(keys.get('web1.example.com', 22)).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    await t.call('vault.unlock', { password: PASSWORD });
    await keys.replace('web1.example.com', 22, b);
    expect(await t.call('hostKeys.list', {})).toEqual([
      expect.objectContaining({ host: 'web1.example.com', port: 22, fingerprint: b.fingerprint, source: 'replaced' }),
    ]);
  });

  test('trusting, replacing, forgetting and importing host keys are in the audit trail, atomically', async () => {
    const a = hostKeyEntry(fakeKey().blob);
    const b = hostKeyEntry(fakeKey().blob);
    await keys.trust('web1.example.com', 2222, a);
    await keys.trust('web1.example.com', 2222, a); // already trusted: no second line
    await keys.replace('web1.example.com', 2222, b);
    const [trusted] = await t.call('hostKeys.list', {});
    await t.call('hostKeys.remove', { id: trusted?.id ?? '' });
    await t.call('hostKeys.importKnownHosts', { text: `db.example.com ssh-ed25519 ${fakeKey().b64}` });
    const lines = (await t.call('audit.list', { query: 'key' })).map((e) => [e.action, e.detail]);
    expect(lines).toEqual([
      ['hostkey.imported', '1 host keys imported from known_hosts (0 hashed entries kept for matching)'],
      ['hostkey.removed', `Trusted ssh-ed25519 key of web1.example.com:2222 forgotten (${b.fingerprint})`],
      [
        'hostkey.replaced',
        `Host key of web1.example.com:2222 replaced after a change: ${a.fingerprint} → ${b.fingerprint}`,
      ],
      ['hostkey.trusted', `ssh-ed25519 key of web1.example.com:2222 trusted on first connection (${a.fingerprint})`],
    ]);
  });

  test('known_hosts import: [host]:port, several names per line, wildcards, markers, bad keys, duplicates', async () => {
    const k1 = fakeKey();
    const k2 = fakeKey();
    const text = [
      `web1.example.com,10.0.0.5 ssh-ed25519 ${k1.b64}`,
      `[db.example.com]:2222 ssh-ed25519 ${k2.b64} comment here`,
      `*.internal ssh-ed25519 ${k1.b64}`,
      `@revoked old.example.com ssh-ed25519 ${k1.b64}`,
      `mismatch.example.com ssh-rsa ${k1.b64}`,
      `web1.example.com ssh-ed25519 ${k1.b64}`,
    ].join('\n');
    const r = await t.call('hostKeys.importKnownHosts', { text });
    expect(r).toEqual({
      imported: 3,
      alreadyTrusted: 1,
      hashed: 0,
      skipped: [
        { line: 3, reason: expect.stringMatching(/wildcard/) },
        { line: 4, reason: expect.stringMatching(/Revoked/) },
        { line: 5, reason: expect.stringMatching(/does not match/) },
      ],
    });
    const list = await t.call('hostKeys.list', {});
    expect(list.map((k) => [k.host, k.port])).toEqual([
      ['10.0.0.5', 22],
      ['db.example.com', 2222],
      ['web1.example.com', 22],
    ]);
    expect(list.every((k) => k.source === 'known_hosts')).toBe(true);
    expect((await t.call('hostKeys.list', { host: 'DB.example.com' })).map((k) => k.port)).toEqual([2222]);
  });

  test('hashed entries stay hidden until their host is looked up, then become ordinary trusted keys', async () => {
    const k = fakeKey();
    const fp = hostKeyEntry(k.blob).fingerprint;
    const text = `${hashHostName('secret-host.example.com', 2200)} ssh-ed25519 ${k.b64}\n`;
    expect(await t.call('hostKeys.importKnownHosts', { text })).toMatchObject({ imported: 0, hashed: 1 });
    expect(await t.call('hostKeys.list', {})).toEqual([]);
    expect(await keys.get('secret-host.example.com', 22)).toBeNull();
    expect(await keys.get('other.example.com', 2200)).toBeNull();
    expect((await keys.get('Secret-Host.example.com', 2200))?.map((e) => e.fingerprint)).toEqual([fp]);
    expect(await t.call('hostKeys.list', {})).toEqual([
      expect.objectContaining({ host: 'secret-host.example.com', port: 2200, fingerprint: fp, source: 'known_hosts' }),
    ]);
    expect(await t.call('hostKeys.importKnownHosts', { text })).toMatchObject({ hashed: 0, alreadyTrusted: 1 });
  });
});

describe('server → SSH target from the vault', () => {
  const base = { user: 'deploy', auth: 'password' as const };

  test('jump hosts resolve recursively; a loop is VALIDATION; secrets are audited and typed', async () => {
    const pw = testSecret('jump-pw');
    const cred = await t.call('credentials.create', { name: 'pw', kind: 'password', secret: pw });
    const a = await t.call('servers.create', { ...base, name: 'a', host: 'a.example.com', credentialId: cred.id });
    const b = await t.call('servers.create', { ...base, name: 'b', host: 'b.example.com', jumpHostIds: [a.id] });
    const c = await t.call('servers.create', { ...base, name: 'c', host: 'c.example.com' });
    const d = await t.call('servers.create', {
      ...base,
      name: 'd',
      host: 'd.example.com',
      port: 2022,
      jumpHostIds: [b.id, c.id],
    });
    const source = new VaultSshSource({
      vault: t.core.vault,
      ctx: { clock: t.core.vault.clock, logger: t.core.logger, newId },
      credentials: t.core.credentials,
    });
    const target = source.target(d.id);
    expect(target).toMatchObject({ id: d.id, host: 'd.example.com', port: 2022, user: 'deploy', auth: 'password' });
    expect(target.jump.map((h) => h.id)).toEqual([a.id, b.id, c.id]);
    expect(target.jump.every((h) => h.jump.length === 0)).toBe(true);

    expect(await source.secretFor(a.id)).toEqual({ password: pw });
    expect(await source.secretFor(c.id)).toBeNull();
    expect((await t.call('audit.list', { action: 'secret.used', limit: 5 })).map((e) => e.detail)).toEqual([
      'password of a used for SSH ("pw")',
    ]);

    // Loops are refused on save (see jump-loops.test.ts), so the chain to connect through can never hold one.
    expect((await t.fail('servers.update', { id: a.id, patch: { jumpHostIds: [d.id] } })).code).toBe('VALIDATION');
    expect((await t.fail('servers.update', { id: d.id, patch: { jumpHostIds: [b.id, a.id] } })).code).toBe(
      'VALIDATION',
    );
    expect(source.target(d.id).jump.map((h) => h.id)).toEqual([a.id, b.id, c.id]);

    t.core.vault.lock('user');
    expect(() => source.target(d.id)).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    await expect(source.secretFor(a.id)).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });

  test('terminal.open refuses unknown servers and a locked vault before anything connects', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.fail('terminal.open', { serverId: missing, cols: 80, rows: 24 })).code).toBe('NOT_FOUND');
    expect(await t.call('terminal.list', {})).toEqual([]);
    t.core.vault.lock('user');
    expect((await t.fail('terminal.open', { serverId: missing, cols: 80, rows: 24 })).code).toBe('VAULT_LOCKED');
    expect(t.core.ssh.stats()).toEqual([]);
  });
});

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { osKeychain } from '../../src/main/vault/keychain';
import { leaksFound, PASSWORD, tempDir, testCore } from '../support/core-harness';
import { startKeyring, type KeyringPeer } from './peers/keyring';

const run = promisify(execFile);
let peer: KeyringPeer;
const saved = { ...process.env };

beforeAll(async () => {
  peer = await startKeyring();
});
afterAll(async () => {
  for (const k of Object.keys(peer?.env ?? {})) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await peer?.stop();
  expect(leaksFound()).toEqual([]);
});

test('keychain unlock works against a real gnome-keyring and stops working once revoked', async () => {
  Object.assign(process.env, peer.env);
  const dir = tempDir();
  const t = testCore(dir, { keychain: osKeychain });
  await t.call('vault.create', { password: PASSWORD });
  await t.call('vault.setKeychain', { enabled: true });
  // The item is really in the Secret Service, under service "PanelDeck".
  const listed = await peer.secretTool(['search', '--all', 'service', 'PanelDeck']);
  expect(listed).toMatch(/attribute\.service = PanelDeck/);
  await t.call('vault.lock', {});
  await t.core.close();

  // A fresh process-like core (nothing in memory) unlocks with the keychain alone.
  const u = testCore(dir, { keychain: osKeychain });
  expect((await u.call('vault.unlockWithKeychain', {})).unlocked).toBe(true);
  await u.call('servers.create', { name: 'kc', host: 'kc.example.com', user: 'root', auth: 'agent' });
  await u.call('vault.setKeychain', { enabled: false });
  expect(await peer.secretTool(['search', '--all', 'service', 'PanelDeck'])).not.toMatch(/PanelDeck/);
  await u.call('vault.lock', {});
  const err = await u.fail('vault.unlockWithKeychain', {});
  expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
  expect(err.details?.reason).toBe('not-enabled');
  await u.core.close();

  const v = testCore(dir, { keychain: osKeychain });
  expect((await v.fail('vault.unlockWithKeychain', {})).code).toBe('KEYCHAIN_UNAVAILABLE');
  await v.call('vault.unlock', { password: PASSWORD });
  expect((await v.call('servers.list', {})).map((s) => s.name)).toEqual(['kc']);
  const actions = (await v.call('audit.list', {})).map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['vault.keychain-enabled', 'vault.keychain-disabled']));
  await v.core.close();
});

test('a keychain item deleted behind our back is reported as missing, not as a wrong password', async () => {
  Object.assign(process.env, peer.env);
  const t = testCore(tempDir(), { keychain: osKeychain });
  await t.call('vault.create', { password: PASSWORD });
  await t.call('vault.setKeychain', { enabled: true });
  await t.call('vault.lock', {});
  await peer.secretTool(['clear', 'service', 'PanelDeck']);
  const err = await t.fail('vault.unlockWithKeychain', {});
  expect(err).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', details: { reason: 'missing' } });
  await t.core.close();
});

test('without a Secret Service on the bus, turning keychain unlock on fails with KEYCHAIN_UNAVAILABLE', async () => {
  // In a child process: the keyring library keeps its D-Bus connection for the life of the process.
  const script = `
    import { createCore } from ${JSON.stringify(path.resolve('src/main/core/create-core.ts'))};
    import { MIN_KDF } from ${JSON.stringify(path.resolve('src/main/vault/crypto.ts'))};
    const core = createCore({ dataDir: process.argv[1], kdf: MIN_KDF, logSink: () => {} });
    const ctx = { transport: 'in-process' };
    await core.dispatcher.call('vault.create', { password: process.env.PD_TEST_PASSWORD }, ctx);
    const r = await core.dispatcher.call('vault.setKeychain', { enabled: true }, ctx);
    const s = await core.dispatcher.call('vault.status', {}, ctx);
    console.log(JSON.stringify({ code: r.ok ? 'ok' : r.error.code, enabled: s.ok && s.value.keychainEnabled }));
    await core.close();`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, tempDir()], {
    env: {
      ...process.env,
      ...peer.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${peer.dir}/no-such-bus`,
      PD_TEST_PASSWORD: PASSWORD,
    },
  });
  expect(JSON.parse(stdout.trim())).toEqual({ code: 'KEYCHAIN_UNAVAILABLE', enabled: false });
});

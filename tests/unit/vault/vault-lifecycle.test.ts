import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { VaultStatus } from '../../../src/shared/contract/vault.contract';
import { ManualClock } from '../../../src/main/vault/clock';
import { leaksFound, MemoryKeychain, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

const server = { name: 'web-1', host: 'web1.example.com', user: 'deploy', auth: 'password' as const };

describe('vault life cycle', () => {
  test('create, lock, unlock; a locked vault refuses every inventory call with VAULT_LOCKED', async () => {
    const dir = tempDir();
    const t = testCore(dir);
    expect((await t.call('vault.status', {})).exists).toBe(false);
    expect((await t.fail('vault.unlock', { password: PASSWORD })).code).toBe('VAULT_NOT_FOUND');
    const created = await t.call('vault.create', { password: PASSWORD });
    expect(created).toMatchObject({ exists: true, unlocked: true, keychainEnabled: false, autoLockMinutes: 15 });
    expect((await t.fail('vault.create', { password: PASSWORD })).code).toBe('VAULT_EXISTS');
    const s = await t.call('servers.create', server);
    await t.call('vault.lock', {});
    for (const [m, input] of [
      ['servers.list', {}],
      ['servers.get', { id: s.id }],
      ['servers.create', server],
      ['servers.delete', { id: s.id }],
      ['inventory.facets', {}],
      ['credentials.list', {}],
      ['credentials.reveal', { id: s.id, purpose: 'reveal' }],
      ['keys.exportPrivate', { id: s.id }],
      ['sshConfig.preview', { text: 'Host a\n  HostName a.example.com\n' }],
      ['audit.list', {}],
      ['vault.export', { path: path.join(dir, 'x.pdx'), password: PASSWORD }],
    ] as const) {
      expect((await t.fail(m, input)).code, m).toBe('VAULT_LOCKED');
    }
    await t.call('vault.unlock', { password: PASSWORD });
    expect((await t.call('servers.list', {})).map((x) => x.name)).toEqual(['web-1']);
    await t.core.close();
  });

  test('vault.changed is emitted on every state change', async () => {
    const t = testCore(tempDir());
    const seen: VaultStatus[] = [];
    t.core.events.subscribe((name, payload) => {
      if (name === 'vault.changed') seen.push(payload as VaultStatus);
    });
    await t.call('vault.create', { password: PASSWORD });
    await t.call('vault.setAutoLock', { minutes: 5 });
    await t.call('vault.lock', {});
    await t.fail('vault.unlock', { password: 'wrong password!' });
    await t.call('vault.unlock', { password: PASSWORD });
    await t.call('vault.setKeychain', { enabled: true });
    expect(seen.map((s) => [s.unlocked, s.autoLockMinutes, s.keychainEnabled])).toEqual([
      [true, 15, false],
      [true, 5, false],
      [false, 5, false],
      [false, 5, false],
      [true, 5, false],
      [true, 5, true],
    ]);
    await t.core.close();
  });

  test('wrong passwords are throttled 0,1,2,4 s and the delay survives a restart', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const a = testCore(dir, { clock });
    await a.call('vault.create', { password: PASSWORD });
    await a.call('vault.lock', {});
    const wrong = testSecret('wrong-master');
    expect((await a.fail('vault.unlock', { password: wrong })).code).toBe('WRONG_PASSWORD');
    const second = await a.fail('vault.unlock', { password: wrong });
    expect(second.code).toBe('WRONG_PASSWORD');
    expect(second.details?.retryAfter).toBe(clock.now() + 1000);
    const limited = await a.fail('vault.unlock', { password: PASSWORD });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.details?.retryAfter).toBe(clock.now() + 1000);
    await a.core.close();

    const b = testCore(dir, { clock });
    expect((await b.call('vault.status', {})).retryAfter).toBe(clock.now() + 1000);
    expect((await b.fail('vault.unlock', { password: PASSWORD })).code).toBe('RATE_LIMITED');
    clock.advance(1000);
    const third = await b.fail('vault.unlock', { password: wrong });
    expect(third.details?.retryAfter).toBe(clock.now() + 2000);
    clock.advance(1999);
    expect((await b.fail('vault.unlock', { password: PASSWORD })).code).toBe('RATE_LIMITED');
    clock.advance(1);
    await b.call('vault.unlock', { password: PASSWORD });
    expect((await b.call('vault.status', {})).retryAfter).toBeNull();
    const failed = await b.call('audit.list', { action: 'vault.unlock-failed' });
    expect(failed).toHaveLength(3);
    await b.core.close();
  });

  test('auto-lock after the idle minutes; any call counts as activity; lock cancels the timer', async () => {
    const t = testCore(tempDir());
    await t.call('vault.create', { password: PASSWORD });
    await t.call('vault.setAutoLock', { minutes: 10 });
    t.clock.advance(9 * 60_000);
    await t.call('servers.list', {});
    t.clock.advance(9 * 60_000);
    expect(t.core.vault.unlocked).toBe(true); // 18 min after start, 9 since the last call
    t.clock.advance(60_000 - 1);
    expect(t.core.vault.unlocked).toBe(true);
    t.clock.advance(1);
    expect(t.core.vault.unlocked).toBe(false); // exactly 10 idle minutes
    expect(t.clock.pending).toBe(0);
    await t.call('vault.unlock', { password: PASSWORD });
    expect((await t.call('audit.list', { action: 'vault.locked' }))[0]?.detail).toMatch(/idle/);
    await t.call('vault.setAutoLock', { minutes: 0 });
    t.clock.advance(24 * 3600_000);
    expect(t.core.vault.unlocked).toBe(true);
    t.core.vault.lock('suspend');
    expect(t.core.vault.unlocked).toBe(false);
    await t.core.close();
  });

  test('status polls and health checks are not activity; app.activity is', async () => {
    const t = testCore(tempDir());
    await t.call('vault.create', { password: PASSWORD });
    await t.call('vault.setAutoLock', { minutes: 10 });
    t.clock.advance(9 * 60_000);
    await t.call('app.activity', {});
    t.clock.advance(9 * 60_000);
    expect(t.core.vault.unlocked).toBe(true); // the heartbeat postponed it
    for (let i = 0; i < 60; i++) {
      await t.call('vault.status', {});
      await t.call('app.health', {});
      t.clock.advance(1_000);
    }
    t.clock.advance(60_000);
    expect(t.core.vault.unlocked).toBe(false); // polling for a minute did not
    await t.core.close();
  });

  test('change password re-wraps the data key: old password fails, new one opens the same records', async () => {
    const dir = tempDir();
    const t = testCore(dir);
    await t.call('vault.create', { password: PASSWORD });
    const secret = testSecret('rewrap');
    const c = await t.call('credentials.create', { name: 'k', kind: 'password', secret });
    const next = testSecret('next-master');
    expect((await t.fail('vault.changePassword', { current: 'not the password', next })).code).toBe('WRONG_PASSWORD');
    await t.call('vault.changePassword', { current: PASSWORD, next });
    await t.core.close();
    const u = testCore(dir);
    expect((await u.fail('vault.unlock', { password: PASSWORD })).code).toBe('WRONG_PASSWORD');
    await u.call('vault.unlock', { password: next });
    expect((await u.call('credentials.reveal', { id: c.id, purpose: 'reveal' })).secret).toBe(secret);
    expect((await u.call('audit.list', { action: 'vault.password-changed' })).length).toBe(1);
    await u.core.close();
  });

  test('keychain unlock (in-memory keychain): opt-in, revocable, KEYCHAIN_UNAVAILABLE when the keychain fails', async () => {
    const dir = tempDir();
    const keychain = new MemoryKeychain();
    const t = testCore(dir, { keychain });
    await t.call('vault.create', { password: PASSWORD });
    await t.call('vault.lock', {});
    expect((await t.fail('vault.unlockWithKeychain', {})).code).toBe('KEYCHAIN_UNAVAILABLE');
    await t.call('vault.unlock', { password: PASSWORD });
    await t.call('vault.setKeychain', { enabled: true });
    expect(keychain.items.size).toBe(1);
    expect([...keychain.items.keys()][0]).toMatch(/^PanelDeck\/[0-9a-f-]{36}$/);
    await t.call('vault.lock', {});
    expect((await t.call('vault.unlockWithKeychain', {})).unlocked).toBe(true);
    await t.call('vault.setKeychain', { enabled: false });
    expect(keychain.items.size).toBe(0);
    await t.call('vault.lock', {});
    expect((await t.fail('vault.unlockWithKeychain', {})).details?.reason).toBe('not-enabled');
    await t.call('vault.unlock', { password: PASSWORD });
    keychain.failing = true;
    const err = await t.fail('vault.setKeychain', { enabled: true });
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await t.call('vault.status', {})).keychainEnabled).toBe(false);
    const actions = (await t.call('audit.list', {})).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['vault.keychain-enabled', 'vault.keychain-disabled']));
    await t.core.close();
  });
});

test('a lock (suspend) that lands while an unlock is deriving its key wins: the vault stays locked', async () => {
  const t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
  await t.call('vault.lock', {});
  const unlocking = t.fail('vault.unlock', { password: PASSWORD });
  t.core.vault.lock('suspend');
  expect((await unlocking).code).toBe('VAULT_LOCKED');
  expect(t.core.vault.unlocked).toBe(false);
  await t.call('vault.unlock', { password: PASSWORD });
  expect(t.core.vault.unlocked).toBe(true);
  await t.core.close();
});

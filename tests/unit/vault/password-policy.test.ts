import { afterAll, describe, expect, test } from 'vitest';
import { MIN_PASSWORD_LENGTH, weakPasswordReason } from '../../../src/shared/password-strength';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret } from '../../support/core-harness';

/** Issue 8 item 11: the core refuses master (and export) passwords below the shared minimum strength, saying why. */
afterAll(() => expect(leaksFound()).toEqual([]));

describe('master password policy', () => {
  test('vault.create refuses password1234 with the reason on the password field', async () => {
    const t = testCore(tempDir());
    const e = await t.fail('vault.create', { password: 'password1234' });
    expect(e.code).toBe('VALIDATION');
    const issues = e.details?.issues as { path: string; message: string }[];
    expect(issues[0]?.path).toBe('password');
    expect(issues[0]?.message).toMatch(/Too easy to guess \(very weak, about 17 bits/);
    expect((await t.fail('vault.create', { password: 'Xk9#pL2$vM' })).message).toContain(
      `at least ${MIN_PASSWORD_LENGTH} characters`,
    );
    expect((await t.call('vault.status', {})).exists).toBe(false);
    await t.core.close();
  });

  test('vault.changePassword refuses a weak new password and keeps the old one', async () => {
    const t = testCore(tempDir());
    await t.call('vault.create', { password: PASSWORD });
    const e = await t.fail('vault.changePassword', { current: PASSWORD, next: 'qwerty123456' });
    expect(e.code).toBe('VALIDATION');
    expect((e.details?.issues as { path: string }[])[0]?.path).toBe('next');
    await t.call('vault.lock', {});
    await t.call('vault.unlock', { password: PASSWORD });
    await t.core.close();
  });

  test('the service refuses too, for callers that bypass the contract', async () => {
    const t = testCore(tempDir());
    await expect(t.core.vault.create('password1234')).rejects.toMatchObject({ code: 'VALIDATION' });
    await t.core.close();
  });

  test('an export password follows the same rule', async () => {
    const t = testCore(tempDir());
    await t.call('vault.create', { password: PASSWORD });
    const e = await t.fail('vault.export', { path: `${tempDir()}/x.pdvault`, password: 'password1234' });
    expect(e.code).toBe('VALIDATION');
    await t.core.close();
  });

  test('strong passphrases and the test secrets pass', () => {
    for (const pw of [PASSWORD, 'correct-Horse-battery-staple-42', testSecret('policy')]) {
      expect(weakPasswordReason(pw), pw).toBeNull();
    }
  });
});

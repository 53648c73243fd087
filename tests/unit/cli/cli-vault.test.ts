import { afterAll, describe, expect, test } from 'vitest';
import { runCli, type CliIo } from '../../../src/main/cli/cli';
import { MIN_KDF } from '../../../src/main/vault/crypto';
import { captured, leaksFound, tempDir, testSecret } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

const PW = testSecret('cli-master');

function fakeIo(opts: { env?: Record<string, string>; stdin?: string; prompt?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let prompted = 0;
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => {
      err.push(t);
      captured.lines.push(t);
    },
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    env: opts.env ?? {},
    isTty: false,
    ...(opts.prompt !== undefined
      ? {
          promptPassword: () => {
            prompted++;
            return Promise.resolve(opts.prompt ?? '');
          },
        }
      : {}),
  };
  return { io, out, err, prompted: () => prompted };
}

const run = (argv: string[], io: CliIo) => runCli(argv, io, { kdf: MIN_KDF });

describe('CLI with a vault', () => {
  const dir = tempDir('pd-cli-');
  const env = { PD_PW: PW };

  test('vault.create takes the password from --password-env; later calls unlock first', async () => {
    const a = fakeIo({ env });
    expect(await run(['vault.create', '--data-dir', dir, '--password-env', 'PD_PW'], a.io)).toBe(0);
    expect(JSON.parse(a.out.join(''))).toMatchObject({ exists: true, unlocked: true });

    const b = fakeIo({ env });
    const server = JSON.stringify({ name: 'cli-1', host: 'cli1.example.com', user: 'root', auth: 'agent' });
    expect(await run(['servers.create', server, '--data-dir', dir, '--password-env', 'PD_PW'], b.io)).toBe(0);

    const c = fakeIo({ stdin: `${PW}\n` });
    expect(await run(['servers.list', '--data-dir', dir, '--password-stdin'], c.io)).toBe(0);
    expect((JSON.parse(c.out.join('')) as { name: string }[]).map((s) => s.name)).toEqual(['cli-1']);
  });

  test('an interactive prompt is used on a terminal; without any source the call fails with VAULT_LOCKED', async () => {
    const p = fakeIo({ prompt: PW });
    expect(await run(['inventory.facets', '--data-dir', dir], p.io)).toBe(0);
    expect(p.prompted()).toBe(1);
    // vault.status needs no unlock: no prompt.
    const s = fakeIo({ prompt: PW });
    expect(await run(['vault.status', '--data-dir', dir], s.io)).toBe(0);
    expect(s.prompted()).toBe(0);

    const none = fakeIo();
    expect(await run(['servers.list', '--data-dir', dir], none.io)).toBe(1);
    expect(JSON.parse(none.err.join('')).error.code).toBe('VAULT_LOCKED');
  });

  test('wrong password, missing variable and conflicting sources are reported, never echoing the password', async () => {
    const wrong = fakeIo({ env: { PD_PW: testSecret('cli-wrong') } });
    expect(await run(['servers.list', '--data-dir', dir, '--password-env', 'PD_PW'], wrong.io)).toBe(1);
    expect(wrong.err.join('')).toContain('WRONG_PASSWORD');
    const missing = fakeIo();
    expect(await run(['servers.list', '--data-dir', dir, '--password-env', 'NOPE'], missing.io)).toBe(2);
    const both = fakeIo({ stdin: '{}' });
    expect(await run(['servers.list', '-', '--data-dir', dir, '--password-stdin'], both.io)).toBe(2);
  });

  test('snippets.* and hostKeys.* unlock first like every method that finds the vault locked (issue 8 item 20)', async () => {
    for (const argv of [
      ['snippets.list'],
      ['hostKeys.list'],
      ['hostKeys.importKnownHosts', JSON.stringify({ text: '' })],
      ['audit.list'],
    ]) {
      const c = fakeIo({ env });
      expect(await run([...argv, '--data-dir', dir, '--password-env', 'PD_PW'], c.io), argv[0]).toBe(0);
    }
    // Invalid input is refused before any password is asked for.
    const p = fakeIo({ prompt: PW });
    expect(await run(['snippets.create', '{"nope":1}', '--data-dir', dir], p.io)).toBe(2);
    expect(p.prompted()).toBe(0);
  });

  test('a secret in the JSON argument draws a warning; the same input on stdin (-) works without one', async () => {
    const secret = testSecret('cli-cred');
    const cred = { name: 'via-argv', kind: 'password', secret };
    const a = fakeIo({ env });
    expect(
      await run(['credentials.create', JSON.stringify(cred), '--data-dir', dir, '--password-env', 'PD_PW'], a.io),
    ).toBe(0);
    expect(a.err.join('')).toMatch(/warning: "secret" of credentials\.create came on the command line[\s\S]*stdin/);

    const b = fakeIo({ env, stdin: JSON.stringify({ ...cred, name: 'via-stdin' }) });
    expect(await run(['credentials.create', '-', '--data-dir', dir, '--password-env', 'PD_PW'], b.io)).toBe(0);
    expect(JSON.parse(b.out.join(''))).toMatchObject({ name: 'via-stdin', kind: 'password' });
    expect(b.err.join('')).not.toContain('warning');

    const c = fakeIo({ env });
    expect(await run(['credentials.list', '{}', '--data-dir', dir, '--password-env', 'PD_PW'], c.io)).toBe(0);
    expect(c.err.join('')).not.toContain('warning');
  });

  test('--help lists the new options', async () => {
    const h = fakeIo();
    expect(await run(['--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/--password-env VAR[\s\S]*--password-stdin[\s\S]*--keychain/);
    expect(h.out.join('')).toMatch(/secrets .* on stdin/i);
  });
});

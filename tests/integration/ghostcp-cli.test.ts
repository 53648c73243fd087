import { afterAll, expect, test } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/cli';
import { MIN_KDF } from '../../src/main/vault/crypto';
import { leaksFound, tempDir, testSecret } from '../support/core-harness';
import { GHOST_ACCOUNTS, startGhostCpServer } from './panels/ghostcp-server';
import { totp } from './panels/ghostcp-totp';

/*
 * The CLI and a GhostCP account with two-factor sign-in (issue 10: "GhostCP's 2FA code is asked in the UI (and the
 * CLI prompts)"): the code is asked on the terminal, used to sign in, and the call goes on.
 */

afterAll(() => expect(leaksFound()).toEqual([]));

function io(opts: { stdin?: string; prompt?: () => string }) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const cli: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    env: { PD_PW: PW },
    isTty: opts.prompt !== undefined,
    ...(opts.prompt
      ? {
          promptPassword: (label: string) => {
            prompts.push(label);
            return Promise.resolve(opts.prompt?.() ?? '');
          },
        }
      : {}),
  };
  return { cli, out, err, prompts };
}

const PW = testSecret('cli-ghost');

test('panels.test asks for the two-factor code on the terminal, signs in with it and answers', async () => {
  const server = await startGhostCpServer();
  const dir = tempDir('pd-cli-ghost-');
  const run = (argv: string[], x: CliIo) =>
    runCli([...argv, '--data-dir', dir, '--password-env', 'PD_PW'], x, { kdf: MIN_KDF });
  try {
    expect(await run(['vault.create'], io({}).cli)).toBe(0);
    const add = io({
      stdin: JSON.stringify({
        name: 'Ghost',
        kind: 'ghostcp',
        baseUrl: server.url,
        credential: { username: GHOST_ACCOUNTS.otp.username, secret: GHOST_ACCOUNTS.otp.password },
      }),
    });
    expect(await run(['panels.add', '-'], add.cli)).toBe(0);
    const id = (JSON.parse(add.out.join('')) as { id: string }).id;

    // Without a terminal there is no one to ask: the panel's request for a code is the error.
    const headless = io({});
    expect(await run(['panels.test', JSON.stringify({ id })], headless.cli)).toBe(1);
    expect(headless.err.join('')).toContain('"needsOtp":true');

    const tty = io({ prompt: () => totp(GHOST_ACCOUNTS.otp.totpSecret) });
    expect(await run(['panels.test', JSON.stringify({ id })], tty.cli)).toBe(0);
    expect(tty.prompts).toEqual(['Two-factor code for the panel: ']);
    expect(JSON.parse(tty.out.join(''))).toMatchObject({ identity: expect.stringContaining('secure') });
  } finally {
    await server.close();
  }
});

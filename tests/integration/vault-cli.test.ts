import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { tempDir } from '../support/core-harness';

const run = promisify(execFile);
const BIN = path.resolve('bin/paneldeck.mjs');

/** Runs `node bin/paneldeck.mjs ...` as a real child; never rejects, returns the exit code and output. */
async function paneldeck(args: string[], env: Record<string, string>, input?: string) {
  const p = run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
  if (input !== undefined) p.child.stdin?.end(input);
  else p.child.stdin?.end();
  try {
    const { stdout, stderr } = await p;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('the paneldeck binary creates a vault, adds a server and lists it, unlocking from env and stdin', async () => {
  const dir = tempDir('pd-cli-bin-');
  const env = { PD_VAULT_PW: 'binary test password 1' };
  const created = await paneldeck(['vault.create', '--data-dir', dir, '--password-env', 'PD_VAULT_PW'], env);
  expect(created.code).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ exists: true, unlocked: true, kdf: { memoryKiB: 262_144 } });

  const server = JSON.stringify({ name: 'bin-1', host: 'bin1.example.com', user: 'root', auth: 'agent' });
  expect(
    (await paneldeck(['servers.create', server, '--data-dir', dir, '--password-env', 'PD_VAULT_PW'], env)).code,
  ).toBe(0);

  const listed = await paneldeck(['servers.list', '--data-dir', dir, '--password-stdin'], {}, `${env.PD_VAULT_PW}\n`);
  expect(listed.code).toBe(0);
  expect((JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['bin-1']);

  const locked = await paneldeck(['servers.list', '--data-dir', dir], {});
  expect(locked.code).toBe(1);
  expect(JSON.parse(locked.stderr.trim().split('\n').at(-1) ?? '{}').error.code).toBe('VAULT_LOCKED');
  for (const r of [created, listed, locked]) expect(r.stderr).not.toContain(env.PD_VAULT_PW);
});

test('the binary reads a secret from stdin (-) without a warning, warns about one in argv, unlocks for hostKeys', async () => {
  const dir = tempDir('pd-cli-bin-');
  const env = { PD_VAULT_PW: 'binary test password 2' };
  expect((await paneldeck(['vault.create', '--data-dir', dir, '--password-env', 'PD_VAULT_PW'], env)).code).toBe(0);

  // Issue 8 item 22: a secret piped on stdin (`-`) works and draws no warning; the same in argv is warned about.
  const secret = 'bin-credential-Sekr1t-5f2a';
  const cred = { name: 'bin-cred', kind: 'password', secret };
  const piped = await paneldeck(
    ['credentials.create', '-', '--data-dir', dir, '--password-env', 'PD_VAULT_PW'],
    env,
    JSON.stringify(cred),
  );
  expect(piped.code).toBe(0);
  expect(JSON.parse(piped.stdout)).toMatchObject({ name: 'bin-cred', kind: 'password' });
  expect(piped.stderr).not.toContain('warning');
  const inArgv = await paneldeck(
    [
      'credentials.create',
      JSON.stringify({ ...cred, name: 'argv-cred' }),
      '--data-dir',
      dir,
      '--password-env',
      'PD_VAULT_PW',
    ],
    env,
  );
  expect(inArgv.code).toBe(0);
  expect(inArgv.stderr).toContain('warning: "secret" of credentials.create came on the command line');
  for (const r of [piped, inArgv]) expect(r.stderr + r.stdout).not.toContain(secret);

  // Issue 8 item 20: hostKeys.* and snippets.* unlock like every other method that needs the vault.
  const hostKeys = await paneldeck(['hostKeys.list', '--data-dir', dir, '--password-env', 'PD_VAULT_PW'], env);
  expect(hostKeys.code).toBe(0);
  expect(JSON.parse(hostKeys.stdout)).toEqual([]);
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { leaksFound, PASSWORD, tempDir, testCore, testSecret, type TestCore } from '../../support/core-harness';

/**
 * Paths the user names (issue 8, items 6 and 18): `~` expansion, relative paths, folders, existing files,
 * devices and oversized files, for export, import, ssh_config (and its Includes) and known_hosts. Every refusal
 * is a typed error naming the path and the errno; none reads a byte it does not need.
 */
afterAll(() => expect(leaksFound()).toEqual([]));

const home = tempDir('pd-home-');
let t: TestCore;
const exportPassword = testSecret('paths-export');

beforeAll(async () => {
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  t = testCore(tempDir(), { homeDir: home });
  await t.call('vault.create', { password: PASSWORD });
  await t.call('servers.create', { name: 'one', host: 'one.example.com', user: 'root', auth: 'agent' });
});
afterAll(() => t.core.close());

/** A call as the web UI makes it (the UI transports have no working directory). */
async function webFail(method: string, input: unknown): Promise<AppError> {
  const r = await t.core.dispatcher.call(method, input, { transport: 'web' });
  if (r.ok) throw new Error(`${method} succeeded but was expected to fail`);
  return AppError.fromWire(r.error);
}

describe('vault.export paths', () => {
  test('~/name is written in the home directory', async () => {
    const r = await t.call('vault.export', { path: '~/backup.pdvault', password: exportPassword });
    expect(r.path).toBe(path.join(home, 'backup.pdvault'));
    expect(JSON.parse(fs.readFileSync(r.path, 'utf8'))).toMatchObject({ format: 'paneldeck-export' });
  });

  test('an existing file is not replaced without overwrite (FILE_EXISTS), and is with it', async () => {
    const file = path.join(home, 'existing.pdvault');
    fs.writeFileSync(file, 'keep me');
    const e = await t.fail('vault.export', { path: file, password: exportPassword });
    expect(e.code).toBe('FILE_EXISTS');
    expect(e.message).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    await t.call('vault.export', { path: file, password: exportPassword, overwrite: true });
    expect(fs.readFileSync(file, 'utf8')).toContain('paneldeck-export');
    expect(fs.readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a folder is refused with EISDIR and a hint to add a file name', async () => {
    const e = await t.fail('vault.export', { path: '~', password: exportPassword });
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ errno: 'EISDIR', path: home });
    expect(e.message).toContain('is a folder');
  });

  test('a missing folder says which folder does not exist (ENOENT)', async () => {
    const dir = path.join(home, 'no-such-dir');
    const e = await t.fail('vault.export', { path: path.join(dir, 'x.pdvault'), password: exportPassword });
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(dir);
    expect(e.message).toContain('ENOENT');
  });

  test('a path through a file says so (ENOTDIR)', async () => {
    const file = path.join(home, 'plain-file');
    fs.writeFileSync(file, 'x');
    const e = await t.fail('vault.export', { path: path.join(file, 'x.pdvault'), password: exportPassword });
    expect(e.details).toMatchObject({ errno: 'ENOTDIR' });
  });

  test('the UI transports refuse relative paths with a clear message; ~user is refused', async () => {
    const e = await webFail('vault.export', { path: 'backup.pdvault', password: exportPassword });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('relative path');
    expect(e.message).toContain('~/backup.pdvault');
    expect((await webFail('vault.export', { path: '~root/x', password: exportPassword })).code).toBe('VALIDATION');
  });
});

describe('files the user names are checked before they are read', () => {
  const sparse = (name: string, bytes: number): string => {
    const file = path.join(home, name);
    fs.writeFileSync(file, '');
    fs.truncateSync(file, bytes);
    return file;
  };

  test('vault.import and vault.importPreview refuse devices and folders', async () => {
    const inputs = {
      'vault.importPreview': { path: '/dev/zero', password: exportPassword },
      'vault.import': { path: '/dev/zero', password: exportPassword, onConflict: 'skip' },
    };
    for (const [method, input] of Object.entries(inputs)) {
      const e = await t.fail(method as keyof typeof inputs, input);
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toContain('not a regular file');
    }
    expect((await t.fail('vault.importPreview', { path: home, password: exportPassword })).details).toMatchObject({
      errno: 'EISDIR',
    });
    const missing = await t.fail('vault.importPreview', { path: '~/nope.pdvault', password: exportPassword });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(path.join(home, 'nope.pdvault'));
  });

  test('sshConfig.preview and import refuse /dev/zero, oversized files, and an Include of either', async () => {
    for (const method of ['sshConfig.preview', 'sshConfig.import'] as const) {
      const e = await t.fail(method, { path: '/dev/zero' });
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toContain('/dev/zero');
    }
    const big = sparse('big_config', 64 * 1024 * 1024);
    expect((await t.fail('sshConfig.preview', { path: big })).code).toBe('TOO_LARGE');
    expect((await t.fail('sshConfig.preview', { text: 'Include /dev/zero\nHost a\n' })).code).toBe('VALIDATION');
    expect((await t.fail('sshConfig.preview', { text: `Include ${big}\nHost a\n` })).code).toBe('TOO_LARGE');
    // A missing Include is skipped, as ssh does.
    const ok = await t.call('sshConfig.preview', {
      text: 'Include ~/.ssh/none.conf\nHost a\n  HostName a.example.com\n',
    });
    expect(ok.create.map((c) => c.alias)).toEqual(['a']);
  });

  test('sshConfig.preview reads ~/ paths from the home directory', async () => {
    fs.writeFileSync(path.join(home, '.ssh', 'other_config'), 'Host tilde\n  HostName tilde.example.com\n');
    const r = await t.call('sshConfig.preview', { path: '~/.ssh/other_config' });
    expect(r.create.map((c) => c.alias)).toEqual(['tilde']);
  });

  test('hostKeys.importKnownHosts refuses /dev/zero and oversized files, and expands ~', async () => {
    const e = await t.fail('hostKeys.importKnownHosts', { path: '/dev/zero' });
    expect(e.code).toBe('VALIDATION');
    const big = sparse('big_known_hosts', 512 * 1024 * 1024);
    const tooBig = await t.fail('hostKeys.importKnownHosts', { path: big });
    expect(tooBig.code).toBe('TOO_LARGE');
    expect(tooBig.message).toContain(big);
    fs.writeFileSync(path.join(home, '.ssh', 'kh2'), '');
    expect(await t.call('hostKeys.importKnownHosts', { path: '~/.ssh/kh2' })).toMatchObject({ imported: 0 });
    expect((await webFail('hostKeys.importKnownHosts', { path: 'kh2' })).message).toContain('relative path');
  });

  test('a FIFO is refused without waiting for a writer', async () => {
    const fifo = path.join(home, 'fifo');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    expect((await t.fail('hostKeys.importKnownHosts', { path: fifo })).code).toBe('VALIDATION');
  });
});

describe('readUserFile', () => {
  test('reads files that report no size (/proc) whole, and refuses them past the cap', async () => {
    const { readUserFile } = await import('../../../src/main/core/user-files');
    const status = await readUserFile('/proc/self/status', { what: 'the file', maxBytes: 1024 * 1024 });
    expect(status).toMatch(/^Name:/);
    expect(status).toContain('VmRSS');
    await expect(readUserFile('/proc/self/status', { what: 'the file', maxBytes: 16 })).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
  });
});

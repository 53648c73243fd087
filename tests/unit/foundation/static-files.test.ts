import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatic } from '../../../src/main/host/static-files';

let root: string;
let base: string;
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-static-'));
  root = path.join(base, 'web');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<html>');
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), 'js');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET');
  fs.writeFileSync(path.join(base, 'outside.txt'), 'outside');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('static files', () => {
  it('serves index.html at / and files with their type', async () => {
    expect((await readStatic(root, '/'))?.body.toString()).toBe('<html>');
    expect(await readStatic(root, '/assets/a.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
  });
  it('falls back to index.html for client routes, not for missing assets', async () => {
    expect((await readStatic(root, '/servers'))?.body.toString()).toBe('<html>');
    expect(await readStatic(root, '/assets/missing.js')).toBeNull();
  });
  it('never leaves the root and never serves dotfiles', async () => {
    for (const p of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/../../outside.txt',
      '/.env',
      '/%2e%65nv',
      '/%zz',
    ]) {
      const f = await readStatic(root, p);
      expect(f?.body.toString() ?? '', p).not.toMatch(/outside|SECRET/);
    }
  });
});

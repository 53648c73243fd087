import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve('bin/paneldeck.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pd-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, PANELDECK_DATA_DIR: dataDir } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('paneldeck CLI (child process)', () => {
  it('app.info prints the JSON from the core', async () => {
    const r = await cli('app.info');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'PanelDeck', transport: 'cli', dataDir });
  });

  it('an unknown method exits non-zero with UNKNOWN_METHOD on stderr', async () => {
    const r = await cli('nope');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'UNKNOWN_METHOD' } });
  });

  it('bad JSON and bad input are usage errors', async () => {
    expect(JSON.parse((await cli('app.info', '{oops')).stderr)).toMatchObject({ error: { code: 'VALIDATION' } });
    const r = await cli('app.info', '{"x":1}');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('--help lists the methods from the contract; <method> --help shows its schema', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/app\.info\s+Name, version/);
    expect(help.stdout).toContain('app.health');
    const m = await cli('app.health', '--help');
    expect(m.stdout).toContain('"type": "object"');
  });

  it('--data-dir overrides the environment', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'pd-cli-other-'));
    try {
      const r = await cli('app.info', '--data-dir', other);
      expect(JSON.parse(r.stdout)).toMatchObject({ dataDir: other });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { memorySink } from '../../../src/main/core/logger';

const ctx = { transport: 'electron' } as const;
const cores: Core[] = [];

function coreWith(openExternal?: (url: string) => Promise<void>) {
  const logs = memorySink();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-open-'));
  const core = createCore({ dataDir, strict: true, logSink: logs.sink, ...(openExternal ? { openExternal } : {}) });
  cores.push(core);
  return { core, logs, dataDir };
}

afterEach(async () => {
  for (const c of cores.splice(0)) {
    await c.close();
    fs.rmSync(c.dataDir, { recursive: true, force: true });
  }
});

describe('app.openExternal (links from terminal output, desktop app)', () => {
  it('hands an http(s) URL to the browser, unchanged, and logs only its scheme', async () => {
    const opened: string[] = [];
    const { core, logs } = coreWith((url) => Promise.resolve(void opened.push(url)));
    const url = 'https://docs.example.test/path?q=secret-token-123#frag';
    const r = await core.dispatcher.call('app.openExternal', { url }, ctx);
    expect(r).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([url]);
    const text = JSON.stringify(logs.lines);
    expect(text).toContain('app.openExternal');
    expect(text).not.toContain('secret-token-123');
    expect(text).not.toContain('docs.example.test');
  });

  it('refuses every other scheme and URLs carrying credentials, opening nothing', async () => {
    const opened: string[] = [];
    const { core } = coreWith((url) => Promise.resolve(void opened.push(url)));
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'https://user:pass@example.test/',
      'not a url',
      '//example.test/relative',
      `https://example.test/${'x'.repeat(2100)}`,
    ]) {
      const r = await core.dispatcher.call('app.openExternal', { url }, ctx);
      expect(r, url).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(opened).toEqual([]);
  });

  it('says UNSUPPORTED where there is no browser to open (web host, CLI)', async () => {
    const { core } = coreWith();
    const r = await core.dispatcher.call('app.openExternal', { url: 'https://example.test/' }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });
});

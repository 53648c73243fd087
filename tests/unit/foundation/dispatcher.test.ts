import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../../src/shared/contract';
import { createCore } from '../../../src/main/core/create-core';
import { Logger, memorySink } from '../../../src/main/core/logger';
import { Dispatcher, type Handlers } from '../../../src/main/core/dispatcher';

const ctx = { transport: 'in-process' } as const;
let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-dispatch-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('dispatcher', () => {
  it('answers app.info through the contract', async () => {
    const core = createCore({ dataDir, strict: true, logSink: memorySink().sink });
    const r = await core.dispatcher.call('app.info', {}, ctx);
    expect(r.ok).toBe(true);
    expect(r.ok && methods['app.info'].output.parse(r.value)).toMatchObject({
      name: 'PanelDeck',
      dataDir,
      transport: 'in-process',
    });
    await core.close();
  });

  it('refuses unknown methods, including prototype names', async () => {
    const core = createCore({ dataDir, logSink: memorySink().sink });
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = await core.dispatcher.call(name, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('refuses input that fails the schema before the handler runs', async () => {
    let ran = false;
    const logger = new Logger({ sink: memorySink().sink });
    const handlers = {
      'app.info': () => {
        ran = true;
        throw new Error('must not run');
      },
      'app.health': () => ({ ok: true, uptimeMs: 0, checks: [] }),
    } as unknown as Handlers;
    const d = new Dispatcher(handlers, { logger });
    const r = await d.call('app.info', { extra: 1 }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(ran).toBe(false);
  });

  it('turns unexpected failures into INTERNAL without leaking their message', async () => {
    const { sink, lines } = memorySink();
    const logger = new Logger({ sink });
    const handlers = {
      'app.info': () => {
        throw new Error('connect to secret-host.example failed with password hunter22');
      },
      'app.health': () => ({ ok: true, uptimeMs: 0, checks: [] }),
    } as unknown as Handlers;
    const r = await new Dispatcher(handlers, { logger }).call('app.info', {}, ctx);
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r) + lines.join('\n');
    expect(text).toContain('INTERNAL');
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('secret-host');
  });

  it('in strict mode, a malformed result is an INTERNAL error, not a silent drift', async () => {
    const logger = new Logger({ sink: memorySink().sink });
    const handlers = {
      'app.info': () => ({ name: 42 }),
      'app.health': () => ({ ok: true, uptimeMs: 0, checks: [] }),
    } as unknown as Handlers;
    const r = await new Dispatcher(handlers, { logger, validateOutput: true }).call('app.info', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('every contract method is named feature.verb (or feature.topic.verb) and documented', () => {
    for (const [name, def] of Object.entries(methods)) {
      // feature.topic.verb: the SSH prompts' answers (ssh.hostKey.answer), named after their events.
      expect(name).toMatch(/^[a-z][a-zA-Z]*(\.[a-z][a-zA-Z]*){1,2}$/);
      expect(def.summary.length, name).toBeGreaterThan(10);
    }
  });
});

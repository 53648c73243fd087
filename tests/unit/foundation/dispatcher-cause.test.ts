import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { Dispatcher, type Handlers } from '../../../src/main/core/dispatcher';
import { Logger, memorySink } from '../../../src/main/core/logger';

/** Issue 8 item 7: an unexpected failure logs its real cause (errno, syscall, frames) and never its message. */
describe('dispatcher: unexpected errors', () => {
  it('logs errno code and syscall with a reference the user sees, without the path or message', async () => {
    const secretPath = path.join(os.tmpdir(), 'pd-no-such-dir-Sekr1t-in-path', 'file');
    const sink = memorySink();
    const handlers = {
      'app.health': () => fs.readFileSync(secretPath, 'utf8'),
    } as unknown as Handlers;
    const d = new Dispatcher(handlers, { logger: new Logger({ sink: sink.sink }) });
    const r = await d.call('app.health', {}, { transport: 'web' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INTERNAL');
    expect(r.error.message).not.toContain('app.health');
    const ref = r.error.details?.ref as string;
    expect(ref).toMatch(/^[0-9a-f]{8}$/);
    expect(r.error.message).toContain(ref);
    const line = sink.lines.find((l) => l.includes('dispatch.unexpected')) ?? '';
    const record = JSON.parse(line) as { fields: Record<string, unknown> };
    expect(record.fields).toMatchObject({ method: 'app.health', ref, code: 'ENOENT', syscall: 'open' });
    expect((record.fields.stack as string[])[0]).toMatch(/^at /);
    expect(line).not.toContain('Sekr1t');
  });
});

import { describe, expect, it } from 'vitest';
import { guardIpcCall, MAX_IPC_CALL_BYTES } from '../../../src/main/electron/ipc-guard';

/** Issue 8 item 17, Electron side: the checks the IPC transport runs before the dispatcher, without Electron. */
describe('IPC call guard', () => {
  it('passes a known method with a small input', () => {
    expect(guardIpcCall('app.info', {})).toMatchObject({ ok: true, call: { method: 'app.info' } });
  });

  it('refuses unknown and non-string method names with typed errors', () => {
    for (const name of ['nope', '__proto__', 'constructor']) {
      expect(guardIpcCall(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    for (const name of [undefined, 42, { toString: () => 'app.info' }, '']) {
      expect(guardIpcCall(name, {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });

  it('refuses an oversized input (TOO_LARGE) without echoing it', () => {
    const big = 'A'.repeat(MAX_IPC_CALL_BYTES);
    const r = guardIpcCall('terminal.write', { sessionId: 'x', data: big });
    expect(r).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(JSON.stringify(r).length).toBeLessThan(500);
    // Multi-byte text counts in UTF-8 bytes.
    const wide = 'é'.repeat(MAX_IPC_CALL_BYTES / 2 + 10);
    expect(guardIpcCall('terminal.write', { sessionId: 'x', data: wide })).toMatchObject({ ok: false });
  });

  it('refuses inputs that are not plain data', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(guardIpcCall('app.info', cyclic)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(guardIpcCall('app.info', { n: 1n })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

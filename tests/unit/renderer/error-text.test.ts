import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { describeError, errorMessage, wasShownInline } from '../../../src/renderer/lib/errors';
import type { PanelDeckBridge } from '../../../src/shared/bridge';

/** Issue 8 item 7: people read sentences; codes and method names stay behind "Details", and nothing shows twice. */
describe('error text for people', () => {
  it('titles a failure by what the user was doing, never by method name or code', () => {
    const e = new AppError('INTERNAL', 'Something unexpected went wrong. Please try again.', {
      method: 'vault.export',
      ref: 'abcd1234',
    });
    const d = describeError(e, 'vault.export');
    expect(d.title).toBe('Could not export the vault');
    for (const text of [d.title, d.message]) {
      expect(text).not.toMatch(/vault\.export|INTERNAL|CONFLICT/);
    }
    expect(d.details).toBe('INTERNAL · vault.export · ref abcd1234');

    const port = new AppError('CONFLICT', 'Port 8080 on 127.0.0.1 is already in use by another program.', {
      errno: 'EADDRINUSE',
    });
    const f = describeError(port, 'forwards.start');
    expect(f.title).toBe('Could not start the port forward');
    expect(f.message).not.toContain('CONFLICT');
    expect(f.details).toContain('errno EADDRINUSE');
    expect(describeError(new AppError('NOT_FOUND', 'x'), 'servers.get').title).toBe('Could not load the server');
    expect(describeError(new AppError('IN_USE', 'x'), 'credentials.delete').title).toBe(
      'Could not delete the credential',
    );
    expect(describeError(new TypeError('boom')).message).not.toContain('boom');
  });

  it('an error its caller shows (expected, or put on screen in its catch) is never also toasted', async () => {
    // A stand-in bridge: the client's routing is what is tested, not a transport.
    const bridge: PanelDeckBridge = {
      transport: 'web',
      call: () => Promise.resolve({ ok: false, error: { code: 'CONFLICT', message: 'Port in use.' } }),
      onEvent: () => () => undefined,
    };
    // client.ts builds the app's client from `window.paneldeck` when loaded: give it the stand-in.
    (globalThis as { window?: unknown }).window = { paneldeck: bridge };
    const { createClient } = await import('../../../src/renderer/lib/client');
    const client = createClient(bridge);
    const heard: AppError[] = [];
    let marker: (e: AppError) => void = () => undefined;
    client.onError((e) => {
      heard.push(e);
      marker(e);
    });
    // 1. expected 'all': the caller shows it; listeners never hear of it.
    await expect(client.call('forwards.list', {}, { expected: 'all' })).rejects.toMatchObject({ code: 'CONFLICT' });
    // 2. not expected, but the caller's catch shows it inline: listeners hear of it after the catch, marked as shown.
    const second = new Promise<AppError>((resolve) => (marker = resolve));
    const inline = await client
      .call('forwards.list', {}, { expected: ['IN_USE'] })
      .catch((e: unknown) => errorMessage(e));
    expect(inline).toBe('Port in use.');
    const got = await second;
    expect(wasShownInline(got)).toBe(true);
    // 3. not expected and not shown: heard, not marked (the global toast shows it).
    const third = new Promise<AppError>((resolve) => (marker = resolve));
    void client.call('forwards.list', {}).catch(() => undefined);
    expect(wasShownInline(await third)).toBe(false);
    expect(heard).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, staticPins } from '../../../src/main/drivers/http';
import type { AppError } from '../../../src/shared/errors';
import { sendJson, startLoopback } from '../../integration/panels/loopback-server';
import { selfSignedCert } from '../../integration/panels/tls-cert';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('TLS pinning for self-signed panels (openssl certificate, HTTPS on loopback)', () => {
  it('first contact fails with HOST_KEY_UNKNOWN carrying the fingerprint; no request reaches the panel', async () => {
    const cert = selfSignedCert();
    const s = await startLoopback((_r, res) => sendJson(res, 200, { ok: true }), cert);
    open.push(s);
    const c = new HttpClient({ baseUrl: s.url, panelName: 'P', pins: staticPins() });
    open.push(c);
    const e = await failure(c.request({ method: 'GET', path: '/x' }));
    expect(e.code).toBe('HOST_KEY_UNKNOWN');
    expect(e.details).toMatchObject({ kind: 'tls', hostPort: `127.0.0.1:${s.port}`, fingerprint: cert.fingerprint });
    expect(s.log).toHaveLength(0);
  });

  it('the pinned certificate is accepted', async () => {
    const cert = selfSignedCert();
    const s = await startLoopback((_r, res) => sendJson(res, 200, { ok: true }), cert);
    open.push(s);
    const c = new HttpClient({
      baseUrl: s.url,
      panelName: 'P',
      pins: staticPins({ [`127.0.0.1:${s.port}`]: cert.fingerprint }),
    });
    open.push(c);
    expect((await c.request({ method: 'GET', path: '/x' })).body).toEqual({ ok: true });
  });

  it('a changed certificate is refused with HOST_KEY_CHANGED (old and new fingerprints), nothing sent', async () => {
    const first = selfSignedCert();
    const second = selfSignedCert();
    const s = await startLoopback((_r, res) => sendJson(res, 200, { ok: true }), first);
    open.push(s);
    s.setCert(second);
    const c = new HttpClient({
      baseUrl: s.url,
      panelName: 'P',
      pins: staticPins({ [`127.0.0.1:${s.port}`]: first.fingerprint }),
    });
    open.push(c);
    const e = await failure(c.request({ method: 'GET', path: '/x' }));
    expect(e.code).toBe('HOST_KEY_CHANGED');
    expect(e.details).toMatchObject({ fingerprint: second.fingerprint, expected: first.fingerprint });
    expect(s.log).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, postOnce, type HttpEvent } from '../../../src/main/drivers/http';
import { fieldErrorsFrom } from '../../../src/main/drivers/http/http-errors';
import type { AppError } from '../../../src/shared/errors';
import { sendJson, startLoopback, type LoopbackServer } from '../../integration/panels/loopback-server';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function serve(handler: Parameters<typeof startLoopback>[0]): Promise<LoopbackServer> {
  const s = await startLoopback(handler);
  open.push(s);
  return s;
}

function client(
  url: string,
  events: HttpEvent[] = [],
  extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {},
) {
  const c = new HttpClient({
    baseUrl: url,
    panelName: 'TestPanel',
    retry: { baseDelayMs: 5, maxDelayMs: 20, retries: 3 },
    errorReader: (r) => {
      const b = r.body as { error?: string; fields?: unknown } | null;
      return b && typeof b.error === 'string' ? { message: b.error, fields: fieldErrorsFrom(b.fields) } : null;
    },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  open.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('HttpClient retries', () => {
  it('retries a GET on 503 and 502 until it succeeds', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      if (n === 1) sendJson(res, 503, { error: 'busy' });
      else if (n === 2) sendJson(res, 502, { error: 'gateway' });
      else sendJson(res, 200, { ok: true });
    });
    const res = await client(s.url).request({ method: 'GET', path: '/x' });
    expect(res.body).toEqual({ ok: true });
    expect(s.log.map((r) => r.status)).toEqual([503, 502, 200]);
  });

  it('honours Retry-After on a 429 (the delay it waits is the one the server asked for)', async () => {
    let limitedUntil = 0;
    const s = await serve((_req, res) => {
      if (limitedUntil === 0) {
        limitedUntil = Date.now() + 1000;
        sendJson(res, 429, { error: 'Too many requests' }, { 'retry-after': 1 });
      } else if (Date.now() < limitedUntil) {
        sendJson(res, 429, { error: 'Too many requests (early)' }, { 'retry-after': 1 });
      } else sendJson(res, 200, { ok: true });
    });
    const events: HttpEvent[] = [];
    await client(s.url, events).request({ method: 'GET', path: '/x' });
    expect(s.log.map((r) => r.status)).toEqual([429, 200]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', delayMs: 1000, reason: 'HTTP 429' }));
  });

  it('fails at once with RATE_LIMITED when Retry-After is beyond the cap', async () => {
    const s = await serve((_req, res) => sendJson(res, 429, { error: 'slow down' }, { 'retry-after': 900 }));
    const e = await failure(client(s.url).request({ method: 'GET', path: '/x' }));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.details?.['retryAfterMs']).toBe(900_000);
    expect(s.log).toHaveLength(1);
  });

  it('never repeats a POST on 503: one request, an ambiguous error', async () => {
    const s = await serve((_req, res) => sendJson(res, 503, { error: 'upstream down' }));
    const e = await failure(client(s.url).request({ method: 'POST', path: '/sites', json: { a: 1 } }));
    expect(e.code).toBe('CONNECTION_FAILED');
    expect(e.message).toContain('upstream down');
    expect(e.details?.['ambiguous']).toBe(true);
    expect(s.log.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('repeats a POST refused with 429 (refused before any work), after Retry-After', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      if (n === 1) sendJson(res, 429, { error: 'limit' }, { 'retry-after': 0 });
      else sendJson(res, 201, { id: 1 });
    });
    await client(s.url).request({ method: 'POST', path: '/sites', json: {} });
    expect(s.log.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'POST 201']);
  });

  it('slows down ahead of the limit when X-RateLimit-Remaining reaches 0', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      sendJson(
        res,
        200,
        { n },
        { 'x-ratelimit-limit': 2, 'x-ratelimit-remaining': n === 1 ? 0 : 1, 'x-ratelimit-reset': 1 },
      );
    });
    const events: HttpEvent[] = [];
    const c = client(s.url, events);
    await c.request({ method: 'GET', path: '/a' });
    await c.request({ method: 'GET', path: '/b' });
    expect(events.find((e) => e.type === 'pace')).toMatchObject({ type: 'pace', remaining: 0, request: 'GET /b' });
  });
});

describe('HttpClient errors and timeouts', () => {
  it('maps the panel envelope to a typed error with its message and a 422 field list', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 422, { error: 'Invalid input', fields: [{ field: 'domainName', message: 'already exists' }] }),
    );
    const e = await failure(client(s.url).request({ method: 'POST', path: '/sites', json: {} }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('TestPanel: Invalid input');
    expect(e.details?.['fields']).toEqual([{ field: 'domainName', message: 'already exists' }]);
    expect(e.details?.['field']).toBe('domainName');
  });

  it('times out a request the panel never answers (TIMEOUT, ambiguous)', async () => {
    const s = await serve(() => undefined);
    const e = await failure(client(s.url, [], { timeoutMs: 200 }).request({ method: 'POST', path: '/hang', json: {} }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.details?.['ambiguous']).toBe(true);
    expect(s.log).toHaveLength(1);
  });

  it('a 401 signs in once again, then a second 401 is a clear AUTH_FAILED', async () => {
    let good = 'token-1';
    const s = await serve((req, res) => {
      if (req.headers['authorization'] === `Bearer ${good}`) sendJson(res, 200, { ok: true });
      else sendJson(res, 401, { error: 'Invalid token' });
    });
    let logins = 0;
    let current = 'stale';
    const c = client(s.url, [], {
      auth: {
        headers: () => ({ authorization: `Bearer ${current}` }),
        relogin: () => {
          logins++;
          current = 'token-1'; // the only token this sign-in knows
          return Promise.resolve();
        },
      },
    });
    await c.request({ method: 'GET', path: '/me' });
    expect(logins).toBe(1);
    good = 'token-2';
    const e = await failure(c.request({ method: 'GET', path: '/me' }));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain('signing in again did not help');
    expect(logins).toBe(2);
  });
});

describe('postOnce', () => {
  it('after a dropped connection, looks the create up instead of sending it again', async () => {
    const created: string[] = [];
    const s = await serve((req, res) => {
      if (req.method === 'POST') {
        created.push((JSON.parse(req.body) as { name: string }).name);
        res.socket?.destroy(); // took effect, answer lost
      } else sendJson(res, 200, { items: created.map((name) => ({ name })) });
    });
    const c = client(s.url);
    const found: boolean[] = [];
    const out = await postOnce({
      send: () => c.request({ method: 'POST', path: '/things', json: { name: 'a' } }).then(() => ({ name: 'a' })),
      lookup: async () => {
        const r = await c.request<{ items: { name: string }[] }>({ method: 'GET', path: '/things' });
        return r.body.items.find((i) => i.name === 'a') ?? null;
      },
      onLookup: (f) => found.push(f),
    });
    expect(out).toEqual({ value: { name: 'a' }, viaLookup: true });
    expect(found).toEqual([true]);
    expect(s.log.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('sends again only when the lookup found nothing', async () => {
    let n = 0;
    const s = await serve((req, res) => {
      if (req.method === 'POST' && ++n === 1) sendJson(res, 504, { error: 'gateway timeout' });
      else if (req.method === 'POST') sendJson(res, 201, { name: 'b' });
      else sendJson(res, 200, { items: [] });
    });
    const c = client(s.url);
    const out = await postOnce({
      send: () => c.request<{ name: string }>({ method: 'POST', path: '/things', json: {} }).then((r) => r.body),
      lookup: () => Promise.resolve(null),
    });
    expect(out.viaLookup).toBe(false);
    expect(s.log.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([504, 201]);
  });
});

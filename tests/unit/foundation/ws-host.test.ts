import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { memorySink } from '../../../src/main/core/logger';
import { startWsHost, type WsHost } from '../../../src/main/host/ws-host';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, type HostFrame } from '../../../src/shared/wire';

let core: Core;
let host: WsHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pd-ws-host-'));
  core = createCore({ dataDir, logSink: memorySink().sink, strict: true });
  host = await startWsHost({ core, port: 0 });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Opens a socket and resolves with either the open socket or the HTTP refusal (status + JSON body). */
function connect(opts: {
  token?: string;
  origin?: string;
  host?: string;
}): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  const protocols = [WS_PROTOCOL, ...(opts.token === undefined ? [] : [WS_TOKEN_PREFIX + opts.token])];
  const headers: Record<string, string> = {};
  if (opts.origin !== undefined) headers.origin = opts.origin;
  if (opts.host !== undefined) headers.host = opts.host;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, protocols, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

/** A GET with an exact request path and Host header (fetch normalises `..` away and forbids setting Host). */
function rawGet(port: number, reqPath: string, hostHeader: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: reqPath, method: 'GET', headers: { host: hostHeader } });
    req.once('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

function nextFrame(ws: WebSocket): Promise<HostFrame> {
  return new Promise((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as HostFrame)));
}

describe('WebSocket host', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.address.address).toBe('127.0.0.1');
    expect(host.address.family).toBe('IPv4');
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
  });

  it('serves a call with the right token and origin', async () => {
    const r = await connect({ token: host.token, origin: host.origin });
    if (!('ws' in r)) throw new Error(`refused: ${r.status} ${r.body}`);
    r.ws.send(JSON.stringify({ id: 7, method: 'app.info', input: {} }));
    const frame = await nextFrame(r.ws);
    expect(frame).toMatchObject({
      kind: 'reply',
      id: 7,
      result: { ok: true, value: { transport: 'web', name: 'PanelDeck' } },
    });
    r.ws.close();
  });

  it('refuses a wrong token with 401 UNAUTHORIZED', async () => {
    const r = await connect({ token: 'x'.repeat(43), origin: host.origin });
    expect(r).toMatchObject({ status: 401 });
    expect('body' in r && JSON.parse(r.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a missing token', async () => {
    const r = await connect({ origin: host.origin });
    expect(r).toMatchObject({ status: 401 });
  });

  it('refuses a foreign Origin with 403 even with the right token', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${host.port}`, 'null']) {
      const r = await connect({ token: host.token, origin });
      expect(r, origin).toMatchObject({ status: 403 });
      expect('body' in r && JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    }
  });

  it('refuses a missing Origin', async () => {
    const r = await connect({ token: host.token });
    expect(r).toMatchObject({ status: 403 });
  });

  it('refuses a rebinding Host header', async () => {
    const r = await connect({ token: host.token, origin: host.origin, host: `attacker.example:${host.port}` });
    expect(r).toMatchObject({ status: 421 });
  });

  it('answers malformed frames, bad input and unknown methods with typed errors and stays up', async () => {
    const r = await connect({ token: host.token, origin: host.origin });
    if (!('ws' in r)) throw new Error('refused');
    r.ws.send('{not json');
    expect(await nextFrame(r.ws)).toMatchObject({ kind: 'refused', error: { code: 'VALIDATION' } });
    r.ws.send(JSON.stringify({ id: 'one', method: 'app.info' }));
    expect(await nextFrame(r.ws)).toMatchObject({ kind: 'refused', error: { code: 'VALIDATION' } });
    r.ws.send(JSON.stringify({ id: 1, method: 'app.info', input: { extra: true } }));
    expect(await nextFrame(r.ws)).toMatchObject({
      kind: 'reply',
      id: 1,
      result: { ok: false, error: { code: 'VALIDATION' } },
    });
    r.ws.send(JSON.stringify({ id: 2, method: 'app.nope', input: {} }));
    expect(await nextFrame(r.ws)).toMatchObject({
      kind: 'reply',
      id: 2,
      result: { ok: false, error: { code: 'UNKNOWN_METHOD' } },
    });
    r.ws.send(JSON.stringify({ id: 3, method: 'app.health', input: {} }));
    expect(await nextFrame(r.ws)).toMatchObject({ kind: 'reply', id: 3, result: { ok: true } });
    r.ws.close();
  });

  it('forwards core events to connected clients', async () => {
    const r = await connect({ token: host.token, origin: host.origin });
    if (!('ws' in r)) throw new Error('refused');
    const frame = nextFrame(r.ws);
    core.events.emit('app.notice', { level: 'info', message: 'hello' });
    expect(await frame).toEqual({ kind: 'event', name: 'app.notice', payload: { level: 'info', message: 'hello' } });
    r.ws.close();
  });

  it('sends events that carry bytes as one binary frame', async () => {
    const r = await connect({ token: host.token, origin: host.origin });
    if (!('ws' in r)) throw new Error('refused');
    const got = new Promise<{ data: Buffer; isBinary: boolean }>((resolve) =>
      r.ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })),
    );
    // app.notice has no byte field in the contract, but its schema lets unknown keys through, so it can carry
    // one here to exercise the transport before the terminal events exist.
    core.events.emit('app.notice', { level: 'info', message: 'bytes', data: Buffer.from([0, 1, 2, 255]) } as never);
    const { data, isBinary } = await got;
    expect(isBinary).toBe(true);
    const { decodeBinaryEvent } = await import('../../../src/shared/binary-frame');
    const ev = decodeBinaryEvent(new Uint8Array(data));
    expect(ev.name).toBe('app.notice');
    expect([...(ev.payload.data as Uint8Array)]).toEqual([0, 1, 2, 255]);
    r.ws.close();
  });

  it('serves no files outside its static dir and checks the Host header on HTTP too', async () => {
    // A host of its own with a real static dir, so a 404 or 421 here can only come from the checks under test.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'pd-ws-static-'));
    const web = path.join(root, 'web');
    await fs.mkdir(web);
    await fs.writeFile(path.join(web, 'index.html'), '<!doctype html><title>index-marker</title>');
    await fs.writeFile(path.join(root, 'secret.txt'), 'outside-marker');
    const served = await startWsHost({ core, port: 0, staticDir: web });
    try {
      const hostHeader = `127.0.0.1:${served.port}`;
      const ok = await rawGet(served.port, '/', hostHeader);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('index-marker');
      const wrongHost = await rawGet(served.port, '/', `localhost:${served.port}`);
      expect(wrongHost.status).toBe(421);
      expect(wrongHost.body).not.toContain('index-marker');
      const rebound = await rawGet(served.port, '/', `attacker.example:${served.port}`);
      expect(rebound.status).toBe(421);
      const escape = await rawGet(served.port, '/../secret.txt', hostHeader);
      expect(escape.status).toBe(404);
      expect(escape.body).not.toContain('outside-marker');
      const encoded = await rawGet(served.port, '/%2e%2e/secret.txt', hostHeader);
      expect(encoded.status).toBe(404);
      expect(encoded.body).not.toContain('outside-marker');
    } finally {
      await served.close();
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

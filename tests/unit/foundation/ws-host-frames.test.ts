import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { memorySink } from '../../../src/main/core/logger';
import { startWsHost, type WsHost } from '../../../src/main/host/ws-host';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, type HostFrame } from '../../../src/shared/wire';
import { tempDir } from '../../support/core-harness';

/**
 * Issue 8 item 17: one hostile frame (over the size limit, or text that is not UTF-8) closes that socket with the
 * matching close code and is logged; the host keeps serving every other socket.
 */
let core: Core;
let host: WsHost;
const log = memorySink();

beforeAll(async () => {
  core = createCore({ dataDir: tempDir('pd-wsframes-'), logSink: log.sink, strict: true });
  host = await startWsHost({ core, port: 0 });
});
afterAll(async () => {
  await host.close();
  await core.close();
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token], {
    headers: { origin: host.origin },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

async function stillServes(): Promise<void> {
  const ws = await open();
  const reply = new Promise<HostFrame>((resolve) =>
    ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as HostFrame)),
  );
  ws.send(JSON.stringify({ id: 1, method: 'app.info', input: {} }));
  expect(await reply).toMatchObject({ kind: 'reply', id: 1, result: { ok: true } });
  ws.close();
}

describe('WebSocket host: hostile frames', () => {
  it('closes a socket that sends a 9 MiB text frame with 1009 and keeps serving', async () => {
    const bystander = await open();
    const ws = await open();
    ws.on('error', () => undefined);
    const code = closed(ws);
    ws.send('x'.repeat(9 * 1024 * 1024));
    expect(await code).toBe(1009);
    expect(log.lines.some((l) => l.includes('ws.frame-refused') && l.includes('1009'))).toBe(true);
    await stillServes();
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    bystander.close();
  });

  it('closes a socket that sends invalid UTF-8 as text with 1007 and keeps serving', async () => {
    const ws = await open();
    ws.on('error', () => undefined);
    const code = closed(ws);
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await code).toBe(1007);
    await stillServes();
  });
});

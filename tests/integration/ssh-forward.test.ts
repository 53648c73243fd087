import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger, memorySink } from '../../src/main/core/logger';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import { PortForwarder } from '../../src/main/ssh/forwarding';
import type { SshTarget } from '../../src/main/ssh/ssh.types';
import { portAccepts, startSshd, type SshdPeer } from './peers';
import { makeManager, targetFor } from './peers/ssh-fixtures';

/** Buffers a socket's input so a test can read exact byte counts or until a pattern. */
class SocketReader {
  #buf = Buffer.alloc(0);
  #ended = false;
  #wake: (() => void) | undefined;
  constructor(readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#wake?.();
    });
    sock.on('close', () => {
      this.#ended = true;
      this.#wake?.();
    });
  }
  async take(n: number): Promise<Buffer> {
    while (this.#buf.length < n) {
      if (this.#ended) throw new Error(`socket closed after ${this.#buf.length} of ${n} bytes`);
      await new Promise<void>((r) => (this.#wake = r));
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }
  async until(re: RegExp): Promise<string> {
    while (!re.test(this.#buf.toString('latin1'))) {
      if (this.#ended) throw new Error(`socket closed before ${re}: ${this.#buf.toString()}`);
      await new Promise<void>((r) => (this.#wake = r));
    }
    return this.#buf.toString('latin1');
  }
}

function open(port: number): Promise<SocketReader> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(new SocketReader(s)));
    s.once('error', reject);
  });
}

/** Speaks SOCKS5 by hand: no-auth greeting, then CONNECT to host:port; returns the reader and the reply code. */
async function socksConnect(
  proxyPort: number,
  host: string,
  port: number,
  cmd = 1,
): Promise<{ r: SocketReader; code: number }> {
  const r = await open(proxyPort);
  r.sock.write(Buffer.from([5, 1, 0]));
  expect([...(await r.take(2))]).toEqual([5, 0]);
  const isV4 = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  const addr = isV4
    ? Buffer.from([1, ...host.split('.').map(Number)])
    : Buffer.concat([Buffer.from([3, host.length]), Buffer.from(host)]);
  const p = Buffer.alloc(2);
  p.writeUInt16BE(port);
  r.sock.write(Buffer.concat([Buffer.from([5, cmd, 0]), addr, p]));
  const rep = await r.take(10);
  return { r, code: rep[1] ?? -1 };
}

describe('port forwarding', () => {
  let peer: SshdPeer;
  let manager: ConnectionManager;
  let target: SshTarget;
  let http: Server;
  let httpPort = 0;
  let fwd: PortForwarder;
  beforeAll(async () => {
    peer = await startSshd();
    const m = makeManager({ idleGraceMs: 0 });
    manager = m.manager;
    target = targetFor(peer, 'key');
    m.credentials.secrets.set(target.id, { privateKey: peer.clientKey });
    http = createServer((req, res) => res.end(`hello from ${req.url} via ${req.socket.remoteAddress}`));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const a = http.address();
    httpPort = typeof a === 'object' && a !== null ? a.port : 0;
    fwd = new PortForwarder({ manager, logger: new Logger({ sink: memorySink().sink }) });
  });
  afterAll(async () => {
    await fwd?.stopAll();
    await manager?.closeAll();
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    await peer?.stop();
  });

  it('-L to a loopback HTTP server and to the sshd port itself; stop frees the port', async () => {
    const f = await fwd.start({ kind: 'local', target, destHost: '127.0.0.1', destPort: httpPort });
    expect(f.bindHost).toBe('127.0.0.1');
    const r = await open(f.bindPort);
    r.sock.write('GET /one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await r.until(/hello from \/one via 127\.0\.0\.1/)).toMatch(/^HTTP\/1\.1 200/);
    const ssh = await fwd.start({ kind: 'local', target, destHost: '127.0.0.1', destPort: peer.port });
    const banner = await open(ssh.bindPort);
    expect(await banner.until(/\r\n/)).toMatch(/^SSH-2\.0-OpenSSH/);
    banner.sock.destroy();
    expect(fwd.list().map((x) => x.kind)).toEqual(['local', 'local']);
    expect(manager.stats()).toEqual([{ key: target.id, refs: 2, connected: true }]);
    await fwd.stop(f.id);
    await fwd.stop(ssh.id);
    expect(await portAccepts('127.0.0.1', f.bindPort)).toBe(false);
    expect(fwd.list()).toEqual([]);
  });

  it('-D: a hand-written SOCKS5 client reaches the HTTP server by IP and by name; bad requests get reply codes', async () => {
    const d = await fwd.start({ kind: 'dynamic', target });
    const byIp = await socksConnect(d.bindPort, '127.0.0.1', httpPort);
    expect(byIp.code).toBe(0);
    byIp.r.sock.write('GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await byIp.r.until(/hello from \/ip/);
    const byName = await socksConnect(d.bindPort, 'localhost', httpPort);
    expect(byName.code).toBe(0);
    byName.r.sock.write('GET /name HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await byName.r.until(/hello from \/name/);
    expect((await socksConnect(d.bindPort, '127.0.0.1', httpPort, 2)).code).toBe(7);
    const closedPort = await socksConnect(d.bindPort, '127.0.0.1', 1);
    expect(closedPort.code).toBe(5);
    expect(fwd.list()[0]).toMatchObject({ kind: 'dynamic', totalConnections: 4 });
    await fwd.stop(d.id);
  });

  it('refuses to listen beyond loopback unless asked', async () => {
    await expect(fwd.start({ kind: 'dynamic', target, bindHost: '0.0.0.0' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

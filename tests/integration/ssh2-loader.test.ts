import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2, { ssh2KeysConverted } from '../../src/main/ssh/ssh2-loader';
import { startSshd, type SshdPeer } from './peers';

let peer: SshdPeer;
beforeAll(async () => {
  peer = await startSshd();
});
afterAll(async () => {
  await peer?.stop();
});

/** Runs a 4 MiB round trip (upload through stdin, digest back) with one cipher/MAC pair forced on both sides. */
async function roundTrip(cipher: string, hmac: string): Promise<string> {
  const conn = new ssh2.Client();
  // A connection error fails the round trip while it runs; a reset during teardown (after end()) is expected.
  let failed: ((e: Error) => void) | null = null;
  conn.on('error', (e: Error) => failed?.(e));
  const ready = once(conn, 'ready'); // rejects on an 'error' before ready
  conn.connect({
    host: peer.host,
    port: peer.port,
    username: peer.user,
    privateKey: peer.clientKey,
    algorithms: { cipher: [cipher as never], hmac: [hmac as never] },
    hostVerifier: (key: Buffer) => peer.verifyHostKey(key),
  });
  await ready;
  try {
    return await new Promise<string>((resolve, reject) => {
      failed = reject;
      conn.exec('sha256sum | cut -c1-16', (err, stream) => {
        if (err) return reject(err);
        let out = '';
        stream.on('data', (d: Buffer) => (out += d.toString()));
        stream.stderr.resume();
        stream.on('close', () => resolve(out.trim()));
        stream.end(Buffer.alloc(4 * 1024 * 1024, 'paneldeck'));
      });
    });
  } finally {
    failed = null;
    conn.end();
  }
}

describe('ssh2 as PanelDeck loads it (KeyObject keys for its per-packet ciphers)', () => {
  // sha256 of 4 MiB of "paneldeck" repeated, first 16 hex digits: the same through every cipher path.
  const expected = 'b5912af34eee755b';

  it.each([
    ['aes128-gcm@openssh.com', 'hmac-sha2-256'],
    ['aes256-gcm@openssh.com', 'hmac-sha2-256'],
    ['chacha20-poly1305@openssh.com', 'hmac-sha2-256'],
    ['aes128-ctr', 'hmac-sha2-256-etm@openssh.com'],
    ['aes256-ctr', 'hmac-sha2-512'],
  ])('%s with %s moves data intact both ways, its keys as KeyObjects', async (cipher, hmac) => {
    const before = ssh2KeysConverted();
    expect(await roundTrip(cipher, hmac)).toBe(expected);
    expect(ssh2KeysConverted()).toBeGreaterThan(before); // this connection's session keys went through the facade
  });
});

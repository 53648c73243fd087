import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import ssh2 from '../src/main/ssh/ssh2-loader';
import { startSshd, type SshdPeer } from '../tests/integration/peers';
import type { BenchFigure } from './run';

const SIZE_MIB = 200;
const ROUNDS = 3;
const CIPHER = 'aes128-gcm@openssh.com';

/** Seconds from the first byte to the end of `cat` of the file through ssh2 as PanelDeck loads it (counted, dropped). */
async function ssh2Cat(peer: SshdPeer, file: string): Promise<number> {
  const conn = new ssh2.Client();
  const ready = once(conn, 'ready'); // rejects on an 'error' before ready
  conn.on('error', () => undefined); // a reset while closing is not a result
  conn.connect({
    host: peer.host,
    port: peer.port,
    username: peer.user,
    privateKey: peer.clientKey,
    algorithms: { cipher: [CIPHER] },
    hostVerifier: (key: Buffer) => peer.verifyHostKey(key),
  });
  await ready;
  conn.setNoDelay(true);
  let t0 = 0n;
  const bytes = await new Promise<number>((resolve, reject) => {
    conn.exec(`cat ${file}`, (err, stream) => {
      if (err) return reject(err);
      let n = 0;
      stream.on('data', (c: Buffer) => {
        if (n === 0) t0 = process.hrtime.bigint();
        n += c.length;
      });
      stream.stderr.resume();
      stream.on('close', () => resolve(n));
    });
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  conn.end();
  if (bytes !== SIZE_MIB * 1024 * 1024) throw new Error(`ssh2 read ${bytes} bytes`);
  return s;
}

/** The same span for the same `cat` through the OpenSSH client, its output read (and dropped) by this process. */
async function opensshCat(peer: SshdPeer, file: string): Promise<number> {
  const args = [
    ...['-i', peer.clientKeyPath, '-p', String(peer.port), '-c', CIPHER],
    ...['-o', `UserKnownHostsFile=${peer.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'],
    `${peer.user}@${peer.host}`,
    `cat ${file}`,
  ];
  let t0 = 0n;
  let n = 0;
  const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (c: Buffer) => {
    if (n === 0) t0 = process.hrtime.bigint();
    n += c.length;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`ssh exited ${code}`);
  if (n !== SIZE_MIB * 1024 * 1024) throw new Error(`ssh read ${n} bytes`);
  return s;
}

/** ssh2 bulk throughput vs the OpenSSH client on the same 200 MiB `cat` (goal: ratio >= 1.0). */
export async function runSshBench(): Promise<BenchFigure[]> {
  const peer = await startSshd();
  const file = path.join(peer.home, 'bulk.bin');
  try {
    // World-readable, owned by root: the test user only reads it.
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const fd = fs.openSync(file, 'w', 0o644);
    for (let i = 0; i < SIZE_MIB; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      theirs.push(await opensshCat(peer, file));
      ours.push(await ssh2Cat(peer, file));
    }
    const best = (xs: number[]): number => Math.min(...xs);
    const ssh2Rate = SIZE_MIB / best(ours);
    const opensshRate = SIZE_MIB / best(theirs);
    return [
      { name: `ssh2 cat ${SIZE_MIB} MiB (${CIPHER}), best of ${ROUNDS}`, value: ssh2Rate, unit: 'MiB/s', goal: '-' },
      { name: `OpenSSH client, same cat`, value: opensshRate, unit: 'MiB/s', goal: '-' },
      { name: 'ssh2 / OpenSSH throughput', value: ssh2Rate / opensshRate, unit: 'x', goal: '>= 1.0x' },
    ];
  } finally {
    fs.rmSync(file, { force: true });
    await peer.stop();
  }
}

import { once } from 'node:events';
import { Client, type ClientChannel } from 'ssh2';
import { startSshd, type SshdPeer } from '../tests/integration/peers';
import type { BenchFigure } from './run';
import { benchCore, type BenchCore } from './support/fleet';

const KEYSTROKES = 200;

/** Something keystrokes can be typed into and whose output can be watched. */
interface Tty {
  write(s: string): void;
  /** Resolves when the output since the call contains `needle`. */
  waitFor(needle: string): Promise<void>;
  close(): void;
}

/** A PTY over a raw ssh2 connection: the baseline. */
async function rawTty(peer: SshdPeer): Promise<Tty> {
  const conn = new Client();
  const ready = once(conn, 'ready'); // rejects on an 'error' before ready
  conn.on('error', () => undefined); // a reset while closing is not a result
  conn.connect({
    host: peer.host,
    port: peer.port,
    username: peer.user,
    password: peer.password,
    hostVerifier: (key: Buffer) => peer.verifyHostKey(key),
  });
  await ready;
  conn.setNoDelay(true);
  const stream = await new Promise<ClientChannel>((resolve, reject) =>
    conn.shell({ term: 'xterm-256color', cols: 120, rows: 40 }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  return ttyOver(
    (s) => stream.write(s),
    (fn) => stream.on('data', (d: Buffer) => fn(d.toString('latin1'))),
    () => conn.end(),
  );
}

/** A PTY through PanelDeck: WebSocket transport → dispatcher → terminal service → pooled ssh2 → and back. */
async function panelDeckTty(b: BenchCore): Promise<Tty> {
  let sessionId = '';
  const connected = new Promise<void>((resolve) =>
    b.client.on((name, p) => {
      const st = p.state as { state: string } | undefined;
      if (name === 'terminal.state' && p.sessionId === sessionId && st?.state === 'connected') resolve();
    }),
  );
  ({ sessionId } = await b.client.call('terminal.open', { serverId: b.serverId, cols: 120, rows: 40 }));
  await connected;
  return ttyOver(
    (s) => b.client.fire('terminal.write', { sessionId, data: s }),
    (fn) =>
      b.client.on((name, p) => {
        if (name !== 'terminal.data' || p.sessionId !== sessionId) return;
        const data = p.data as Uint8Array;
        fn(Buffer.from(data).toString('latin1'));
        b.client.fire('terminal.ack', { sessionId, bytes: data.byteLength });
      }),
    () => b.client.fire('terminal.close', { sessionId }),
  );
}

function ttyOver(write: (s: string) => void, subscribe: (fn: (text: string) => void) => void, close: () => void): Tty {
  let buffer = '';
  let waiter: { needle: string; resolve: () => void } | null = null;
  subscribe((text) => {
    buffer += text;
    if (waiter && buffer.includes(waiter.needle)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  return {
    write,
    waitFor(needle) {
      buffer = '';
      return new Promise((resolve) => (waiter = { needle, resolve }));
    },
    close,
  };
}

/** Milliseconds from sending one character to seeing its echo, over `n` keystrokes (each erased after). */
async function echoLatencies(tty: Tty, n: number): Promise<number[]> {
  const ready = tty.waitFor('READY-42');
  tty.write("PS1='$ '; echo READY-$((6*7))\n");
  await ready;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const echoed = tty.waitFor('x');
    const t0 = performance.now();
    tty.write('x');
    await echoed;
    out.push(performance.now() - t0);
    const erased = tty.waitFor('\b');
    tty.write('\x7f');
    await erased;
  }
  return out;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Keystroke echo latency through PanelDeck vs a raw ssh2 PTY on the same sshd (goal: <= +2 ms at p50). */
export async function runKeystrokeBench(): Promise<BenchFigure[]> {
  const peer = await startSshd();
  const b = await benchCore(peer);
  try {
    const raw = await rawTty(peer);
    const rawMs = await echoLatencies(raw, KEYSTROKES);
    raw.close();
    const ours = await panelDeckTty(b);
    const oursMs = await echoLatencies(ours, KEYSTROKES);
    ours.close();
    return [
      { name: `raw ssh2 PTY echo p50 (${KEYSTROKES} keys)`, value: percentile(rawMs, 50), unit: 'ms', goal: '-' },
      { name: 'PanelDeck (WS host + core) echo p50', value: percentile(oursMs, 50), unit: 'ms', goal: '-' },
      { name: 'raw ssh2 PTY echo p95', value: percentile(rawMs, 95), unit: 'ms', goal: '-' },
      { name: 'PanelDeck echo p95', value: percentile(oursMs, 95), unit: 'ms', goal: '-' },
      {
        name: 'keystroke echo added by PanelDeck, p50',
        value: percentile(oursMs, 50) - percentile(rawMs, 50),
        unit: 'ms',
        goal: '<= +2 ms',
      },
    ];
  } finally {
    await b.close();
    await peer.stop();
  }
}

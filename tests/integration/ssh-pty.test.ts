import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import { PtySession, type PtyEnd } from '../../src/main/ssh/pty-session';
import type { SshTarget } from '../../src/main/ssh/ssh.types';
import { startSshd, type SshdPeer } from './peers';
import { makeManager, targetFor } from './peers/ssh-fixtures';

/** Collects a session's output (acknowledging it at once) and resolves waits when the text matches. */
function reader(s: PtySession): {
  text: () => string;
  waitFor: (re: RegExp) => Promise<RegExpMatchArray>;
  ended: Promise<PtyEnd>;
} {
  let text = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  s.onData((d) => {
    text += d.toString('utf8');
    s.ack(d.length);
    for (const w of [...waiters]) {
      const m = text.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const ended = new Promise<PtyEnd>((resolve) => s.onEnd(resolve));
  return {
    text: () => text,
    waitFor: (re) =>
      new Promise((resolve) => {
        const m = text.match(re);
        if (m) resolve(m);
        else waiters.push({ re, resolve });
      }),
    ended,
  };
}

describe('PTY sessions', () => {
  let peer: SshdPeer;
  let manager: ConnectionManager;
  let target: SshTarget;
  beforeAll(async () => {
    peer = await startSshd();
    const m = makeManager({ idleGraceMs: 60_000 });
    manager = m.manager;
    target = targetFor(peer, 'key');
    m.credentials.secrets.set(target.id, { privateKey: peer.clientKey });
  });
  afterAll(async () => {
    await manager?.closeAll();
    await peer?.stop();
  });

  it('runs a command and reads the echoed line; TERM is xterm-256color', async () => {
    const s = await PtySession.open(manager, target, { cols: 80, rows: 24 });
    const r = reader(s);
    s.write('echo hello-$RANDOM; echo "term=$TERM"\n');
    const m = await r.waitFor(/[\r\n](hello-\d+)\r\n/);
    expect(m[1]).toMatch(/^hello-\d+$/);
    await r.waitFor(/term=xterm-256color/);
    s.write('exit 7\n');
    expect(await r.ended).toEqual({ reason: 'exit', code: 7, signal: null });
  });

  it('resize → stty size shows the new size', async () => {
    const s = await PtySession.open(manager, target, { cols: 80, rows: 24 });
    const r = reader(s);
    s.write('stty size\n');
    await r.waitFor(/[\r\n]24 80\r\n/);
    s.resize(132, 50);
    s.write('stty size\n');
    await r.waitFor(/[\r\n]50 132\r\n/);
    s.close();
    expect((await r.ended).reason).toBe('closed');
    expect(manager.stats()[0]?.refs).toBe(0);
  });

  it('two shells and an exec share one connection', async () => {
    const a = await PtySession.open(manager, target, { cols: 80, rows: 24 });
    const b = await PtySession.open(manager, target, { cols: 80, rows: 24 });
    expect(manager.stats()).toEqual([{ key: target.id, refs: 2, connected: true }]);
    expect((await manager.exec(target, ['echo', 'x'])).stdout).toBe('x\n');
    a.close();
    b.close();
  });

  it('flow control: 200 MiB of `yes` into a slow consumer keeps unacked bytes and RSS bounded', async () => {
    const high = 1024 * 1024;
    const low = 256 * 1024;
    const batch = 64 * 1024;
    const s = await PtySession.open(manager, target, {
      cols: 80,
      rows: 24,
      highWaterBytes: high,
      lowWaterBytes: low,
      flushBytes: batch,
    });
    const total = 200 * 1024 * 1024;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let rssPeak = rss0;
    let received = 0;
    let queued = 0;
    let ticks = 0;
    // The slow consumer: processes at most 1 KiB per event-loop turn, counted in bytes, not time.
    const perTick = 1024;
    let ticking = false;
    const consume = (): void => {
      ticks++;
      const n = Math.min(queued, perTick);
      queued -= n;
      s.ack(n);
      if (ticks % 256 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      if (queued > 0) setImmediate(consume);
      else ticking = false;
    };
    let tail = '';
    const done = new Promise<void>((resolve) => {
      s.onData((d) => {
        received += d.length;
        queued += d.length;
        tail = (tail + d.toString('latin1')).slice(-64);
        if (tail.includes('FLOOD-42')) resolve(); // the shell computes 42: its echo of the command cannot match
        if (!ticking) {
          ticking = true;
          setImmediate(consume);
        }
      });
    });
    const t0 = performance.now();
    s.write(`stty -echo -onlcr; yes | head -c ${total}; echo; echo FLOOD-$((6*7))\n`);
    await done;
    const ms = performance.now() - t0;
    const st = s.stats;
    console.log(
      `[figures] flood: ${(received / 1048576).toFixed(1)} MiB in ${ms.toFixed(0)} ms, max unacked ${st.maxUnacked} B ` +
        `(high-water ${high} + batch ${batch}), pauses ${st.pauses}, RSS growth peak ${((rssPeak - rss0) / 1048576).toFixed(1)} MiB`,
    );
    expect(received).toBeGreaterThanOrEqual(total);
    expect(st.pauses).toBeGreaterThan(0);
    expect(st.maxUnacked).toBeLessThanOrEqual(high + batch);
    expect(rssPeak - rss0).toBeLessThan(150 * 1024 * 1024);
    s.close();
  });
});

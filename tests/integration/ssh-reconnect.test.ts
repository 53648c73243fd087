import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger, memorySink } from '../../src/main/core/logger';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import { ReconnectingSession, type SessionState } from '../../src/main/ssh/reconnecting-session';
import type { SshTarget } from '../../src/main/ssh/ssh.types';
import {
  mountNamespace,
  procStartTime,
  processesInMountNamespace,
  signalIfSame,
  startSshd,
  type SshdPeer,
} from './peers';
import { makeManager, targetFor } from './peers/ssh-fixtures';

/** Records states and output of a session and lets a test wait for either. */
function watch(s: ReconnectingSession): {
  states: SessionState[];
  until: (pred: (st: SessionState) => boolean) => Promise<SessionState>;
  output: (re: RegExp) => Promise<void>;
} {
  const states: SessionState[] = [];
  const stateWaiters: { pred: (st: SessionState) => boolean; resolve: (st: SessionState) => void }[] = [];
  s.onState((st) => {
    states.push(st);
    for (const w of [...stateWaiters]) {
      if (w.pred(st)) {
        stateWaiters.splice(stateWaiters.indexOf(w), 1);
        w.resolve(st);
      }
    }
  });
  let text = '';
  const outWaiters: { re: RegExp; resolve: () => void }[] = [];
  s.onData((d) => {
    text += d.toString();
    s.ack(d.length);
    for (const w of [...outWaiters]) {
      if (w.re.test(text)) {
        outWaiters.splice(outWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    states,
    until: (pred) => new Promise((resolve) => stateWaiters.push({ pred, resolve })),
    output: (re) =>
      new Promise((resolve) => {
        if (re.test(text)) resolve();
        else outWaiters.push({ re, resolve });
      }),
  };
}

describe('reconnecting sessions', () => {
  let peer: SshdPeer;
  let manager: ConnectionManager;
  let target: SshTarget;
  const logger = new Logger({ sink: memorySink().sink });
  beforeAll(async () => {
    peer = await startSshd();
    const m = makeManager({ idleGraceMs: 0, readyTimeoutMs: 2_000, keepaliveIntervalMs: 250, keepaliveCountMax: 2 });
    manager = m.manager;
    target = targetFor(peer, 'key');
    m.credentials.secrets.set(target.id, { privateKey: peer.clientKey });
  });
  afterAll(async () => {
    await manager?.closeAll();
    await peer?.stop();
  });

  it('sshd restart → reconnecting → connected, with a reconnected marker and a working new shell', async () => {
    const s = new ReconnectingSession({ manager, logger }, target, { cols: 80, rows: 24 }, { initialDelayMs: 50 });
    const w = watch(s);
    const markers: { attempt: number; downtimeMs: number }[] = [];
    s.onReconnected((m) => markers.push(m));
    expect(await s.start()).toEqual({ state: 'connected', reconnected: false });
    s.write('echo before-$((6*7))\n');
    await w.output(/before-42/);
    const reconnected = w.until((st) => st.state === 'connected' && st.reconnected);
    const t0 = performance.now();
    await peer.restart();
    await reconnected;
    const ms = performance.now() - t0;
    expect(w.states.slice(0, 2)).toEqual([{ state: 'connecting' }, { state: 'connected', reconnected: false }]);
    expect(w.states.some((st) => st.state === 'reconnecting')).toBe(true);
    expect(w.states.at(-1)).toEqual({ state: 'connected', reconnected: true });
    expect(markers).toHaveLength(1);
    console.log(
      `[figures] reconnect after sshd restart: ${ms.toFixed(0)} ms from restart() call (sshd restart itself ${peer.lastStartMs.toFixed(0)} ms), downtime ${markers[0]?.downtimeMs} ms, states ${w.states.map((st) => st.state).join(' > ')}`,
    );
    s.write('echo after-$((6*7))\n');
    await w.output(/after-42/);
    s.write('exit 3\n');
    expect(await w.until((st) => st.state === 'closed')).toEqual({
      state: 'closed',
      reason: 'exit',
      code: 3,
      error: null,
    });
  });

  it('a frozen server is noticed by keepalive; the session comes back when it thaws', async () => {
    const s = new ReconnectingSession({ manager, logger }, target, { cols: 80, rows: 24 }, { initialDelayMs: 50 });
    const w = watch(s);
    await s.start();
    s.write('echo up\n');
    await w.output(/up\r\n/);
    const ns = mountNamespace(peer.pid);
    const since = procStartTime(peer.pid);
    if (ns === undefined || since === undefined) throw new Error('sshd not running');
    const frozen = processesInMountNamespace(ns, since);
    expect(frozen.length).toBeGreaterThan(1);
    const dropped = w.until((st) => st.state === 'reconnecting');
    const t0 = performance.now();
    for (const p of frozen) signalIfSame(p.pid, p.startTime, 'SIGSTOP');
    try {
      await dropped;
      console.log(
        `[figures] keepalive (250 ms x 2) noticed a frozen server after ${(performance.now() - t0).toFixed(0)} ms`,
      );
    } finally {
      for (const p of frozen) signalIfSame(p.pid, p.startTime, 'SIGCONT');
    }
    await w.until((st) => st.state === 'connected');
    s.write('echo back\n');
    await w.output(/back\r\n/);
    s.close();
    expect(s.state).toMatchObject({ state: 'closed', reason: 'closed' });
  });

  it('with reconnect off, a drop ends the session with CONNECTION_FAILED', async () => {
    const s = new ReconnectingSession({ manager, logger }, target, { cols: 80, rows: 24 }, { enabled: false });
    const w = watch(s);
    await s.start();
    const closed = w.until((st) => st.state === 'closed');
    await peer.restart();
    const st = await closed;
    expect(st).toMatchObject({ state: 'closed', reason: 'failed', error: { code: 'CONNECTION_FAILED' } });
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtySession } from '../../src/main/ssh/pty-session';
import { mountNamespace, startSshd, type SshdPeer } from './peers';
import { makeManager, targetFor } from './peers/ssh-fixtures';

/**
 * PID of the process that owns the local end of the established TCP connection from 127.0.0.1:`port` (via `ss -p`).
 * Used to prove which sshd opened a connection: all peers share the loopback, so addresses alone cannot.
 */
function ownerOfSourcePort(port: number): number {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  const m = out.match(/pid=(\d+)/);
  if (!m) throw new Error(`no owner for source port ${port}: ${out}`);
  return Number(m[1]);
}

describe('ProxyJump chains', () => {
  let hop1: SshdPeer;
  let hop2: SshdPeer;
  let dest: SshdPeer;
  beforeAll(async () => {
    [hop1, hop2, dest] = await Promise.all([
      startSshd(),
      startSshd({ addr: '127.0.0.2' }),
      startSshd({ addr: '127.0.0.3' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([hop1?.stop(), hop2?.stop(), dest?.stop()]);
  });

  it('hop1 → hop2 → target: the command runs on the target, reached from hop2 (not directly)', async () => {
    const { manager, credentials, prompter } = makeManager({ idleGraceMs: 60_000 });
    const h1 = targetFor(hop1, 'key');
    const h2 = targetFor(hop2, 'password');
    const t = targetFor(dest, 'key', { jump: [h1, h2] });
    credentials.secrets.set(h1.id, { privateKey: hop1.clientKey });
    credentials.secrets.set(h2.id, { password: hop2.password });
    credentials.secrets.set(t.id, { privateKey: dest.clientKey });
    try {
      const t0 = performance.now();
      const r = await manager.exec(t, ['sh', '-c', 'echo "$SSH_CONNECTION"; hostname']);
      console.log(`[figures] two-hop chain ready + exec in ${(performance.now() - t0).toFixed(0)} ms`);
      const [clientIp, clientPort, serverIp, serverPort] = (r.stdout.split('\n')[0] ?? '').split(' ');
      expect(serverIp).toBe('127.0.0.3');
      expect(Number(serverPort)).toBe(dest.port);
      expect(clientIp).toBe('127.0.0.1');
      // The target's peer socket belongs to an sshd in hop2's mount namespace: hop2 opened it (direct-tcpip).
      const owner = ownerOfSourcePort(Number(clientPort));
      expect(mountNamespace(owner)).toBe(mountNamespace(hop2.pid));
      expect(mountNamespace(owner)).not.toBe(mountNamespace(process.pid));
      // Each hop was asked about its own host key, as seen from the previous hop.
      expect(prompter.hostKeyQuestions.map((q) => [q.host, q.port, q.fingerprint])).toEqual([
        [hop1.host, hop1.port, hop1.hostKeyFingerprint],
        [hop2.host, hop2.port, hop2.hostKeyFingerprint],
        [dest.host, dest.port, dest.hostKeyFingerprint],
      ]);
      // The hops are ordinary pooled connections: hop1 carries hop2's connection, which carries the target's.
      expect(manager.stats().map((s) => s.key)).toEqual([h1.id, `${h1.id}>${h2.id}`, `${h1.id}>${h2.id}>${t.id}`]);
      expect(readFileSync(hop2.logPath, 'utf8')).toMatch(/Accepted password for tester/);
      // A shell over the same chain shares the target connection.
      const s = await PtySession.open(manager, t, { cols: 80, rows: 24 });
      let text = '';
      const seen = new Promise<void>((resolve) =>
        s.onData((d) => {
          text += d.toString();
          s.ack(d.length);
          if (/via-chain-42/.test(text)) resolve();
        }),
      );
      s.write('echo via-chain-$((6*7))\n');
      await seen;
      s.close();
      expect(manager.stats()).toHaveLength(3);
    } finally {
      await manager.closeAll();
    }
    expect(manager.stats()).toEqual([]);
  });

  it('a broken hop fails the chain with that hop named', async () => {
    const { manager, credentials } = makeManager();
    const h1 = targetFor(hop1, 'key');
    const h2 = targetFor(hop2, 'password');
    const t = targetFor(dest, 'key', { jump: [h1, h2] });
    credentials.secrets.set(h1.id, { privateKey: hop1.clientKey });
    credentials.secrets.set(h2.id, { password: 'wrong-password' });
    credentials.secrets.set(t.id, { privateKey: dest.clientKey });
    await expect(manager.exec(t, ['true'])).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`tester@127.0.0.2:${hop2.port}`),
    });
    await manager.closeAll();
  });
});

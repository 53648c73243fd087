import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountNamespace, startSshd, type SshdPeer } from './peers';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { addServer, openTrusted } from './peers/ssh-fixtures';

const MASTER = 'terminal session master password';
const secrets = new Set<string>([MASTER]);
const harnesses: CoreHarness[] = [];
/** Fast backoff so drops are retried in tens of milliseconds. */
const FAST = { enabled: true, initialDelayMs: 50, maxDelayMs: 200 };

async function harness(): Promise<CoreHarness> {
  const h = await coreHarness({ masterPassword: MASTER });
  harnesses.push(h);
  return h;
}

/** PID owning the local end of the established TCP connection from source `port` (see ssh-jump.test.ts). */
function ownerOfSourcePort(port: number): number {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no owner for source port ${port}: ${out}`);
  return Number(m[1]);
}

describe('terminal through the dispatcher: sessions', () => {
  let peer: SshdPeer;
  let hop1: SshdPeer;
  let hop2: SshdPeer;
  let http: Server;
  beforeAll(async () => {
    [peer, hop1, hop2] = await Promise.all([
      startSshd({ addr: '127.0.0.3' }),
      startSshd(),
      startSshd({ addr: '127.0.0.2' }),
    ]);
    for (const p of [peer, hop1, hop2]) secrets.add(p.password);
    http = createServer((req, res) => res.end(`forwarded ${req.url ?? ''}`));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    const texts = harnesses.flatMap((h) => [...h.lines, ...h.errors]);
    for (const h of harnesses) await h.close();
    await Promise.all([peer?.stop(), hop1?.stop(), hop2?.stop()]);
    await new Promise((resolve) => http?.close(resolve));
    expect([...secrets].filter((s) => texts.some((t) => t.includes(s)))).toEqual([]);
  });

  it('jump chain [hop1, hop2]: the shell runs on the target, reached from hop2; a loop is refused', async () => {
    const h = await harness();
    const h1 = await addServer(h, hop1, 'key', { credential: { kind: 'ssh-key', secret: hop1.clientKey } });
    const h2 = await addServer(h, hop2, 'password', { credential: { kind: 'password', secret: hop2.password } });
    const dest = await addServer(h, peer, 'password', {
      credential: { kind: 'password', secret: peer.password },
      jumpHostIds: [h1, h2],
    });
    const from = h.events.length;
    const sessionId = await openTrusted(h, dest);
    const prompts = h.events.slice(from).flatMap((e) => (e.name === 'ssh.hostKey.prompt' ? [e.payload] : []));
    expect(prompts.map((p) => [p.serverId, p.fingerprint])).toEqual([
      [h1, hop1.hostKeyFingerprint],
      [h2, hop2.hostKeyFingerprint],
      [dest, peer.hostKeyFingerprint],
    ]);
    await h.call('terminal.write', { sessionId, data: 'echo "SC=[$SSH_CONNECTION]"\n' });
    const text = await h.waitForText(sessionId, /SC=\[\S+ \d+ \S+ \d+\]/);
    const [, clientIp, clientPort, serverIp] = /SC=\[(\S+) (\d+) (\S+) \d+\]/.exec(text) ?? [];
    expect(serverIp).toBe('127.0.0.3');
    expect(clientIp).toBe('127.0.0.1');
    expect(mountNamespace(ownerOfSourcePort(Number(clientPort)))).toBe(mountNamespace(hop2.pid));
    expect(h.core.ssh.stats().map((s) => s.key)).toEqual([h1, `${h1}>${h2}`, `${h1}>${h2}>${dest}`]);

    // Nested: hop2 itself jumps through hop1, so a server listing only hop2 gets the same chain (and connection).
    await h.call('servers.update', { id: h2, patch: { jumpHostIds: [h1] } });
    await h.call('servers.update', { id: dest, patch: { jumpHostIds: [h2] } });
    const nested = await openTrusted(h, dest, { expectPrompt: false });
    await h.call('terminal.write', { sessionId: nested, data: 'echo nested-$((6*7))\n' });
    await h.waitForText(nested, /nested-42/);
    expect(h.core.ssh.stats()).toHaveLength(3);

    // hop1 → dest → hop2 → hop1: a loop, refused when saving.
    const loop = await h.fail('servers.update', { id: h1, patch: { jumpHostIds: [dest] } });
    expect(loop.code).toBe('VALIDATION');
    expect(loop.message).toMatch(/loop/);
  });

  it('sshd restart: reconnecting → connected + terminal.reconnected, and the new shell works', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const sessionId = await openTrusted(h, serverId, { reconnect: FAST });
    const from = h.events.length;
    await peer.restart();
    await h.waitForState(sessionId, 'reconnecting', from);
    const back = await h.waitForState(sessionId, 'connected', from);
    expect(back.reconnected).toBe(true);
    const marker = await h.waitFor('terminal.reconnected', (p) => p.sessionId === sessionId, { from });
    expect(marker.downtimeMs).toBeGreaterThanOrEqual(0);
    console.log(`[figures] terminal back after sshd restart: ${marker.downtimeMs} ms, attempt ${marker.attempt}`);
    await h.call('terminal.write', { sessionId, data: 'echo again-$((40+2))\n' });
    await h.waitForText(sessionId, /again-42/);
  });

  it('vault lock: open shells keep working, new terminals and reconnects get VAULT_LOCKED until unlock', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const sessionId = await openTrusted(h, serverId, { reconnect: FAST });
    await h.call('vault.lock', {});
    await h.call('terminal.write', { sessionId, data: 'echo locked-$((40+2))\n' });
    await h.waitForText(sessionId, /locked-42/);
    expect((await h.fail('terminal.open', { serverId, cols: 80, rows: 24 })).code).toBe('VAULT_LOCKED');

    const from = h.events.length;
    await peer.restart();
    // At least two attempts fail on the lock (it keeps retrying with backoff), then unlock brings it back.
    const second = await h.waitFor(
      'terminal.state',
      (p) => p.sessionId === sessionId && p.state.state === 'reconnecting' && p.state.attempt >= 2,
      { from },
    );
    expect(second.state).toMatchObject({ errorCode: 'VAULT_LOCKED', error: 'The vault is locked. Unlock it first.' });
    expect(h.events.slice(from).some((e) => e.name === 'terminal.state' && e.payload.state.state === 'closed')).toBe(
      false,
    );
    const unlockedAt = h.events.length;
    await h.call('vault.unlock', { password: MASTER });
    const back = await h.waitForState(sessionId, 'connected', unlockedAt);
    expect(back.reconnected).toBe(true);
    await h.waitFor('terminal.reconnected', (p) => p.sessionId === sessionId, { from: unlockedAt });
    await h.call('terminal.write', { sessionId, data: 'echo unlocked-$((40+2))\n' });
    await h.waitForText(sessionId, /unlocked-42/);
  });

  it('terminal.replay: the recent output (≤ 256 KiB, from a line start) as one event before the answer', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const sessionId = await openTrusted(h, serverId);
    // ~540 KB of numbered lines: more than the replay keeps, so the start is trimmed.
    await h.call('terminal.write', { sessionId, data: 'seq 100000 170000; echo REPLAY-$((6*7))-END\n' });
    await h.waitForText(sessionId, /REPLAY-42-END/, 30_000);

    const from = h.events.length;
    const { bytes } = await h.call('terminal.replay', { sessionId });
    // Already recorded when the call answered: the event precedes any later output on the same channel.
    const replays = h.events
      .slice(from)
      .flatMap((e) => (e.name === 'terminal.replay' && e.payload.sessionId === sessionId ? [e.payload] : []));
    expect(replays).toHaveLength(1);
    const text = Buffer.from(replays[0]?.data ?? new Uint8Array()).toString('utf8');
    expect(text.length).toBe(bytes);
    expect(bytes).toBeGreaterThan(200 * 1024);
    expect(bytes).toBeLessThanOrEqual(256 * 1024 + 64 * 1024);
    expect(text).toContain('REPLAY-42-END');
    expect(h.text(sessionId).endsWith(text)).toBe(true); // the tail of what the session printed, unaltered
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^1\d{5}$/); // trimmed at a line boundary: a whole number first
    expect(Number(lines[1])).toBe(Number(lines[0]) + 1);

    // Output keeps flowing afterwards (flow control restarted for the new reader), and unknown ids are refused.
    await h.call('terminal.write', { sessionId, data: 'echo after-replay-$((6*7))\n' });
    await h.waitForText(sessionId, /after-replay-42/);
    expect((await h.fail('terminal.replay', { sessionId: '00000000-0000-4000-8000-000000000000' })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('resize reaches the remote PTY (stty size)', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const sessionId = await openTrusted(h, serverId);
    await h.call('terminal.resize', { sessionId, cols: 132, rows: 43 });
    await h.call('terminal.write', { sessionId, data: 'echo "size=[$(stty size)]"\n' });
    await h.waitForText(sessionId, /size=\[43 132\]/);
    expect(await h.call('terminal.list', {})).toEqual([expect.objectContaining({ cols: 132, rows: 43 })]);
  });

  it('snippets: create, list, update, run into two terminals, delete', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const a = await openTrusted(h, serverId);
    const b = await openTrusted(h, serverId, { expectPrompt: false });
    const s = await h.call('snippets.create', { name: 'Disk usage', command: 'echo disk-$((1+1))\n', tags: ['ops'] });
    expect(s).toMatchObject({ name: 'Disk usage', tags: ['ops'] });
    await h.call('snippets.create', { name: 'Uptime', command: 'uptime\n' });
    expect((await h.call('snippets.list', {})).map((x) => x.name)).toEqual(['Disk usage', 'Uptime']);
    expect((await h.call('snippets.list', { query: 'OPS' })).map((x) => x.name)).toEqual(['Disk usage']);
    const u = await h.call('snippets.update', { id: s.id, patch: { command: 'echo snip-$((6*7))\n' } });
    expect(u).toMatchObject({ name: 'Disk usage', tags: ['ops'], command: 'echo snip-$((6*7))\n' });
    expect(await h.call('snippets.run', { id: s.id, sessionIds: [a, b] })).toEqual({ sent: 2 });
    await Promise.all([h.waitForText(a, /snip-42/), h.waitForText(b, /snip-42/)]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await h.fail('snippets.run', { id: s.id, sessionIds: [a, unknown] })).code).toBe('NOT_FOUND');
    await h.call('snippets.delete', { id: s.id });
    expect((await h.call('snippets.list', {})).map((x) => x.name)).toEqual(['Uptime']);
    expect((await h.fail('snippets.run', { id: s.id, sessionIds: [a] })).code).toBe('NOT_FOUND');
  });

  it('forwards: a local forward to a loopback HTTP server, with forwards.changed; core.close() ends everything', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const sessionId = await openTrusted(h, serverId);
    const from = h.events.length;
    const port = (http.address() as AddressInfo).port;
    const f = await h.call('forwards.start', { kind: 'local', serverId, destHost: '127.0.0.1', destPort: port });
    expect(f).toMatchObject({ kind: 'local', targetId: serverId, bindHost: '127.0.0.1', destPort: port });
    expect(f.bindPort).toBeGreaterThan(0);
    await h.waitFor('forwards.changed', (p) => p.forwards.some((x) => x.id === f.id), { from });
    const res = await fetch(`http://127.0.0.1:${f.bindPort}/via-ssh`);
    expect(await res.text()).toBe('forwarded /via-ssh');
    await h.waitFor('forwards.changed', (p) => p.forwards.some((x) => x.id === f.id && x.totalConnections >= 1));
    expect(await h.call('forwards.list', {})).toEqual([expect.objectContaining({ id: f.id })]);
    await h.call('forwards.stop', { id: f.id });
    await h.waitFor('forwards.changed', (p) => p.forwards.length === 0, { from: h.events.length - 1 });
    expect(await h.call('forwards.list', {})).toEqual([]);

    // core.close(): sessions, forwards and connections all end.
    const g = await h.call('forwards.start', { kind: 'dynamic', serverId });
    const closeFrom = h.events.length;
    await h.core.close();
    await h.waitForState(sessionId, 'closed', closeFrom);
    expect(h.core.ssh.stats()).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${g.bindPort}/`)).rejects.toThrow();
  });

  // Last in the file on purpose: it once had to run first (ssh2's native add-on, see ssh2-loader.ts); it must
  // pass after other connections have closed. `vitest --sequence.shuffle` checks any order.
  it('a flood arrives in full ≤ 64 KiB terminal.data events and keeps flowing only because the acks come back', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const sessionId = await openTrusted(h, serverId);
    const from = h.events.length;
    const total = 8 * 1024 * 1024; // 8× the 1 MiB high-water mark: without acks it would stall.
    const t0 = performance.now();
    await h.call('terminal.write', {
      sessionId,
      data: `head -c ${total} /dev/zero | tr '\\0' x; echo; echo flood-done-$((1+1))\n`,
    });
    await h.waitForText(sessionId, /flood-done-2/, 30_000);
    const ms = performance.now() - t0;
    const sizes = h.events
      .slice(from)
      .flatMap((e) =>
        e.name === 'terminal.data' && e.payload.sessionId === sessionId ? [e.payload.data.byteLength] : [],
      );
    const bytes = sizes.reduce((a, b) => a + b, 0);
    console.log(
      `[figures] ${(bytes / 1048576).toFixed(1)} MiB through dispatcher events in ${ms.toFixed(0)} ms, ` +
        `${sizes.length} events, largest ${Math.max(...sizes)} B`,
    );
    expect(bytes).toBeGreaterThanOrEqual(total);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    // Batches are flushed before they would pass 64 KiB, not cut into 64 KiB plus a small remainder afterwards
    // (that doubled the events, each with its own cost in the renderer): well under 1.5x the 64 KiB minimum.
    expect(sizes.length).toBeLessThan((1.5 * bytes) / (64 * 1024));
  });
});

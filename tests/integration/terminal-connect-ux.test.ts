import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startSshd, type SshdPeer } from './peers';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { addServer, makeManager, openTrusted, targetFor } from './peers/ssh-fixtures';
import { AppError } from '../../src/shared/errors';

/*
 * Issue 8 #2, #4 and #5 against real sshd: asking for a password that is not stored (and remembering it), a first
 * connection that fails stopping with its cause instead of retrying, and input to a pane without a live shell.
 */

const harnesses: CoreHarness[] = [];
async function harness(): Promise<CoreHarness> {
  const h = await coreHarness();
  harnesses.push(h);
  return h;
}

/** Answers every host key question of `h` with trust (first connections in these tests are to known peers). */
function trustAll(h: CoreHarness): () => void {
  const answered = new Set<string>();
  return h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as { promptId: string };
    if (answered.has(p.promptId)) return;
    answered.add(p.promptId);
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
}

const stateNames = (h: CoreHarness, sessionId: string): string[] =>
  h.events.flatMap((e) =>
    e.name === 'terminal.state' && e.payload.sessionId === sessionId ? [e.payload.state.state] : [],
  );

describe('connecting: ask for a password, fail with the cause, refuse input without a shell', () => {
  let peer: SshdPeer;
  let hop: SshdPeer;
  const secrets = new Set<string>();
  beforeAll(async () => {
    [peer, hop] = await Promise.all([startSshd(), startSshd({ addr: '127.0.0.2' })]);
    secrets.add(peer.password);
  });
  afterAll(async () => {
    const texts = harnesses.flatMap((h) => [...h.lines, ...h.errors]);
    for (const h of harnesses) await h.close();
    await Promise.all([peer?.stop(), hop?.stop()]);
    expect([...secrets].filter((s) => texts.some((t) => t.includes(s)))).toEqual([]);
  });

  it('"None (ask when connecting)": the password is asked (masked, remember offered); remembered, it is stored and bound', async () => {
    const h = await harness();
    const stop = trustAll(h);
    const serverId = await addServer(h, peer, 'password', { name: 'ask-me' });
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });

    // A wrong answer is refused by sshd and asked again, saying so; the right one signs in.
    const first = await h.waitFor('ssh.keyboard.prompt', (p) => p.serverId === serverId, { from });
    expect(first).toMatchObject({
      user: peer.user,
      host: peer.host,
      port: peer.port,
      offerRemember: true,
      instructions: '',
      prompts: [{ prompt: 'Password', echo: false }],
    });
    const wrong = `wrong-${Math.random().toString(36).slice(2)}`;
    secrets.add(wrong);
    await h.call('ssh.keyboard.answer', { promptId: first.promptId, answers: [wrong], remember: true });
    const second = await h.waitFor('ssh.keyboard.prompt', (p) => p.promptId !== first.promptId, { from });
    expect(second.instructions).toBe('Permission denied, please try again.');
    await h.call('ssh.keyboard.answer', { promptId: second.promptId, answers: [peer.password], remember: true });
    await h.waitForState(sessionId, 'connected', from);
    await h.call('terminal.write', { sessionId, data: 'echo asked-$((40+2))\n' });
    await h.waitForText(sessionId, /asked-42/);

    // Remembered: a password credential with the server's user, bound to the server; the wrong one was not kept.
    await h.waitFor('inventory.changed', (p) => p.kind === 'server' && p.id === serverId, { from });
    const server = await h.call('servers.get', { id: serverId });
    expect(server.credentialId).not.toBeNull();
    const creds = await h.call('credentials.list', {});
    expect(creds).toEqual([
      expect.objectContaining({
        id: server.credentialId,
        name: 'ask-me password',
        kind: 'password',
        username: peer.user,
      }),
    ]);
    expect((await h.call('credentials.reveal', { id: server.credentialId ?? '', purpose: 'reveal' })).secret).toBe(
      peer.password,
    );

    // The next terminal asks nothing: on a new connection (the shared one closed first), it signs in with the
    // stored password.
    const lines = h.lines.length;
    await h.call('terminal.close', { sessionId });
    await h.waitForLog(/ssh\.connection\.closed/, lines);
    const again = h.events.length;
    const next = await openTrusted(h, serverId, { expectPrompt: false });
    await h.call('terminal.write', { sessionId: next, data: 'echo stored-$((40+3))\n' });
    await h.waitForText(next, /stored-43/);
    expect(h.events.slice(again).some((e) => e.name === 'ssh.keyboard.prompt')).toBe(false);
    stop();
  });

  it('not remembered: nothing is stored; cancelled: the terminal fails with AUTH_FAILED and does not retry', async () => {
    const h = await harness();
    const stop = trustAll(h);
    const serverId = await addServer(h, peer, 'password', { name: 'ask-once' });
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const q = await h.waitFor('ssh.keyboard.prompt', (p) => p.serverId === serverId, { from });
    await h.call('ssh.keyboard.answer', { promptId: q.promptId, answers: [peer.password] });
    await h.waitForState(sessionId, 'connected', from);
    expect((await h.call('servers.get', { id: serverId })).credentialId).toBeNull();
    expect(await h.call('credentials.list', {})).toEqual([]);

    const lines = h.lines.length;
    await h.call('terminal.close', { sessionId });
    await h.waitForLog(/ssh\.connection\.closed/, lines);
    const from2 = h.events.length;
    const { sessionId: s2 } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const q2 = await h.waitFor('ssh.keyboard.prompt', (p) => p.serverId === serverId, { from: from2 });
    await h.call('ssh.keyboard.answer', { promptId: q2.promptId, answers: null });
    const closed = await h.waitForState(s2, 'closed', from2);
    expect(closed.error).toMatchObject({
      code: 'AUTH_FAILED',
      message: `Sign-in to tester@${peer.host}:${peer.port} was cancelled.`,
    });
    expect(stateNames(h, s2)).toEqual(['connecting', 'closed']);
    stop();
  });

  it('where nobody can be asked (no password prompter), no stored password is a clear AUTH_FAILED at once', async () => {
    const { manager } = makeManager(); // its prompter answers host keys and kbd rounds only, like a CLI would
    try {
      const e = await manager.exec(targetFor(peer, 'password'), ['true']).then(
        () => new Error('connected without a password'),
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({
        code: 'AUTH_FAILED',
        message: `No password is stored for tester@${peer.host}:${peer.port} and there is no window to ask for one: store a password credential and choose it for this server.`,
      });
    } finally {
      await manager.closeAll();
    }
  });

  it('a first connection to a closed port fails with the hop and "refused", without retrying', async () => {
    const h = await harness();
    const port = await freePort();
    const serverId = await h
      .call('servers.create', { name: 'closed', host: '127.0.0.1', port, user: 'tester', auth: 'password' })
      .then((s) => s.id);
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const closed = await h.waitForState(sessionId, 'closed', from);
    expect(closed.reason).toBe('failed');
    expect(closed.error).toMatchObject({
      code: 'CONNECTION_FAILED',
      message: `Cannot connect to tester@127.0.0.1:${port}: connection refused (nothing is listening on that port).`,
      details: { hop: `tester@127.0.0.1:${port}`, cause: 'refused' },
    });
    expect(stateNames(h, sessionId)).toEqual(['connecting', 'closed']);

    // Input to it is refused as "not connected", not as a full input queue (issue 8 #5).
    expect(await h.call('terminal.write', { sessionId, data: 'ls\n' })).toEqual({
      accepted: false,
      reason: 'not-connected',
    });
  });

  it('a jump chain whose last hop is unreachable fails naming that hop and the jump host, without retrying', async () => {
    const h = await harness();
    const stop = trustAll(h);
    const jump = await addServer(h, hop, 'key', {
      name: 'bastion',
      credential: { kind: 'ssh-key', secret: hop.clientKey },
    });
    const port = await freePort();
    const dest = await h.call('servers.create', {
      name: 'inner',
      host: '127.0.0.1',
      port,
      user: 'tester',
      auth: 'password',
      jumpHostIds: [jump],
    });
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId: dest.id, cols: 80, rows: 24 });
    const closed = await h.waitForState(sessionId, 'closed', from);
    expect(closed.error).toMatchObject({
      code: 'CONNECTION_FAILED',
      message: `Cannot connect to tester@127.0.0.1:${port} through tester@${hop.host}:${hop.port}: connection refused (nothing is listening on that port).`,
      details: { hop: `tester@127.0.0.1:${port}`, cause: 'refused', via: `tester@${hop.host}:${hop.port}` },
    });
    expect(stateNames(h, sessionId)).toEqual(['connecting', 'closed']);
    stop();
  });

  it('input goes to a live shell; once the shell has exited it is refused as not connected', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const stop = trustAll(h);
    const sessionId = await openTrusted(h, serverId, { expectPrompt: false });
    expect(await h.call('terminal.write', { sessionId, data: 'exit\n' })).toEqual({ accepted: true });
    await h.waitForState(sessionId, 'closed');
    expect(await h.call('terminal.write', { sessionId, data: 'ls\n' })).toEqual({
      accepted: false,
      reason: 'not-connected',
    });
    stop();
  });
});

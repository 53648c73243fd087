import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdPeer } from './peers';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { addServer, openTrusted } from './peers/ssh-fixtures';

/*
 * terminal.busy against a real sshd: three shells share one pooled connection, and the probe has to tell which of
 * them has a program in the foreground (the question asked before closing a tab).
 */
describe('terminal.busy: a foreground program in the session’s own shell', () => {
  let peer: SshdPeer;
  let h: CoreHarness;
  beforeAll(async () => {
    peer = await startSshd();
    h = await coreHarness({ masterPassword: 'terminal busy master password' });
  });
  afterAll(async () => {
    await h?.close();
    await peer?.stop();
  });

  it('tells the busy shell from its idle siblings on the same connection, and follows it back to idle', async () => {
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const first = await openTrusted(h, serverId);
    const second = await openTrusted(h, serverId, { expectPrompt: false });
    const third = await openTrusted(h, serverId, { expectPrompt: false });
    expect(h.core.ssh.stats()).toHaveLength(1); // one connection carries all three shells

    // A background job is not a foreground program; the first shell keeps one running.
    await h.call('terminal.write', { sessionId: first, data: 'sleep 200 & echo bg-$((40+2))\n' });
    await h.waitForText(first, /bg-42/);
    // The marker is printed by the foreground program itself, so it is running when the marker arrives.
    await h.call('terminal.write', { sessionId: second, data: "sh -c 'echo fg-$((6*7)); exec sleep 300'\n" });
    await h.waitForText(second, /fg-42/);

    expect(await h.call('terminal.busy', { sessionId: first })).toEqual({ busy: false, known: true, program: null });
    const busy = await h.call('terminal.busy', { sessionId: second });
    expect(busy).toMatchObject({ busy: true, known: true });
    expect(busy.program).toMatch(/^(sh|sleep)$/); // sh until its exec, sleep after
    expect(await h.call('terminal.busy', { sessionId: third })).toEqual({ busy: false, known: true, program: null });

    await h.call('terminal.write', { sessionId: second, data: '\x03' });
    await h.call('terminal.write', { sessionId: second, data: 'echo idle-$((1+1))\n' });
    await h.waitForText(second, /idle-2/);
    expect(await h.call('terminal.busy', { sessionId: second })).toEqual({ busy: false, known: true, program: null });

    // An ended session has nothing running; an unknown one is NOT_FOUND.
    await h.call('terminal.write', { sessionId: third, data: 'exit\n' });
    await h.waitForState(third, 'closed');
    expect(await h.call('terminal.busy', { sessionId: third })).toEqual({ busy: false, known: true, program: null });
    const unknown = await h.fail('terminal.busy', { sessionId: crypto.randomUUID() });
    expect(unknown.code).toBe('NOT_FOUND');
  });
});

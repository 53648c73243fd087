import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdPeer } from './peers';
import { startSshAgent, type SshAgentPeer } from './peers/ssh-agent';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { addServer, openTrusted } from './peers/ssh-fixtures';

/** Secrets handed to the vault in this file: none may appear in a log line or an error. */
const secrets = new Set<string>();
const harnesses: CoreHarness[] = [];
const keyDir = mkdtempSync(join(tmpdir(), 'pd-term-keys-'));

async function harness(opts: Parameters<typeof coreHarness>[0] = {}): Promise<CoreHarness> {
  const h = await coreHarness(opts);
  harnesses.push(h);
  return h;
}

/** A marker the shell must compute (so the echo of the typed command cannot satisfy the wait). */
function marker(): { cmd: string; re: RegExp } {
  const n = Math.floor(Math.random() * 1e6);
  return { cmd: `echo hello-$((${n}+1))\n`, re: new RegExp(`hello-${n + 1}`) };
}

describe('terminal through the dispatcher: sign-in methods', () => {
  let peer: SshdPeer;
  let kbdPeer: SshdPeer;
  let agent: SshAgentPeer;
  beforeAll(async () => {
    [peer, kbdPeer, agent] = await Promise.all([
      startSshd(),
      startSshd({ passwordAuth: false, kbdInteractive: true, addr: '127.0.0.2' }),
      startSshAgent(),
    ]);
    secrets.add(peer.password);
    secrets.add(kbdPeer.password);
    await agent.add(peer.clientKeyPath);
  });
  afterAll(async () => {
    const texts = harnesses.flatMap((h) => [...h.lines, ...h.errors]);
    for (const h of harnesses) await h.close();
    await Promise.all([peer?.stop(), kbdPeer?.stop(), agent?.stop()]);
    rmSync(keyDir, { recursive: true, force: true });
    // The leak check covers every test of the file: log lines, call errors and terminal.state errors.
    const leaks = [...secrets].filter((s) => texts.some((t) => t.includes(s)));
    expect(leaks).toEqual([]);
  });

  it('password: host key prompt → trust → connected → echo; key listed, use audited, second open asks nothing', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', {
      name: 'web-1',
      credential: { kind: 'password', secret: peer.password },
    });
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const prompt = await h.waitFor('ssh.hostKey.prompt', (p) => p.serverId === serverId, { from });
    expect(prompt).toMatchObject({ host: peer.host, port: peer.port, fingerprint: peer.hostKeyFingerprint });
    expect(h.events.slice(from).map((e) => e.name)).toContain('terminal.state');
    await h.call('ssh.hostKey.answer', { promptId: prompt.promptId, trust: true });
    await h.waitFor('ssh.prompt.closed', (p) => p.promptId === prompt.promptId && p.reason === 'answered');
    await h.waitForState(sessionId, 'connected', from);
    const m = marker();
    expect(await h.call('terminal.write', { sessionId, data: m.cmd })).toEqual({ accepted: true });
    await h.waitForText(sessionId, m.re);
    const data = h.events.find((e) => e.name === 'terminal.data');
    expect(data?.payload).toMatchObject({ sessionId });
    expect((data?.payload as { data: unknown }).data).toBeInstanceOf(Uint8Array);

    const keys = await h.call('hostKeys.list', {});
    expect(keys).toEqual([
      expect.objectContaining({
        host: peer.host,
        port: peer.port,
        fingerprint: peer.hostKeyFingerprint,
        source: 'first-use',
        keyType: 'ssh-ed25519',
      }),
    ]);
    const audit = await h.call('audit.list', { action: 'secret.used', limit: 10 });
    expect(audit.map((a) => a.detail)).toEqual(['password of web-1 used for SSH ("web-1-cred")']);
    expect(audit[0]).toMatchObject({ serverId });

    const list = await h.call('terminal.list', {});
    expect(list).toEqual([
      expect.objectContaining({ sessionId, serverId, title: 'web-1', cols: 80, rows: 24, state: expect.anything() }),
    ]);
    expect(list[0]?.state).toEqual({ state: 'connected', reconnected: false });

    const from2 = h.events.length;
    const second = await openTrusted(h, serverId, { expectPrompt: false });
    expect(h.events.slice(from2).some((e) => e.name === 'ssh.hostKey.prompt')).toBe(false);
    const m2 = marker();
    await h.call('terminal.write', { sessionId: second, data: m2.cmd });
    await h.waitForText(second, m2.re);
    // One pooled connection carries both shells.
    expect(h.core.ssh.stats()).toEqual([{ key: serverId, refs: 2, connected: true }]);

    const exitFrom = h.events.length;
    await h.call('terminal.write', { sessionId: second, data: 'exit 7\n' });
    expect(await h.waitForState(second, 'closed', exitFrom)).toEqual({
      state: 'closed',
      reason: 'exit',
      code: 7,
      error: null,
    });
    // An ended session stays listed (a reloaded window shows it) and takes no input until the UI closes it.
    expect(await h.call('terminal.write', { sessionId: second, data: 'x' })).toEqual({
      accepted: false,
      reason: 'not-connected',
    });
    await h.call('terminal.close', { sessionId });
    await h.call('terminal.close', { sessionId: second });
    expect(await h.call('terminal.list', {})).toEqual([]);
    expect((await h.fail('terminal.write', { sessionId, data: 'x' })).code).toBe('NOT_FOUND');
  });

  it('refusing the host key closes the terminal with HOST_KEY_UNKNOWN and stores nothing', async () => {
    const h = await harness();
    const serverId = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const prompt = await h.waitFor('ssh.hostKey.prompt');
    await h.call('ssh.hostKey.answer', { promptId: prompt.promptId, trust: false });
    const closed = await h.waitForState(sessionId, 'closed');
    expect(closed.error?.code).toBe('HOST_KEY_UNKNOWN');
    expect(await h.call('hostKeys.list', {})).toEqual([]);
    // Refused before authentication: the password was never decrypted for it, so no use is audited.
    expect(await h.call('audit.list', { action: 'secret.used', limit: 10 })).toEqual([]);
  });

  it('key, passphrase-protected key and agent credentials', async () => {
    const h = await harness();
    const plain = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const passphrase = `pp-${Math.random().toString(36).slice(2)}`;
    secrets.add(passphrase);
    const encPath = join(keyDir, 'enc_ed25519');
    copyFileSync(peer.clientKeyPath, encPath);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', encPath]);
    const encrypted = readFileSync(encPath, 'utf8');
    const withPp = await addServer(h, peer, 'key', {
      credential: { kind: 'ssh-key', secret: encrypted, passphrase },
    });
    for (const serverId of [plain, withPp]) {
      const sessionId = await openTrusted(h, serverId);
      const m = marker();
      await h.call('terminal.write', { sessionId, data: m.cmd });
      await h.waitForText(sessionId, m.re);
      await h.call('terminal.close', { sessionId });
    }
    const ha = await harness({ ssh: { agentSocket: agent.socket } });
    const viaAgent = await addServer(ha, peer, 'agent');
    const sessionId = await openTrusted(ha, viaAgent);
    await ha.call('terminal.write', { sessionId, data: 'echo agent-$SSH_AUTH_SOCK-$((2*21))\n' });
    await ha.waitForText(sessionId, /agent--42/);
    expect(readFileSync(peer.logPath, 'utf8')).toMatch(/Accepted publickey for tester/);
    // The agent signs; no vault secret is used, so nothing is audited as used.
    expect(await ha.call('audit.list', { action: 'secret.used', limit: 10 })).toEqual([]);
  });

  it('keyboard-interactive: the server question arrives as ssh.keyboard.prompt and the answer signs in', async () => {
    const h = await harness();
    const serverId = await addServer(h, kbdPeer, 'keyboard-interactive');
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const hk = await h.waitFor('ssh.hostKey.prompt');
    expect(hk.fingerprint).toBe(kbdPeer.hostKeyFingerprint);
    await h.call('ssh.hostKey.answer', { promptId: hk.promptId, trust: true });
    const q = await h.waitFor('ssh.keyboard.prompt');
    expect(q).toMatchObject({ serverId, user: 'tester', host: kbdPeer.host, port: kbdPeer.port });
    expect(q.prompts).toEqual([{ prompt: expect.stringMatching(/password/i), echo: false }]);
    await h.call('ssh.keyboard.answer', { promptId: q.promptId, answers: [kbdPeer.password] });
    await h.waitForState(sessionId, 'connected');
    const m = marker();
    await h.call('terminal.write', { sessionId, data: m.cmd });
    await h.waitForText(sessionId, m.re);
    expect(readFileSync(kbdPeer.logPath, 'utf8')).toMatch(/Accepted keyboard-interactive\/pam for tester/);
  });

  it('a wrong password ends the terminal with a clear AUTH_FAILED and no reconnect loop', async () => {
    const h = await harness();
    const wrong = `wrong-${Math.random().toString(36).slice(2)}`;
    secrets.add(wrong);
    const serverId = await addServer(h, peer, 'password', {
      name: 'db-1',
      credential: { kind: 'password', secret: wrong },
    });
    const sessionId = await h.call('terminal.open', { serverId, cols: 80, rows: 24 }).then((r) => r.sessionId);
    const prompt = await h.waitFor('ssh.hostKey.prompt');
    await h.call('ssh.hostKey.answer', { promptId: prompt.promptId, trust: true });
    const closed = await h.waitForState(sessionId, 'closed');
    expect(closed.reason).toBe('failed');
    expect(closed.error?.code).toBe('AUTH_FAILED');
    expect(closed.error?.message).toBe(
      `Authentication failed for tester@${peer.host}:${peer.port}: the server rejected the password.`,
    );
    expect(h.events.some((e) => e.name === 'terminal.state' && e.payload.state.state === 'reconnecting')).toBe(false);
    expect(await h.call('terminal.list', {})).toEqual([
      expect.objectContaining({ sessionId, state: expect.objectContaining({ state: 'closed' }) }),
    ]);
  });
});

import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { freePort, startSshd, type SshdPeer } from './peers';
import { logAfterDisconnect } from './peers/sshd-log';
import { startSshAgent } from './peers/ssh-agent';
import { makeManager, targetFor } from './peers/ssh-fixtures';

/** Rejection of `p` as an AppError (fails the test if it resolves or throws something else). */
async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Log size now, to read only what a later connection wrote. */
const logOffset = (peer: SshdPeer): number => statSync(peer.logPath).size;

describe('ssh connect: password, key, passphrase, agent', () => {
  let peer: SshdPeer;
  beforeAll(async () => {
    peer = await startSshd();
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('password login asks to trust the host key once, then reuses one connection for several execs', async () => {
    const { manager, prompter, credentials, hostKeys, log } = makeManager({ idleGraceMs: 60_000 });
    const t = targetFor(peer, 'password');
    credentials.secrets.set(t.id, { password: peer.password });
    const offset = logOffset(peer);
    try {
      const [a, b] = await Promise.all([manager.exec(t, ['id', '-un']), manager.exec(t, ['echo', 'two words'])]);
      expect(a).toMatchObject({ code: 0, stdout: 'tester\n' });
      expect(b.stdout).toBe('two words\n');
      expect(prompter.hostKeyQuestions).toEqual([
        {
          targetId: t.id,
          host: peer.host,
          port: peer.port,
          keyType: 'ssh-ed25519',
          fingerprint: peer.hostKeyFingerprint,
        },
      ]);
      expect((await hostKeys.get(peer.host, peer.port))?.[0]?.fingerprint).toBe(peer.hostKeyFingerprint);
      const c = await manager.exec(t, ['sh', '-c', 'exit 3']);
      expect(c.code).toBe(3);
      expect(manager.stats()).toEqual([{ key: t.id, refs: 0, connected: true }]);
      expect(credentials.calls).toBe(1);
      const accepted =
        readFileSync(peer.logPath)
          .subarray(offset)
          .toString()
          .match(/Accepted password/g) ?? [];
      expect(accepted).toHaveLength(1);
      const ready = log
        .map((l) => JSON.parse(l) as { event: string; fields: { ms?: number } })
        .find((r) => r.event === 'ssh.connect.ready');
      console.log(`[figures] password connect ready in ${ready?.fields.ms} ms (incl. host key prompt)`);
      expect(log.join('\n')).not.toContain(peer.password);
    } finally {
      await manager.closeAll();
    }
  });

  it('wrong password → AUTH_FAILED naming user@host, never the password', async () => {
    const { manager, credentials, log } = makeManager();
    const t = targetFor(peer, 'password');
    credentials.secrets.set(t.id, { password: 'not-the-password-xyzzy' });
    const e = await appError(manager.exec(t, ['true']));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe(
      `Authentication failed for tester@${peer.host}:${peer.port}: the server rejected the password.`,
    );
    expect(JSON.stringify(e.toWire())).not.toContain('xyzzy');
    expect(log.join('\n')).not.toContain('xyzzy');
    expect(manager.stats()).toEqual([]);
  });

  it('private key login (root and tester)', async () => {
    const { manager, credentials } = makeManager();
    const t = targetFor(peer, 'key', { user: 'root' });
    credentials.secrets.set(t.id, { privateKey: peer.clientKey });
    expect((await manager.exec(t, ['id', '-u'])).stdout).toBe('0\n');
    const t2 = targetFor(peer, 'key');
    credentials.secrets.set(t2.id, { privateKey: peer.clientKey });
    expect((await manager.exec(t2, ['id', '-un'])).stdout).toBe('tester\n');
    await manager.closeAll();
  });

  it('a connection closed for idleness is never handed to the next acquire', async () => {
    const { manager, credentials } = makeManager({ idleGraceMs: 0 });
    const target = targetFor(peer, 'key');
    credentials.secrets.set(target.id, { privateKey: peer.clientKey });
    const first = await manager.acquire(target);
    first.release(); // last lease, no grace: the connection starts closing now
    const second = await manager.acquire(target);
    expect(second.client).not.toBe(first.client);
    second.release();
    // And work done right after such a release runs on a live connection.
    expect((await manager.exec(target, ['echo', 'still-42'])).stdout).toBe('still-42\n');
    await manager.closeAll();
  });

  it('passphrase-protected key: right passphrase works, wrong or missing → clear AUTH_FAILED', async () => {
    const keyPath = join(peer.dir, 'client_pp_ed25519');
    const passphrase = 'correct horse battery';
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', keyPath]);
    appendFileSync(join(peer.dir, 'authorized_keys', 'tester'), readFileSync(`${keyPath}.pub`));
    const privateKey = readFileSync(keyPath, 'utf8');
    const { manager, credentials, log } = makeManager();
    const t = targetFor(peer, 'key');
    credentials.secrets.set(t.id, { privateKey, passphrase });
    expect((await manager.exec(t, ['id', '-un'])).stdout).toBe('tester\n');
    await manager.closeAll();

    const wrong = makeManager();
    const t2 = targetFor(peer, 'key');
    wrong.credentials.secrets.set(t2.id, { privateKey, passphrase: 'wrong horse' });
    const e = await appError(wrong.manager.exec(t2, ['true']));
    expect(e).toMatchObject({
      code: 'AUTH_FAILED',
      message: `Wrong passphrase for the private key of tester@${peer.host}:${peer.port}.`,
    });
    wrong.credentials.secrets.set(t2.id, { privateKey });
    const e2 = await appError(wrong.manager.exec(t2, ['true']));
    expect(e2.code).toBe('AUTH_FAILED');
    expect(e2.message).toMatch(/encrypted: enter its passphrase/);
    expect([...log, ...wrong.log].join('\n')).not.toMatch(/horse/);
  });

  it('SSH agent login with a real ssh-agent', async () => {
    const agent = await startSshAgent();
    try {
      await agent.add(peer.clientKeyPath);
      const { manager } = makeManager({ agentSocket: agent.socket });
      const t = targetFor(peer, 'agent');
      expect((await manager.exec(t, ['id', '-un'])).stdout).toBe('tester\n');
      await manager.closeAll();
      const off = makeManager({ agentSocket: join(peer.dir, 'no-such-agent.sock') });
      expect((await appError(off.manager.exec(targetFor(peer, 'agent'), ['true']))).code).toBe('AUTH_FAILED');
    } finally {
      await agent.stop();
    }
  });

  it('exec output with nasty arguments comes back byte for byte; exec timeout → TIMEOUT', async () => {
    const { manager, credentials } = makeManager({ idleGraceMs: 60_000 });
    const t = targetFor(peer, 'key');
    credentials.secrets.set(t.id, { privateKey: peer.clientKey });
    const nasty = ["it's", '$(id)', '`id`', 'a\nb', 'héllo ✓', '; echo pwned'];
    const r = await manager.exec(t, ['printf', '%s\\0', ...nasty]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(nasty);
    const e = await appError(manager.exec(t, ['sleep', '5'], { timeoutMs: 200 }));
    expect(e.code).toBe('TIMEOUT');
    expect((await manager.exec(t, ['cat'], { stdin: 'via stdin' })).stdout).toBe('via stdin');
    await manager.closeAll();
  });

  it('declining the host key → HOST_KEY_UNKNOWN and no authentication reaches sshd', async () => {
    const { manager, prompter, credentials, hostKeys } = makeManager();
    prompter.trust = false;
    const t = targetFor(peer, 'password');
    credentials.secrets.set(t.id, { password: peer.password });
    const offset = logOffset(peer);
    const e = await appError(manager.exec(t, ['true']));
    expect(e.code).toBe('HOST_KEY_UNKNOWN');
    expect(e.message).toContain(peer.hostKeyFingerprint);
    expect(prompter.hostKeyQuestions.map((q) => q.fingerprint)).toEqual([peer.hostKeyFingerprint]);
    expect(await hostKeys.get(peer.host, peer.port)).toBeNull();
    const part = await logAfterDisconnect(peer, offset);
    if (process.env['SSH_TEST_DEBUG']) console.log(part);
    expect(part).not.toMatch(/Accepted|Failed|tester|Postponed/);
  });
});

describe('ssh connect: keyboard-interactive, host key change, timeouts', () => {
  let peer: SshdPeer;
  beforeAll(async () => {
    peer = await startSshd({ passwordAuth: false, kbdInteractive: true });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('keyboard-interactive prompts go to the Prompter (2FA style)', async () => {
    const { manager, prompter } = makeManager();
    prompter.kbd = (q) => q.prompts.map(() => peer.password);
    const t = targetFor(peer, 'keyboard-interactive');
    expect((await manager.exec(t, ['id', '-un'])).stdout).toBe('tester\n');
    expect(prompter.kbdQuestions).toHaveLength(1);
    expect(prompter.kbdQuestions[0]?.prompts).toEqual([{ prompt: expect.stringMatching(/password/i), echo: false }]);
    await manager.closeAll();
    expect(readFileSync(peer.logPath, 'utf8')).toMatch(/Accepted keyboard-interactive\/pam for tester/);
  });

  it('keyboard-interactive answers a password prompt from the stored credential without asking; cancel → AUTH_FAILED', async () => {
    const { manager, prompter, credentials } = makeManager();
    const t = targetFor(peer, 'keyboard-interactive');
    credentials.secrets.set(t.id, { password: peer.password });
    expect((await manager.exec(t, ['id', '-un'])).stdout).toBe('tester\n');
    expect(prompter.kbdQuestions).toHaveLength(0);
    const t2 = targetFor(peer, 'keyboard-interactive');
    const e = await appError(manager.exec(t2, ['true']));
    expect(e).toMatchObject({
      code: 'AUTH_FAILED',
      message: `Sign-in to tester@${peer.host}:${peer.port} was cancelled.`,
    });
    await manager.closeAll();
  });

  it('after replaceHostKey the connection is refused with HOST_KEY_CHANGED and nothing is sent; replace path then works', async () => {
    const { manager, prompter, credentials } = makeManager();
    const t = targetFor(peer, 'key');
    credentials.secrets.set(t.id, { privateKey: peer.clientKey });
    await manager.exec(t, ['true']);
    const oldFp = peer.hostKeyFingerprint;
    const newFp = await peer.replaceHostKey();
    const offset = logOffset(peer);
    const e = await appError(manager.exec(t, ['true']));
    expect(e.code).toBe('HOST_KEY_CHANGED');
    expect(e.message).toContain(oldFp);
    expect(e.message).toContain(newFp);
    expect(e.details).toMatchObject({ oldFingerprints: [oldFp], newFingerprint: newFp });
    expect(prompter.hostKeyQuestions).toHaveLength(1);
    const part = await logAfterDisconnect(peer, offset);
    if (process.env['SSH_TEST_DEBUG']) console.log(part);
    expect(part).not.toMatch(/Accepted|Failed|tester|root|Postponed/);
    await manager.replaceHostKey(peer.host, peer.port, newFp);
    expect((await manager.exec(t, ['echo', 'ok'])).stdout).toBe('ok\n');
    expect(prompter.hostKeyQuestions).toHaveLength(1);
    await manager.closeAll();
  });

  it('a server that never speaks → TIMEOUT; a closed port → CONNECTION_FAILED', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const { manager, credentials } = makeManager({ readyTimeoutMs: 300 });
      const t = targetFor(peer, 'password', { port });
      credentials.secrets.set(t.id, { password: 'x' });
      const e = await appError(manager.exec(t, ['true']));
      expect(e.code).toBe('TIMEOUT');
      expect(sockets).toHaveLength(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
    const { manager, credentials } = makeManager();
    const t = targetFor(peer, 'password', { port });
    credentials.secrets.set(t.id, { password: 'x' });
    const e = await appError(manager.exec(t, ['true']));
    expect(e.code).toBe('CONNECTION_FAILED');
    expect(e.message).toContain(`${peer.host}:${port}`);
  });
});

import { readFileSync } from 'node:fs';
import { Client, type ConnectConfig } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, portAccepts, sha256Fingerprint, startSshd, type SshdPeer } from './peers';

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Connects with ssh2 and resolves on 'ready' (Nagle off); rejects on the first error. */
function connect(cfg: ConnectConfig, setup?: (c: Client) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    setup?.(c);
    c.once('ready', () => {
      c.setNoDelay(true);
      resolve(c);
    });
    c.on('error', reject);
    c.connect({ readyTimeout: 10_000, ...cfg });
  });
}

/** Runs one command on a new exec channel. */
function exec(conn: Client, cmd: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let code: number | null = null;
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errOut.push(d));
      stream.on('exit', (c: number | null) => {
        code = c;
      });
      stream.on('close', () =>
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errOut).toString() }),
      );
    });
  });
}

/** Resolves when the connection closes. */
function closed(conn: Client): Promise<void> {
  return new Promise((resolve) => conn.once('close', () => resolve()));
}

/** Host verifier that accepts only `fingerprint` and records what it was shown. */
function pinned(fingerprint: string, seen: string[]): (key: Buffer) => boolean {
  return (key) => {
    const fp = sha256Fingerprint(key);
    seen.push(fp);
    return fp === fingerprint;
  };
}

describe('sshd test peer', () => {
  let peer: SshdPeer | undefined;
  const need = (): SshdPeer => {
    if (peer === undefined) throw new Error('sshd peer did not start');
    return peer;
  };

  beforeAll(async () => {
    peer = await startSshd();
  });

  afterAll(async () => {
    await peer?.stop();
  });

  it('accepts password auth for the test user with a verified host key and runs uname', async () => {
    const p = need();
    expect(readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim()).toBe('sshd');
    const seen: string[] = [];
    const conn = await connect({
      host: p.host,
      port: p.port,
      username: p.user,
      password: p.password,
      hostVerifier: pinned(p.hostKeyFingerprint, seen),
    });
    try {
      expect(seen).toEqual([p.hostKeyFingerprint]);
      const uname = await exec(conn, 'uname -a');
      expect(uname.code).toBe(0);
      expect(uname.stdout.startsWith('Linux')).toBe(true);
      const who = await exec(conn, 'id -un; id -u; echo "$HOME"');
      expect(who.stdout.split('\n').slice(0, 3)).toEqual([p.user, '60100', p.home]);
    } finally {
      conn.end();
    }
  });

  it('accepts key auth for root', async () => {
    const p = need();
    const conn = await connect({
      host: p.host,
      port: p.port,
      username: p.rootUser,
      privateKey: p.clientKey,
      hostVerifier: (key: Buffer) => p.verifyHostKey(key),
    });
    try {
      const id = await exec(conn, 'id -u');
      expect(id).toEqual({ code: 0, stdout: '0\n', stderr: '' });
    } finally {
      conn.end();
    }
  });

  it('stop() ends the sshd process and frees the port', async () => {
    const p = need();
    const { pid, host, port } = p;
    expect(alive(pid)).toBe(true);
    expect(await portAccepts(host, port)).toBe(true);
    await p.stop();
    expect(p.running).toBe(false);
    expect(alive(pid)).toBe(false);
    expect(await portAccepts(host, port)).toBe(false);
  });
});

describe('sshd test peer: keyboard-interactive, restart, host key change', () => {
  let peer: SshdPeer | undefined;
  const need = (): SshdPeer => {
    if (peer === undefined) throw new Error('sshd peer did not start');
    return peer;
  };

  beforeAll(async () => {
    peer = await startSshd({ passwordAuth: false, kbdInteractive: true });
  });

  afterAll(async () => {
    await peer?.stop();
  });

  it('supports keyboard-interactive auth with tryKeyboard', async () => {
    const p = need();
    const prompts: string[] = [];
    const conn = await connect(
      {
        host: p.host,
        port: p.port,
        username: p.user,
        tryKeyboard: true,
        hostVerifier: (k: Buffer) => p.verifyHostKey(k),
      },
      (c) =>
        c.on('keyboard-interactive', (_name, _instructions, _lang, ps, finish) => {
          prompts.push(...ps.map((q) => q.prompt));
          finish(ps.map(() => p.password));
        }),
    );
    try {
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toMatch(/password/i);
      expect((await exec(conn, 'id -un')).stdout).toBe(`${p.user}\n`);
    } finally {
      conn.end();
    }
    expect(readFileSync(p.logPath, 'utf8')).toMatch(/Accepted keyboard-interactive\/pam for tester/);
  });

  it('refuses plain password auth when passwordAuth is false', async () => {
    const p = need();
    await expect(
      connect({
        host: p.host,
        port: p.port,
        username: p.user,
        password: p.password,
        hostVerifier: (k: Buffer) => p.verifyHostKey(k),
      }),
    ).rejects.toThrow(/authentication methods failed/);
  });

  it('restart() keeps port and host key, drops sessions, and accepts new connections', async () => {
    const p = need();
    const { pid, port, hostKeyFingerprint } = p;
    const cfg = { host: p.host, port, username: p.rootUser, privateKey: p.clientKey };
    const before = await connect({ ...cfg, hostVerifier: (k: Buffer) => p.verifyHostKey(k) });
    before.on('error', () => undefined);
    const dropped = closed(before);
    await p.restart();
    await dropped;
    expect(p.pid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    expect(p.port).toBe(port);
    expect(p.hostKeyFingerprint).toBe(hostKeyFingerprint);
    const seen: string[] = [];
    const after = await connect({ ...cfg, hostVerifier: pinned(hostKeyFingerprint, seen) });
    try {
      expect(seen).toEqual([hostKeyFingerprint]);
      expect((await exec(after, 'echo ok')).stdout).toBe('ok\n');
    } finally {
      after.end();
    }
  });

  it('replaceHostKey() presents a new key that a pinned verifier refuses', async () => {
    const p = need();
    const old = p.hostKeyFingerprint;
    const fresh = await p.replaceHostKey();
    expect(fresh).not.toBe(old);
    expect(p.hostKeyFingerprint).toBe(fresh);
    expect(readFileSync(p.knownHostsPath, 'utf8')).toContain(p.hostKeyPub);
    const cfg = { host: p.host, port: p.port, username: p.rootUser, privateKey: p.clientKey };
    const seen: string[] = [];
    await expect(connect({ ...cfg, hostVerifier: pinned(old, seen) })).rejects.toThrow(/verification failed/i);
    expect(seen).toEqual([fresh]);
    const conn = await connect({ ...cfg, hostVerifier: pinned(fresh, seen) });
    conn.end();
    expect(seen).toEqual([fresh, fresh]);
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procStartTime, sameProcess, signalIfSame, waitForPort, waitGone } from './proc';
import { fetchFrom, type ServerFetchOptions, type ServerFetchResult } from './server-host/http-fetch';
import { startExecTrace } from './server-host/exec-trace';
import { scanProc, startProcSampler, type ProcSampler, type ProcText } from './server-host/proc-scan';
import { SCRIPTS, TESTER, ensureDataTemplate, run, serverEnv, writeSeed, type SeedResult } from './server-host/seed';
import { findExecutable } from './sshd';

export type { ProcSampler, ProcText } from './server-host/proc-scan';
export type { ServerFetchOptions, ServerFetchResult } from './server-host/http-fetch';

/** Options for {@link startServerHost}. */
export interface ServerHostOptions {
  /** Milliseconds to wait for the services to come up (default 60 000; the first start also builds the template). */
  startTimeoutMs?: number;
}

/** Result of {@link ServerHost.exec}. */
export interface ServerExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A whole Debian 12 server for the linux-ssh driver's tests: sshd, nginx, PHP-FPM 8.2, MariaDB 10.11 and
 * PostgreSQL 15 at their standard paths, in private namespaces, reachable at {@link ServerHost.address}.
 */
export interface ServerHost {
  /** The server's address (10.200.N.2), reachable from the root namespace over a veth pair. */
  readonly address: string;
  /** The root namespace's end of the veth pair (10.200.N.1): where the server can reach the tests. */
  readonly gatewayAddress: string;
  /** Host name inside the server. */
  readonly hostname: string;
  /** sshd port (22). */
  readonly sshPort: number;
  /** Path of the unencrypted ed25519 client key authorized for root (and nobody else). */
  readonly rootKeyPath: string;
  /** That key's text (OpenSSH format). */
  readonly rootKey: string;
  /** Its public key line. */
  readonly rootKeyPub: string;
  /** The non-root login user (password authentication). */
  readonly testerUser: 'tester';
  readonly testerPassword: string;
  /** The only host key sshd offers ("ssh-ed25519 AAAA...") and its fingerprint ("SHA256:..."), for pinning. */
  readonly hostKeyPub: string;
  readonly hostKeyFingerprint: string;
  /** PID (in the root namespace) of the server's PID 1; its /proc/PID/root is the server's root. */
  readonly initPid: number;
  /** Milliseconds the start took (template build excluded). */
  readonly startMs: number;
  /** Host-side path of `path` inside the server (via /proc/<init>/root), for direct reads in assertions. */
  pathOf(path: string): string;
  /** Runs argv inside the server as root (or `user`), with a clean environment; stdin from `input`. */
  exec(
    argv: string[],
    opts?: { input?: string | Buffer; user?: string; timeoutMs?: number },
  ): Promise<ServerExecResult>;
  /** Like exec, but rejects unless the exit code is 0; resolves with stdout. */
  execOk(argv: string[], opts?: { input?: string | Buffer; user?: string; timeoutMs?: number }): Promise<string>;
  /** Every process's argv and environment inside the server, right now. */
  procScan(): ProcText[];
  /**
   * Starts sampling every process's argv and environment (every ~1 ms, in a worker thread) until stop().
   * `traceExec`: also trace every program sshd's sessions start (strace execve), so commands that live a few
   * milliseconds are seen for certain; their argv and environment join what stop() returns.
   */
  startProcSampler(intervalMs?: number, opts?: { traceExec?: boolean }): Promise<ProcSampler>;
  /** An HTTP(S) request from the root namespace to the server's nginx with Host (and SNI) `host`. */
  fetch(host: string, path: string, opts?: ServerFetchOptions): Promise<ServerFetchResult>;
  /** Stops every process of the server, removes its namespaces, veth, route lease and temp dir. */
  stop(): Promise<{ stopMs: number }>;
}

const DIR_PREFIX = 'paneldeck-server-host-';
const CLEAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Throws a clear error unless running as root on Linux with everything this peer starts installed. */
function assertPrerequisites(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new Error('the whole-server test peer needs root on Linux (namespaces, overlayfs, veth)');
  }
  const need: [string, string][] = [
    ['unshare', 'util-linux'],
    ['nsenter', 'util-linux'],
    ['flock', 'util-linux'],
    ['ip', 'iproute2'],
    ['sshd', 'openssh-server'],
    ['ssh-keygen', 'openssh-client'],
    ['openssl', 'openssl'],
    ['nginx', 'nginx'],
    ['php-fpm8.2', 'php8.2-fpm'],
    ['mariadbd', 'mariadb-server'],
    ['pg_createcluster', 'postgresql'],
    ['sudo', 'sudo'],
  ];
  const missing = need.filter(([bin]) => findExecutable(bin) === undefined).map(([, pkg]) => pkg);
  if (missing.length > 0) throw new Error(`the whole-server test peer needs: apt-get install ${missing.join(' ')}`);
}

/** Live servers of this process, killed synchronously if it exits without stop(). */
const live = new Set<ServerHostImpl>();
let exitHook = false;

/** Reads `stream` line by line until a line equal to `want`; rejects on close or timeout. */
function waitLine(child: ChildProcess, want: string, timeoutMs: number, logPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const fail = (why: string): void => {
      cleanup();
      let tail = '';
      try {
        tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
      } catch {
        // no log
      }
      reject(new Error(`whole-server peer: ${why} before "${want}"\n--- ${logPath}\n${tail}`));
    };
    const onData = (d: Buffer): void => {
      buf += d.toString();
      if (buf.split('\n').includes(want)) {
        cleanup();
        resolve();
      }
    };
    const onClose = (): void => fail('init exited');
    const timer = setTimeout(() => fail(`no progress in ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('close', onClose);
    };
    child.stdout?.on('data', onData);
    child.once('close', onClose);
  });
}

class ServerHostImpl implements ServerHost {
  readonly testerUser = TESTER.user;
  readonly sshPort = 22;
  address = '';
  gatewayAddress = '';
  hostname = '';
  initPid = 0;
  startMs = 0;
  private initStart = '';
  private wrapperPid = 0;
  private wrapperStart = '';
  private pidNs = '';
  private seed: SeedResult | undefined;
  private child: ChildProcess | undefined;
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly id: string,
  ) {}

  private get s(): SeedResult {
    if (this.seed === undefined) throw new Error('server not started');
    return this.seed;
  }
  get rootKeyPath(): string {
    return this.s.clientKeyPath;
  }
  get rootKey(): string {
    return this.s.clientKey;
  }
  get rootKeyPub(): string {
    return this.s.clientKeyPub;
  }
  get testerPassword(): string {
    return this.s.testerPassword;
  }
  get hostKeyPub(): string {
    return this.s.hostKeyPub;
  }
  get hostKeyFingerprint(): string {
    return this.s.hostKeyFingerprint;
  }

  async start(opts: ServerHostOptions): Promise<void> {
    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const template = await ensureDataTemplate();
    const t0 = performance.now();
    await chmod(this.dir, 0o755);
    await mkdir(join(this.dir, 'ns'));
    // The unreachable route goes in before any namespace exists (and the lease keeps it while we live).
    const ownerStart = procStartTime(process.pid) ?? '';
    live.add(this);
    const [seed] = await Promise.all([
      writeSeed(this.dir),
      run('bash', [SCRIPTS.net, 'acquire', this.id, String(process.pid), ownerStart, this.dir]),
    ]);
    this.seed = seed;
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const h of live) h.killNow();
      });
    }

    const logPath = join(this.dir, 'init.log');
    const log = openSync(logPath, 'a');
    const unshare = [
      'unshare',
      '--mount',
      '--pid',
      '--net',
      '--ipc',
      '--uts',
      '--fork',
      '--propagation',
      'private',
      '--kill-child',
      'bash',
      SCRIPTS.init,
      'serve',
      this.dir,
      template,
    ];
    // setpriv --pdeathsig: if this test process dies, the kernel kills unshare, and --kill-child its namespace.
    const setpriv = findExecutable('setpriv');
    const argv = setpriv !== undefined ? [setpriv, '--pdeathsig', 'KILL', ...unshare] : unshare;
    try {
      this.child = spawn(argv[0] ?? 'unshare', argv.slice(1), {
        detached: true,
        stdio: ['pipe', 'pipe', log],
        env: serverEnv(),
      });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    child.unref();
    (child.stdout as Socket | null)?.unref();
    (child.stdin as Socket | null)?.unref();
    this.wrapperPid = child.pid ?? 0;
    this.wrapperStart = procStartTime(this.wrapperPid) ?? '';
    await waitLine(child, 'stage:mounted', timeoutMs, logPath);

    // unshare --fork: its only child is the namespace's PID 1
    const kids = readFileSync(`/proc/${this.wrapperPid}/task/${this.wrapperPid}/children`, 'utf8').trim();
    this.initPid = Number(kids.split(' ')[0]);
    this.initStart = procStartTime(this.initPid) ?? '';
    this.pidNs = readlinkSync(`/proc/${this.initPid}/ns/pid`);
    const n = (await run('bash', [SCRIPTS.net, 'link', this.id, String(this.initPid), this.initStart])).trim();
    this.address = `10.200.${n}.2`;
    this.gatewayAddress = `10.200.${n}.1`;
    this.hostname = `paneldeck-srv-${n}`;
    const up = waitLine(child, 'stage:up', timeoutMs, logPath);
    child.stdin?.end(`go ${this.address}/24 ${this.hostname}\n`);
    await up;
    await waitForPort(this.address, 22, { timeoutMs: 10_000 });
    await waitForPort(this.address, 80, { timeoutMs: 10_000 });
    this.startMs = performance.now() - t0;
  }

  pathOf(path: string): string {
    return `/proc/${this.initPid}/root${path.startsWith('/') ? '' : '/'}${path}`;
  }

  exec(
    argv: string[],
    opts: { input?: string | Buffer; user?: string; timeoutMs?: number } = {},
  ): Promise<ServerExecResult> {
    if (!sameProcess(this.initPid, this.initStart)) return Promise.reject(new Error('server is not running'));
    const home = opts.user === undefined || opts.user === 'root' ? '/root' : `/home/${opts.user}`;
    const asUser = opts.user === undefined || opts.user === 'root' ? [] : ['runuser', '-u', opts.user, '--'];
    const full = [
      ...['--target', String(this.initPid), '--mount', '--net', '--pid', '--ipc', '--uts', '--'],
      ...['/usr/bin/env', '-i', `PATH=${CLEAN_PATH}`, `HOME=${home}`, 'LANG=C.UTF-8', 'TERM=dumb'],
      ...asUser,
      ...argv,
    ];
    return new Promise((resolve, reject) => {
      const c = spawn('nsenter', full, { stdio: ['pipe', 'pipe', 'pipe'], cwd: '/' });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => c.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
      c.stdout.on('data', (d: Buffer) => out.push(d));
      c.stderr.on('data', (d: Buffer) => err.push(d));
      c.once('error', reject);
      c.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
      });
      c.stdin.on('error', () => undefined);
      c.stdin.end(opts.input);
    });
  }

  async execOk(
    argv: string[],
    opts: { input?: string | Buffer; user?: string; timeoutMs?: number } = {},
  ): Promise<string> {
    const r = await this.exec(argv, opts);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code} in the server: ${r.stderr.trim()}`);
    return r.stdout;
  }

  procScan(): ProcText[] {
    return scanProc(this.pathOf('/proc'));
  }

  async startProcSampler(intervalMs?: number, opts: { traceExec?: boolean } = {}): Promise<ProcSampler> {
    const trace = opts.traceExec
      ? await startExecTrace(
          this.remaining().filter((pid) => {
            try {
              return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('sshd');
            } catch {
              return false; // gone meanwhile
            }
          }),
        )
      : null;
    const sampler = await startProcSampler(this.pathOf('/proc'), intervalMs);
    return {
      sync: () => sampler.sync(),
      async stop() {
        const polled = await sampler.stop();
        const traced = trace ? await trace.stop() : [];
        return { ...polled, strings: [...new Set([...polled.strings, ...traced])] };
      },
    };
  }

  fetch(host: string, path: string, opts: ServerFetchOptions = {}): Promise<ServerFetchResult> {
    return fetchFrom(this.address, host, path, opts);
  }

  /** PIDs (root namespace) of every process still in the server's PID namespace. */
  private remaining(): number[] {
    if (this.pidNs === '') return [];
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (readlinkSync(`/proc/${name}/ns/pid`) === this.pidNs) out.push(Number(name));
      } catch {
        // gone or a zombie
      }
    }
    return out;
  }

  async stop(): Promise<{ stopMs: number }> {
    const t0 = performance.now();
    if (this.stopped) return { stopMs: 0 };
    this.stopped = true;
    // SIGKILL to the namespace's PID 1 makes the kernel kill every process in it and wait for them; the mount,
    // network and IPC namespaces (tmpfs, overlay, veth, SysV/POSIX shm) go with their last process.
    signalIfSame(this.initPid, this.initStart, 'SIGKILL');
    if (!(await waitGone(this.initPid, this.initStart, 15_000))) throw new Error('server PID 1 survived SIGKILL');
    signalIfSame(this.wrapperPid, this.wrapperStart, 'SIGKILL');
    await waitGone(this.wrapperPid, this.wrapperStart, 5_000);
    const left = this.remaining();
    if (left.length > 0) throw new Error(`processes left in the server's PID namespace: ${left.join(' ')}`);
    await run('bash', [SCRIPTS.net, 'release', this.id]);
    live.delete(this);
    await rm(this.dir, { recursive: true, force: true });
    return { stopMs: performance.now() - t0 };
  }

  /** Synchronous last resort from the process 'exit' hook. */
  killNow(): void {
    signalIfSame(this.initPid, this.initStart, 'SIGKILL');
    signalIfSame(this.wrapperPid, this.wrapperStart, 'SIGKILL');
    spawnSync('bash', [SCRIPTS.net, 'release', this.id], { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Starts a whole Debian server in private namespaces (see {@link ServerHost}). Needs root and the Debian packages
 * (assertPrerequisites says which). Call `stop()` when done.
 */
export async function startServerHost(opts: ServerHostOptions = {}): Promise<ServerHost> {
  assertPrerequisites();
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  const host = new ServerHostImpl(dir, `${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await host.start(opts);
  } catch (e) {
    await host.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return host;
}

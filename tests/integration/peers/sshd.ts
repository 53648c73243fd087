import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  freePort,
  mountNamespace,
  procStartTime,
  processesInMountNamespace,
  sameProcess,
  signalIfSame,
  stopPid,
  waitForPort,
  waitGone,
} from './proc';

/** Options for {@link startSshd}. */
export interface SshdOptions {
  /** Allow password authentication (default true). */
  passwordAuth?: boolean;
  /** Allow keyboard-interactive authentication (default false). Turns on PAM with a private, minimal pam.d/sshd. */
  kbdInteractive?: boolean;
  /**
   * Extra sshd_config text. sshd keeps the first value of a keyword, so plain lines are put before the defaults and
   * override them; everything from the first `Match` line on is appended at the end.
   */
  extraConfig?: string;
  /** Host key type (default 'ed25519'). */
  hostKeyType?: 'ed25519' | 'rsa';
  /** Listen address (default 127.0.0.1). */
  addr?: string;
  /** Run sshd inside this network namespace (`ip netns exec`); `addr` must then be an address in it. */
  netns?: string;
  /** Port to listen on (default: a free port). */
  port?: number;
  /** Milliseconds to wait for sshd to listen (default 15 000). */
  startTimeoutMs?: number;
}

/** A private OpenSSH server on loopback (or in a netns) with a throwaway user, started by {@link startSshd}. */
export interface SshdPeer {
  /** Address sshd listens on. */
  readonly host: string;
  /** TCP port (unchanged across restarts). */
  readonly port: number;
  /** Throwaway login user (exists only inside sshd's mount namespace). */
  readonly user: 'tester';
  /** Numeric uid/gid of {@link SshdPeer.user}. */
  readonly uid: number;
  /** Password of {@link SshdPeer.user}. */
  readonly password: string;
  /** root may log in with the client key only (PermitRootLogin prohibit-password). */
  readonly rootUser: 'root';
  /** Path of the unencrypted ed25519 client private key (authorized for user and root). */
  readonly clientKeyPath: string;
  /** Client private key text (OpenSSH format). */
  readonly clientKey: string;
  /** Client public key line ("ssh-ed25519 AAAA..."). */
  readonly clientKeyPub: string;
  /** Current host public key line ("ssh-ed25519 AAAA..."), changes with {@link SshdPeer.replaceHostKey}. */
  readonly hostKeyPub: string;
  /** Current host key fingerprint as `ssh-keygen -lf` prints it ("SHA256:..."). */
  readonly hostKeyFingerprint: string;
  /** OpenSSH known_hosts file with the current host key. */
  readonly knownHostsPath: string;
  /** Home directory of {@link SshdPeer.user}. */
  readonly home: string;
  /** Per-instance temp directory (removed by stop()). */
  readonly dir: string;
  /** sshd log file (-E). */
  readonly logPath: string;
  /** PID of the sshd listener (changes on restart). */
  readonly pid: number;
  /** Network namespace, if any. */
  readonly netns: string | undefined;
  /** True while the sshd listener process is alive. */
  readonly running: boolean;
  /** Milliseconds the last start (or restart) took until sshd accepted connections. */
  readonly lastStartMs: number;
  /** True if `key` (raw host key blob, as ssh2 passes it to hostVerifier) matches the current host key. */
  verifyHostKey(key: Buffer): boolean;
  /** Stops sshd and every process in its mount namespace (sessions included), then removes {@link SshdPeer.dir}. */
  stop(): Promise<void>;
  /** Stops sshd (sessions included) and starts it again on the same port with the same keys and password. */
  restart(): Promise<void>;
  /** Generates a new host key and restarts; returns the new fingerprint. */
  replaceHostKey(): Promise<string>;
}

const TEST_USER = 'tester';
const TEST_UID = 60_100;
const STOP_TIMEOUT_MS = 5_000;
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** SHA256 fingerprint of a raw SSH public key blob, formatted like `ssh-keygen -lf` ("SHA256:<base64 without =>"). */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Absolute path of an executable found in PATH or the usual sbin directories, undefined if missing. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SYSTEM_PATH];
  for (const dir of dirs) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Throws a clear error unless running as root with sshd, ssh-keygen, unshare and openssl installed. */
export function assertSshdPrerequisites(opts: Pick<SshdOptions, 'netns'> = {}): Record<string, string> {
  if (process.platform !== 'linux') throw new Error('SSH test peers need Linux (mount namespaces, overlayfs)');
  if (process.getuid?.() !== 0) {
    throw new Error('SSH test peers must run as root (sshd, unshare --mount and overlay mounts need it)');
  }
  const need: [string, string][] = [
    ['sshd', 'openssh-server'],
    ['ssh-keygen', 'openssh-client'],
    ['unshare', 'util-linux'],
    ['openssl', 'openssl'],
  ];
  if (opts.netns !== undefined) need.push(['ip', 'iproute2']);
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const [bin, pkg] of need) {
    const p = findExecutable(bin);
    if (p === undefined) missing.push(`${bin} (Debian package ${pkg})`);
    else found[bin] = p;
  }
  // Optional: makes the kernel SIGKILL sshd if the test process dies without stopping it.
  const setpriv = findExecutable('setpriv');
  if (setpriv !== undefined) found['setpriv'] = setpriv;
  if (missing.length > 0) {
    throw new Error(
      `SSH test peers need ${missing.join(', ')}: apt-get install ${need
        .filter(([b]) => !found[b])
        .map(([, p]) => p)
        .join(' ')}`,
    );
  }
  return found;
}

/** Runs a command to completion; rejects with its stderr on a non-zero exit. */
function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
    if (child.stdin !== null) {
      child.stdin.on('error', () => undefined); // EPIPE if it exits without reading: the exit code tells
      child.stdin.end(input);
    }
  });
}

/** Single-quotes a string for /bin/sh. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Last `n` lines of a file, or a note if it cannot be read. */
function tail(path: string, n = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return `(no ${path})`;
  }
}

/** Group id of `name` from /etc/group, undefined if absent. */
function groupId(name: string): number | undefined {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  return line === undefined ? undefined : Number(line.split(':')[2]);
}

/** Every non-Match part of extraConfig goes first (first value wins in sshd_config), Match blocks go last. */
function splitExtraConfig(extra: string): { head: string; tail: string } {
  const lines = extra.split('\n');
  const i = lines.findIndex((l) => /^\s*Match\s/i.test(l));
  return i < 0 ? { head: extra, tail: '' } : { head: lines.slice(0, i).join('\n'), tail: lines.slice(i).join('\n') };
}

const DIR_PREFIX = 'paneldeck-sshd-';
const OWNER_FILE = 'owner.json';

/** Contents of owner.json in an instance directory. */
interface OwnerRecord {
  ownerPid: number;
  ownerStart: string;
  sshdPid: number;
  sshdStart: string;
  mntNs: string;
}

function isOwnerRecord(v: unknown): v is OwnerRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['ownerPid'] === 'number' &&
    typeof r['ownerStart'] === 'string' &&
    typeof r['sshdPid'] === 'number' &&
    typeof r['sshdStart'] === 'string' &&
    typeof r['mntNs'] === 'string'
  );
}

/**
 * Cleans up instances whose owning test process died without stop() (e.g. SIGKILL): kills what is left in their
 * mount namespace (only if that namespace still mounts the instance's own overlay) and removes their directory.
 */
function sweepOrphans(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    let rec: unknown;
    try {
      rec = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours, or being created right now
    }
    if (!isOwnerRecord(rec) || sameProcess(rec.ownerPid, rec.ownerStart)) continue;
    if (rec.mntNs !== '' && rec.sshdStart !== '') {
      const rest = processesInMountNamespace(rec.mntNs, rec.sshdStart);
      const first = rest[0];
      let ours: boolean;
      try {
        ours = first !== undefined && readFileSync(`/proc/${first.pid}/mountinfo`, 'utf8').includes(join(dir, 'ovl'));
      } catch {
        ours = false;
      }
      if (ours) for (const p of rest) signalIfSame(p.pid, p.startTime, 'SIGKILL');
    }
    rmQuiet(dir);
  }
}

let swept = false;

/** Peers still running in this process, killed synchronously if the process exits without stopping them. */
const live = new Set<SshdServer>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const peer of live) peer.killNow();
  });
}

/** Removes a directory synchronously, ignoring errors (exit hook). */
function rmQuiet(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

class SshdServer implements SshdPeer {
  readonly user = TEST_USER;
  readonly uid = TEST_UID;
  readonly rootUser = 'root';
  readonly host: string;
  readonly netns: string | undefined;
  readonly home: string;
  readonly logPath: string;
  readonly clientKeyPath: string;
  readonly knownHostsPath: string;
  port = 0;
  password = '';
  clientKey = '';
  clientKeyPub = '';
  hostKeyPub = '';
  hostKeyFingerprint = '';
  pid = 0;
  lastStartMs = 0;
  private startTime = '';
  private mntNs = '';
  private readonly hostKeyPath: string;
  private readonly configPath: string;
  private readonly innerPath: string;
  private readonly stdoutPath: string;

  constructor(
    readonly dir: string,
    private readonly opts: SshdOptions,
    private readonly bins: Record<string, string>,
  ) {
    this.host = opts.addr ?? '127.0.0.1';
    this.netns = opts.netns;
    this.home = join(dir, 'home', TEST_USER);
    this.logPath = join(dir, 'log', 'sshd.log');
    this.stdoutPath = join(dir, 'log', 'stdout.log');
    this.clientKeyPath = join(dir, 'client_ed25519');
    this.knownHostsPath = join(dir, 'known_hosts');
    this.hostKeyPath = join(dir, `ssh_host_${opts.hostKeyType ?? 'ed25519'}_key`);
    this.configPath = join(dir, 'sshd_config');
    this.innerPath = join(dir, 'inner.sh');
  }

  get running(): boolean {
    return this.pid > 0 && this.startTime !== '' && sameProcess(this.pid, this.startTime);
  }

  verifyHostKey(key: Buffer): boolean {
    return sha256Fingerprint(key) === this.hostKeyFingerprint;
  }

  /** One-time setup: keys, password, user home, authorized_keys. */
  async init(): Promise<void> {
    await chmod(this.dir, 0o755);
    await this.writeOwner();
    for (const d of ['log', 'authorized_keys', 'home']) await mkdir(join(this.dir, d), { mode: 0o755 });
    await chmod(join(this.dir, 'home'), 0o755);
    await mkdir(this.home, { mode: 0o755 });
    await chown(this.home, TEST_UID, TEST_UID);
    this.port = this.opts.port ?? (this.opts.netns !== undefined ? 22 : await freePort(this.host));
    await this.generateHostKey();
    await run(this.bins['ssh-keygen'] ?? 'ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'paneldeck-test-client',
      '-f',
      this.clientKeyPath,
    ]);
    this.clientKey = await readFile(this.clientKeyPath, 'utf8');
    this.clientKeyPub = (await readFile(`${this.clientKeyPath}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    for (const u of ['root', TEST_USER]) {
      await writeFile(join(this.dir, 'authorized_keys', u), `${this.clientKeyPub}\n`, { mode: 0o644 });
    }
    this.password = randomBytes(12).toString('base64url');
    await writeFile(join(this.dir, 'password'), this.password, { mode: 0o600 });
  }

  /** (Re)generates the host key and refreshes hostKeyPub, hostKeyFingerprint and known_hosts. */
  async generateHostKey(): Promise<void> {
    await rm(this.hostKeyPath, { force: true });
    await rm(`${this.hostKeyPath}.pub`, { force: true });
    const type = this.opts.hostKeyType ?? 'ed25519';
    const bits = type === 'rsa' ? ['-b', '3072'] : [];
    const keygen = this.bins['ssh-keygen'] ?? 'ssh-keygen';
    await run(keygen, ['-q', '-t', type, ...bits, '-N', '', '-C', 'paneldeck-test-host', '-f', this.hostKeyPath]);
    this.hostKeyPub = (await readFile(`${this.hostKeyPath}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    const fp = (await run(keygen, ['-lf', `${this.hostKeyPath}.pub`])).split(' ')[1];
    if (fp === undefined || !fp.startsWith('SHA256:'))
      throw new Error(`unexpected ssh-keygen -lf output for ${this.hostKeyPath}`);
    this.hostKeyFingerprint = fp;
    const name = this.port === 22 ? this.host : `[${this.host}]:${this.port}`;
    await writeFile(this.knownHostsPath, `${name} ${this.hostKeyPub}\n`, { mode: 0o644 });
  }

  /** Writes the overlay layers, sshd_config and the namespace script. */
  private async prepare(): Promise<void> {
    const ovl = join(this.dir, 'ovl');
    await rm(ovl, { recursive: true, force: true });
    for (const layer of ['etc', 'log']) {
      for (const d of ['upper', 'work']) await mkdir(join(ovl, layer, d), { recursive: true });
    }
    const etc = join(ovl, 'etc', 'upper');
    const without = (file: string): string =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith(`${TEST_USER}:`))
        .join('\n');
    const hash = (
      await run(this.bins['openssl'] ?? 'openssl', ['passwd', '-6', '-stdin'], `${this.password}\n`)
    ).trim();
    await writeFile(
      join(etc, 'passwd'),
      `${without('/etc/passwd')}\n${TEST_USER}:x:${TEST_UID}:${TEST_UID}:PanelDeck test user:${this.home}:/bin/bash\n`,
      { mode: 0o644 },
    );
    await writeFile(join(etc, 'group'), `${without('/etc/group')}\n${TEST_USER}:x:${TEST_UID}:\n`, { mode: 0o644 });
    await writeFile(join(etc, 'shadow'), `${without('/etc/shadow')}\n${TEST_USER}:${hash}:19000:0:99999:7:::\n`, {
      mode: 0o640,
    });
    await chown(join(etc, 'shadow'), 0, groupId('shadow') ?? 0);

    const kbd = this.opts.kbdInteractive ?? false;
    if (kbd) {
      // Without PAM, OpenSSH on Linux has no keyboard-interactive device; with the host's PAM stack, session
      // modules (loginuid, systemd, ...) may fail in a container. A private minimal stack avoids both.
      await mkdir(join(etc, 'pam.d'), { mode: 0o755 });
      await writeFile(
        join(etc, 'pam.d', 'sshd'),
        'auth required pam_unix.so\naccount required pam_unix.so\npassword required pam_unix.so\nsession required pam_permit.so\n',
        { mode: 0o644 },
      );
    }

    const extra = splitExtraConfig(this.opts.extraConfig ?? '');
    const yn = (b: boolean): string => (b ? 'yes' : 'no');
    const config = [
      extra.head,
      `Port ${this.port}`,
      `ListenAddress ${this.host}`,
      `HostKey ${this.hostKeyPath}`,
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `UsePAM ${yn(kbd)}`,
      `PasswordAuthentication ${yn(this.opts.passwordAuth ?? true)}`,
      `KbdInteractiveAuthentication ${yn(kbd)}`,
      'PubkeyAuthentication yes',
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}/%u`,
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PrintMotd no',
      'PrintLastLog no',
      'UseDNS no',
      'X11Forwarding no',
      'AllowTcpForwarding yes',
      'MaxStartups 100:30:200',
      'MaxSessions 64',
      'MaxAuthTries 10',
      'LoginGraceTime 30',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      'AcceptEnv LANG LC_*',
      extra.tail,
      '',
    ].join('\n');
    await writeFile(this.configPath, config, { mode: 0o644 });

    const sshd = this.bins['sshd'] ?? '/usr/sbin/sshd';
    const script = [
      'set -e',
      // -n: a plain mount would create /run/mount/utab (libmount) on the host.
      'mount -n -t tmpfs -o mode=755,size=1m paneldeck-run /run',
      'mkdir -m 755 /run/sshd',
      // Overlays, not bind mounts: a bind mount on /etc/passwd detaches when the host rename()s a new passwd.
      `mount -n -t overlay paneldeck-etc -o ${shq(`lowerdir=/etc,upperdir=${etc},workdir=${join(ovl, 'etc', 'work')}`)} /etc`,
      `mount -n -t overlay paneldeck-log -o ${shq(`lowerdir=/var/log,upperdir=${join(ovl, 'log', 'upper')},workdir=${join(ovl, 'log', 'work')}`)} /var/log`,
      `${shq(sshd)} -t -f ${shq(this.configPath)}`,
      `exec ${shq(sshd)} -D -f ${shq(this.configPath)} -E ${shq(this.logPath)}`,
      '',
    ].join('\n');
    await writeFile(this.innerPath, script, { mode: 0o644 });
  }

  /** Starts sshd and resolves once it accepts connections. */
  async start(): Promise<void> {
    const t0 = performance.now();
    await this.prepare();
    const logOffset = (() => {
      try {
        return statSync(this.logPath).size;
      } catch {
        return 0;
      }
    })();
    const unshare = [
      this.bins['unshare'] ?? 'unshare',
      '--mount',
      '--propagation',
      'private',
      '/bin/sh',
      this.innerPath,
    ];
    const inNetns =
      this.netns !== undefined ? [this.bins['ip'] ?? 'ip', 'netns', 'exec', this.netns, ...unshare] : unshare;
    const setpriv = this.bins['setpriv'];
    const argv = setpriv !== undefined ? [setpriv, '--pdeathsig', 'KILL', ...inNetns] : inNetns;
    const outFd = openSync(this.stdoutPath, 'a');
    let child: ChildProcess;
    try {
      // detached: the child calls setsid(), so it has its own session and process group (like `setsid`), and
      // a Ctrl-C or the test runner's signals to our group do not hit it. setpriv, ip netns exec, unshare and
      // the script's `exec` all exec in place, so child.pid ends up being the sshd listener itself. The parent
      // death signal survives those execs: if this (thread of the) test process dies, the kernel kills sshd.
      child = spawn(argv[0] ?? 'unshare', argv.slice(1), { detached: true, stdio: ['ignore', outFd, outFd] });
    } finally {
      closeSync(outFd);
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn ${argv.join(' ')}`);
    const startTime = procStartTime(pid);
    if (startTime === undefined) throw new Error(`sshd wrapper ${pid} exited immediately:\n${tail(this.stdoutPath)}`);
    this.pid = pid;
    this.startTime = startTime;
    live.add(this);
    installExitHook();
    child.unref();

    const exited = new AbortController();
    let exitInfo = '';
    child.once('exit', (code, signal) => {
      exitInfo = `exit code ${code ?? '-'} signal ${signal ?? '-'}`;
      exited.abort(new Error(`sshd exited during start (${exitInfo})`));
    });
    child.once('error', (e) => exited.abort(e));
    const timeoutMs = this.opts.startTimeoutMs ?? 15_000;
    try {
      const t = Date.now();
      // Outside a netns: wait until the port accepts. The log line then proves it is our sshd listening there,
      // not some other process that took the port in between (sshd logs it right after listen()).
      if (this.netns === undefined) await waitForPort(this.host, this.port, { timeoutMs, signal: exited.signal });
      const left = Math.max(1_000, timeoutMs - (Date.now() - t));
      await this.waitForLog(`Server listening on ${this.host} port ${this.port}.`, logOffset, left, exited.signal);
    } catch (e) {
      await this.halt();
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(
        `sshd on ${this.host}:${this.port} failed to start: ${why}\n--- ${this.stdoutPath}\n${tail(this.stdoutPath)}\n--- ${this.logPath}\n${tail(this.logPath)}`,
        { cause: e },
      );
    }
    this.mntNs = mountNamespace(pid) ?? '';
    if (this.mntNs === '' || this.mntNs === mountNamespace(process.pid)) {
      await this.halt();
      throw new Error(`sshd ${pid} is not in a private mount namespace`);
    }
    await this.writeOwner();
    this.lastStartMs = performance.now() - t0;
  }

  /** Records who owns this instance, so a later run can clean up if this process dies without stop(). */
  private async writeOwner(): Promise<void> {
    const owner: OwnerRecord = {
      ownerPid: process.pid,
      ownerStart: procStartTime(process.pid) ?? '',
      sshdPid: this.pid,
      sshdStart: this.startTime,
      mntNs: this.mntNs,
    };
    await writeFile(join(this.dir, OWNER_FILE), JSON.stringify(owner), { mode: 0o644 });
  }

  /** Polls the sshd log (from `offset`) for `needle` (inside a netns we cannot connect to the port directly). */
  private async waitForLog(needle: string, offset: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal.throwIfAborted();
      try {
        if (readFileSync(this.logPath).subarray(offset).toString().includes(needle)) return;
      } catch {
        // not created yet
      }
      if (Date.now() > deadline) throw new Error(`no "${needle}" in ${this.logPath} within ${timeoutMs} ms`);
      await delay(20);
    }
  }

  /** Stops the listener and every process left in its mount namespace (session processes, user daemons). */
  async halt(): Promise<void> {
    if (this.pid === 0) return;
    const { pid, startTime } = this;
    const ns = this.mntNs !== '' ? this.mntNs : mountNamespace(pid);
    await stopPid(pid, startTime, STOP_TIMEOUT_MS);
    if (ns !== undefined && ns !== mountNamespace(process.pid)) {
      for (let round = 0; round < 5; round++) {
        const rest = processesInMountNamespace(ns, startTime);
        if (rest.length === 0) break;
        const sig: NodeJS.Signals = round === 0 ? 'SIGTERM' : 'SIGKILL';
        for (const p of rest) signalIfSame(p.pid, p.startTime, sig);
        await Promise.all(rest.map((p) => waitGone(p.pid, p.startTime, round === 0 ? 500 : 5_000)));
      }
    }
    live.delete(this);
    this.pid = 0;
    this.startTime = '';
    this.mntNs = '';
  }

  /** Synchronous last resort from the process 'exit' hook: SIGKILL the listener and its namespace. */
  killNow(): void {
    if (this.pid === 0) return;
    const ns = this.mntNs;
    signalIfSame(this.pid, this.startTime, 'SIGKILL');
    if (ns !== '')
      for (const p of processesInMountNamespace(ns, this.startTime)) signalIfSame(p.pid, p.startTime, 'SIGKILL');
    this.pid = 0;
    if (process.env['PANELDECK_KEEP_PEERS'] !== '1') rmQuiet(this.dir);
  }

  async stop(): Promise<void> {
    await this.halt();
    if (process.env['PANELDECK_KEEP_PEERS'] !== '1') await rm(this.dir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    await this.halt();
    await this.start();
  }

  async replaceHostKey(): Promise<string> {
    await this.halt();
    await this.generateHostKey();
    await this.start();
    return this.hostKeyFingerprint;
  }
}

/**
 * Starts a private sshd (own mount namespace: tmpfs /run, overlay /etc with user "tester", overlay /var/log) and
 * resolves once it accepts connections. Needs root. Call `stop()` when done.
 */
export async function startSshd(opts: SshdOptions = {}): Promise<SshdPeer> {
  const bins = assertSshdPrerequisites(opts);
  if (!swept) {
    swept = true;
    sweepOrphans();
  }
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  const peer = new SshdServer(dir, opts, bins);
  try {
    await peer.init();
    await peer.start();
  } catch (e) {
    await peer.halt().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return peer;
}

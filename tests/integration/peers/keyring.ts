import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { procStartTime, stopPid } from './proc';

const run = promisify(execFile);

/** A private Secret Service: its own session D-Bus and an unlocked gnome-keyring, for keytar-style clients. */
export interface KeyringPeer {
  /** Environment for a client: DBUS_SESSION_BUS_ADDRESS plus the HOME/XDG dirs the keyring lives in. */
  readonly env: Readonly<Record<string, string>>;
  readonly dir: string;
  /** `secret-tool` against this keyring (independent check of what a client stored): stdout + stderr. */
  secretTool(args: string[]): Promise<string>;
  /** Stops gnome-keyring-daemon and dbus-daemon by PID (only if their start times still match). */
  stop(): Promise<void>;
}

const KEYRING_PASSWORD = 'ci-keyring-password';

/**
 * Starts a private dbus-daemon (own config: socket in a temp dir, no service activation, so nothing else gets
 * started behind our back) and `gnome-keyring-daemon --foreground --unlock --components=secrets` fed its login
 * password on stdin, then waits until org.freedesktop.secrets is owned on that bus. See TEST-PEERS.md.
 */
export async function startKeyring(timeoutMs = 10_000): Promise<KeyringPeer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-keyring-'));
  const runDir = path.join(dir, 'run');
  const home = path.join(dir, 'home');
  fs.mkdirSync(runDir, { mode: 0o700 });
  fs.mkdirSync(home);
  const conf = path.join(dir, 'session.conf');
  fs.writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=${runDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const baseEnv = {
    HOME: home,
    XDG_RUNTIME_DIR: runDir,
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  const started: { pid: number; startTime: string }[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await stopPid(p.pid, p.startTime, 5_000);
    started.length = 0;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const track = (child: ChildProcess, name: string) => {
    const pid = child.pid;
    const startTime = pid === undefined ? undefined : procStartTime(pid);
    if (pid === undefined || startTime === undefined) throw new Error(`${name} did not start`);
    started.push({ pid, startTime });
    child.unref();
  };
  try {
    const dbus = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--print-address'], {
      env: { ...process.env, ...baseEnv },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    track(dbus, 'dbus-daemon');
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('dbus-daemon printed no address')), timeoutMs);
      dbus.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl !== -1) {
          clearTimeout(timer);
          resolve(out.slice(0, nl).trim());
        }
      });
      dbus.once('exit', () => reject(new Error('dbus-daemon exited')));
    });
    dbus.stdout?.destroy();
    const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
    const gkd = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    track(gkd, 'gnome-keyring-daemon');
    gkd.stdin?.end(KEYRING_PASSWORD);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await run(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ],
        { env: { ...process.env, ...env } },
      ).catch(() => ({ stdout: '' }));
      if (stdout.includes('boolean true')) break;
      if (Date.now() > deadline) throw new Error('gnome-keyring did not register org.freedesktop.secrets');
      await delay(20);
    }
    return {
      env,
      dir,
      async secretTool(args) {
        // secret-tool prints the label on stdout and the attributes on stderr.
        const { stdout, stderr } = await run('secret-tool', args, { env: { ...process.env, ...env } }).catch(
          (e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
        );
        return `${stdout}${stderr}`;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Scripts shipped beside this file (init, systemctl stand-in, network plumbing). */
export const SCRIPTS = {
  init: fileURLToPath(new URL('./init.sh', import.meta.url)),
  systemctl: fileURLToPath(new URL('./systemctl.sh', import.meta.url)),
  net: fileURLToPath(new URL('./net.sh', import.meta.url)),
};

/** The throwaway non-root login user inside the server, and its uid/gid. */
export const TESTER = { user: 'tester', uid: 60_100 } as const;

/** Runs a command to completion and returns its stdout; rejects with stderr on failure. */
export async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; code?: number | string };
    throw new Error(`${cmd} ${args.join(' ')} failed (${err.code ?? '?'}): ${(err.stderr ?? '').trim()}`, {
      cause: e,
    });
  }
}

/** Generated secrets and keys of one server. */
export interface SeedResult {
  clientKeyPath: string;
  clientKey: string;
  clientKeyPub: string;
  hostKeyPub: string;
  hostKeyFingerprint: string;
  testerPassword: string;
}

/** `ssh-keygen` into `path` (ed25519, no passphrase); returns the public key line without comment. */
async function keygen(path: string, comment: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return (await readFile(`${path}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
}

/** `path`'s lines without those for `user`, newline-terminated. */
function withoutUser(path: string, user: string): string {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith(`${user}:`));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `run/seed` (a tree copied over the server's root: host key, sshd drop-in, users, systemctl stand-in) and
 * `run/seed-root/authorized_keys` (root's, copied into the fresh /root). Only files under `run` are written.
 */
export async function writeSeed(run_: string): Promise<SeedResult> {
  const seed = join(run_, 'seed');
  const etc = join(seed, 'etc');
  for (const d of [join(etc, 'ssh', 'sshd_config.d'), join(seed, 'usr', 'bin'), join(run_, 'seed-root')]) {
    await mkdir(d, { recursive: true, mode: 0o755 });
  }
  const hostKeyPath = join(etc, 'ssh', 'ssh_host_ed25519_key');
  const clientKeyPath = join(run_, 'client_ed25519');
  const [hostKeyPub, clientKeyPub] = await Promise.all([
    keygen(hostKeyPath, 'paneldeck-server-host'),
    keygen(clientKeyPath, 'paneldeck-test-client'),
  ]);
  const fp = (await run('ssh-keygen', ['-lf', `${hostKeyPath}.pub`])).split(' ')[1] ?? '';
  if (!fp.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output for ${hostKeyPath}`);
  await writeFile(join(run_, 'seed-root', 'authorized_keys'), `${clientKeyPub}\n`, { mode: 0o600 });

  // Debian's sshd_config includes sshd_config.d/*.conf first, and sshd keeps the first value of a keyword.
  await writeFile(
    join(etc, 'ssh', 'sshd_config.d', '00-paneldeck-test.conf'),
    [
      '# whole-server test peer: only the generated host key (so tests can pin it), root by key, passwords on',
      'HostKey /etc/ssh/ssh_host_ed25519_key',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication yes',
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );

  const testerPassword = randomBytes(12).toString('base64url');
  // on stdin: never in a process's argv (and a leading '-' would read as an option)
  const hashed = spawnSync('openssl', ['passwd', '-6', '-stdin'], { input: `${testerPassword}\n`, encoding: 'utf8' });
  const hash = hashed.stdout.trim();
  if (hashed.status !== 0 || !hash.startsWith('$6$')) throw new Error('openssl passwd -6 failed');
  const { user, uid } = TESTER;
  await writeFile(
    join(etc, 'passwd'),
    `${withoutUser('/etc/passwd', user)}${user}:x:${uid}:${uid}:PanelDeck test user:/home/${user}:/bin/bash\n`,
    { mode: 0o644 },
  );
  await writeFile(join(etc, 'group'), `${withoutUser('/etc/group', user)}${user}:x:${uid}:\n`, { mode: 0o644 });
  await writeFile(join(etc, 'shadow'), `${withoutUser('/etc/shadow', user)}${user}:${hash}:19000:0:99999:7:::\n`, {
    mode: 0o640,
  });
  const shadowGid = /^shadow:x:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1];
  await chown(join(etc, 'shadow'), 0, Number(shadowGid ?? 0));

  await copyFile(SCRIPTS.systemctl, join(seed, 'usr', 'bin', 'systemctl'));
  await chmod(join(seed, 'usr', 'bin', 'systemctl'), 0o755);

  return {
    clientKeyPath,
    clientKey: await readFile(clientKeyPath, 'utf8'),
    clientKeyPub,
    hostKeyPub,
    hostKeyFingerprint: fp,
    testerPassword,
  };
}

/** Debian package versions the data-dir template depends on, plus the recipe (init.sh) itself. */
async function templateKey(): Promise<string> {
  const versions = await run('dpkg-query', [
    '-W',
    '-f',
    '${Package}=${Version}\n',
    'mariadb-server',
    'postgresql-15',
    'postgresql-common',
  ]);
  return createHash('sha256').update(versions).update(readFileSync(SCRIPTS.init)).digest('hex').slice(0, 16);
}

/**
 * An overlay layer with MariaDB's and PostgreSQL's data dirs as a stock box's packages make them (root by
 * unix_socket; cluster 15/main with peer auth), built once per package versions under os.tmpdir() in a throwaway
 * namespace (the upper layer of that build), then shared read-only by every server as a lower layer: nothing is
 * copied per server, and a write copies up only the file written.
 */
/**
 * The environment for processes inside a server: the caller's, but with the temp directory the server has. A test
 * run's own TMPDIR (npm test gives each run one) does not exist behind the server's fresh /tmp, and mariadbd,
 * initdb and friends fail to create their temp files there.
 */
export function serverEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: '/tmp' };
}

export async function ensureDataTemplate(): Promise<string> {
  const dir = join(tmpdir(), `paneldeck-server-host-tpl-${await templateKey()}`);
  const done = (): boolean => existsSync(join(dir, 'var', 'lib', 'postgresql', '15', 'main', 'PG_VERSION'));
  if (done()) return dir;
  const build = await mkdtemp(join(tmpdir(), 'paneldeck-server-host-build-'));
  try {
    await chmod(build, 0o755);
    await mkdir(join(build, 'ns'));
    await mkdir(join(build, 'out'), { mode: 0o755 });
    const logPath = join(build, 'template.log');
    const log = openSync(logPath, 'a');
    const child = spawn(
      'unshare',
      [
        '--mount',
        '--pid',
        '--ipc',
        '--uts',
        '--net',
        '--fork',
        '--propagation',
        'private',
        '--kill-child',
        'bash',
        SCRIPTS.init,
        'template',
        build,
        join(build, 'out'),
      ],
      { stdio: ['ignore', 'ignore', log], env: serverEnv() },
    );
    closeSync(log);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) {
      const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
      throw new Error(`building the MariaDB/PostgreSQL template failed (exit ${code}):\n${tail}`);
    }
    try {
      await rename(join(build, 'out', 'upper'), dir); // atomic; another process may have won the race
    } catch (e) {
      if (!done()) throw e;
    }
    return dir;
  } finally {
    await rm(build, { recursive: true, force: true });
  }
}

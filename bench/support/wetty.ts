import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SshdPeer } from '../../tests/integration/peers';

/** The WeTTY release the side-by-side runs against (Node + socket.io + xterm.js 6, OpenSSH client via node-pty). */
export const WETTY_VERSION = '3.2.0';

/** Where WeTTY is installed: a cache directory outside the project (it is not a dependency of PanelDeck). */
export function wettyCacheDir(): string {
  const base =
    process.env.PANELDECK_BENCH_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'paneldeck-bench');
  return path.join(base, `wetty-${WETTY_VERSION}`);
}

/**
 * WeTTY's entry point, installing it into the cache directory on first use (npm install, then node-pty's native
 * module built against this Node: npm 11 does not run install scripts it was not told to allow).
 * Returns the reason instead when it cannot be had (no registry, no compiler), so the caller can skip clearly.
 */
export function ensureWetty(): { main: string } | { skipped: string } {
  const dir = wettyCacheDir();
  const main = path.join(dir, 'node_modules', 'wetty', 'build', 'main.js');
  const ptyBinary = path.join(dir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node');
  if (fs.existsSync(main) && fs.existsSync(ptyBinary)) return { main };
  fs.mkdirSync(dir, { recursive: true });
  const npm = (args: string[]): { ok: boolean; out: string } => {
    const r = spawnSync('npm', args, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
    // npm's own reason ("npm error code ECONNREFUSED", "... request to ... failed"), not its advice lines.
    const reason = lines.filter((l) => /npm error (code|errno|network|request|gyp)/.test(l)).slice(0, 3);
    return { ok: r.status === 0, out: (reason.length > 0 ? reason : lines.slice(-3)).join(' / ') };
  };
  console.log(`  (installing WeTTY ${WETTY_VERSION} into ${dir}, once)`);
  const installed = npm(['install', '--no-audit', '--no-fund', '--prefix', dir, `wetty@${WETTY_VERSION}`]);
  if (!installed.ok) return { skipped: `WeTTY could not be installed from the npm registry: ${installed.out}` };
  const rebuilt = npm(['rebuild', '--prefix', dir, 'node-pty']);
  if (!rebuilt.ok || !fs.existsSync(ptyBinary))
    return { skipped: `WeTTY's node-pty could not be built for this Node: ${rebuilt.out}` };
  return { main };
}

/** A running WeTTY server. */
export interface WettyServer {
  /** The page to open. */
  readonly url: string;
  /** The WeTTY server process. */
  readonly pid: number;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  srv.close();
  await once(srv, 'close');
  return port;
}

/**
 * Starts WeTTY on loopback against `peer`, logging in with the peer's client key and checking its host key
 * against the peer's known_hosts (as PanelDeck does). `--force-ssh`: as root WeTTY would otherwise run `login`.
 */
export async function startWetty(main: string, peer: SshdPeer): Promise<WettyServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--base',
      '/wetty/',
      '--ssh-host',
      peer.host,
      '--ssh-port',
      String(peer.port),
      '--ssh-user',
      peer.user,
      '--ssh-auth',
      'publickey',
      '--ssh-key',
      peer.clientKeyPath,
      '--known-hosts',
      peer.knownHostsPath,
      '--force-ssh',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
  const url = `http://127.0.0.1:${port}/wetty/`;
  // Ready once it answers HTTP.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`WeTTY exited (${child.exitCode}): ${log.slice(-800)}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`WeTTY did not answer on ${url}: ${log.slice(-800)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid ?? 0,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

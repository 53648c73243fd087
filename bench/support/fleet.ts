import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { SshdPeer } from '../../tests/integration/peers';
import { WsClient, type HostAddress } from './ws-client';

/**
 * A PanelDeck core in its own process (as Electron's main process would be), served on the loopback WebSocket
 * host, with an unlocked vault holding one server: the peer, password auth.
 */
export interface BenchCore {
  readonly address: HostAddress & { readonly url: string };
  readonly client: WsClient;
  readonly serverId: string;
  readonly pid: number;
  close(): Promise<void>;
}

const CORE_BUNDLE = path.resolve('out/bench-core/dev-web.mjs');

/**
 * Bundles the core the way it ships (one ES module, dependencies external, no TypeScript loader at run time),
 * so its memory and speed are measured without tsx's compiler in the process.
 */
async function bundleCore(): Promise<string> {
  const { build } = await import('esbuild');
  process.env.PANELDECK_TEST_HOOKS = '1'; // the bench drives the page through the test hooks
  await build({
    entryPoints: ['src/main/host/dev-web.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node22',
    outfile: CORE_BUNDLE,
    logLevel: 'warning',
  });
  return CORE_BUNDLE;
}

/**
 * Starts a {@link BenchCore} for `peer`; host keys are trusted on first prompt, as a user would.
 * `BENCH_CORE_CPU_PROF=<dir>` writes a CPU profile of the core process.
 */
export async function benchCore(peer: SshdPeer): Promise<BenchCore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CORE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CORE_CPU_PROF}`] : []),
      await bundleCore(),
      '--json',
      '--no-build',
      '--no-strict',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stderr.resume();
  const [line] = (await once(readline.createInterface({ input: child.stdout }), 'line')) as [string];
  const address = JSON.parse(line) as BenchCore['address'];
  const client = await WsClient.connect(address);
  await client.call('vault.create', { password: 'bench-master-password' });
  const cred = await client.call('credentials.create', { name: 'bench', kind: 'password', secret: peer.password });
  const server = await client.call('servers.create', {
    name: 'bench',
    host: peer.host,
    port: peer.port,
    user: peer.user,
    auth: 'password',
    credentialId: cred.id,
  });
  client.on((name, payload) => {
    if (name === 'ssh.hostKey.prompt')
      client.fire('ssh.hostKey.answer', { promptId: payload.promptId as string, trust: true });
  });
  return {
    address,
    client,
    serverId: server.id,
    pid: child.pid ?? 0,
    async close() {
      client.close();
      const exited = once(child, 'exit');
      child.stdin.end(); // dev-web stops when its stdin closes
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import { startSshd, type SshdPeer } from '../integration/peers/sshd';

/** A running core + WebSocket host for one test, with its own empty data directory. */
export interface CoreHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  /** Everything the core wrote to stderr (structured logs), for assertions that nothing leaked. */
  readonly logs: string[];
}

async function startHost(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ host: CoreHost; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/host/dev-web.ts', '--json', '--no-build', '--data-dir', dataDir],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const logs: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => logs.push(l));
  const lines = readline.createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([l]) => l as string),
    once(child, 'exit').then(([code]) => {
      throw new Error(`dev-web exited with ${String(code)} before listening:\n${logs.join('\n')}`);
    }),
  ]);
  const info = JSON.parse(first) as Omit<CoreHost, 'dataDir' | 'logs'>;
  return { host: { ...info, dataDir, logs }, child };
}

/**
 * `core` starts a fresh host per test; `page` arrives already on the app with its token.
 * `sshd` is a real OpenSSH server (tests/integration/peers/sshd.ts, needs root), one per worker, started on first
 * use only, so specs that do not ask for it never need root. `kbdSshd` accepts keyboard-interactive only.
 */
export const test = base.extend<
  { core: CoreHost; coreEnv: NodeJS.ProcessEnv; app: Page },
  { sshd: SshdPeer; kbdSshd: SshdPeer }
>({
  sshd: [
    async ({}, use) => {
      const peer = await startSshd();
      await use(peer);
      await peer.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  /** An sshd that signs in only by keyboard-interactive (PAM asks "Password:"), like a 2FA prompt would. */
  kbdSshd: [
    async ({}, use) => {
      const peer = await startSshd({ kbdInteractive: true, passwordAuth: false });
      await use(peer);
      await peer.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  coreEnv: [{}, { option: true }],
  core: async ({ coreEnv }, use, testInfo) => {
    const { host, child } = await startHost(testInfo.outputPath('data'), coreEnv);
    await use(host);
    const exited = once(child, 'exit');
    child.stdin.end(); // dev-web stops when its stdin closes
    await exited;
  },
  app: async ({ page, core }, use) => {
    await page.goto(core.url);
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
    await use(page);
  },
});

export { expect };

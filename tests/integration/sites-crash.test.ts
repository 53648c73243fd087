import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Payload } from '../../src/shared/contract';
import { createCore } from '../../src/main/core/create-core';
import { MIN_KDF } from '../../src/main/vault/crypto';
import { addServerHost, trustHostKeys } from './peers/manager-fixtures';
import { coreHarness } from '../support/core-harness';
import { startServerHost, type ServerHost } from './peers/server-host';

const PASSWORD = 'Tr0ubador & 3 horses, stapled!';
let server: ServerHost;

beforeAll(async () => {
  server = await startServerHost();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

it('SIGKILL of the core mid-operation: interrupted with its finished steps, nginx -t passes, retry completes', async () => {
  // A vault with the server in it, and its host key trusted (the child must not need to ask).
  const h = await coreHarness({ masterPassword: PASSWORD, ssh: { idleGraceMs: 60_000 } });
  trustHostKeys(h);
  const serverId = await addServerHost(h, server);
  await h.call('sites.list', { serverId });
  const dataDir = h.dataDir;
  await h.core.close();

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/integration/sites-crash-child.ts', dataDir, serverId, 'crash.test'],
    {
      env: { ...process.env, PD_TEST_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (l) => l.startsWith('held ') && resolve(l));
    child.once('exit', (code) => reject(new Error(`child exited with ${String(code)} before holding`)));
  });
  const operationId = line.slice('held '.length);
  child.kill('SIGKILL');
  await exited;
  // The server is not half-changed: the new vhost is complete and valid, just not loaded yet.
  await server.execOk(['nginx', '-t']);

  const core = createCore({
    dataDir,
    kdf: MIN_KDF,
    strict: true,
    logSink: () => undefined,
    ssh: { idleGraceMs: 60_000 },
  });
  const ctx = { transport: 'in-process' as const };
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  try {
    await call('vault.unlock', { password: PASSWORD });
    type Op = Payload<'operations.changed'>;
    const op = await call<Op>('operations.get', { id: operationId });
    expect(op.state).toBe('interrupted');
    const done = op.steps.filter((s) => s.state === 'succeeded').map((s) => s.id);
    expect(done).toEqual(['backup', 'user', 'webroot', 'vhost', 'enable', 'nginx-test']);
    expect(op.steps.find((s) => s.id === 'nginx-reload')?.state).toMatch(/interrupted|pending/);

    const finished = new Promise<Op>((resolve) => {
      core.events.subscribe((name, p) => {
        const o = p as Op;
        if (
          name === 'operations.changed' &&
          o.id === operationId &&
          ['succeeded', 'failed', 'rolled_back'].includes(o.state)
        )
          resolve(o);
      });
    });
    await call('operations.retry', { id: operationId });
    const after = await finished;
    expect(after.state, after.error ?? '').toBe('succeeded');
    await server.execOk(['nginx', '-t']);
    const r = await server.fetch('crash.test', '/');
    expect(`${r.status} ${r.body}`).toMatch(/^200 .*PanelDeck site crash\.test/);
  } finally {
    await core.close();
    await h.close();
  }
}, 120_000);

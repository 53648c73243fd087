import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payload } from '../src/shared/contract';
import { createCore } from '../src/main/core/create-core';
import { MIN_KDF } from '../src/main/vault/crypto';
import { startServerHost } from '../tests/integration/peers/server-host';
import type { BenchFigure } from './run';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length / 2)] ?? NaN) * 10) / 10;
}

/**
 * Plan and apply of a static site against the whole-server peer (real nginx over SSH, one pooled connection as in
 * the app): the preview (list + probe + diff, no change), the whole operation (back up → write → nginx -t →
 * reload → verify through the server), and a fleet list of the sites made. Medians of 5.
 */
export async function runSitesBench(): Promise<BenchFigure[]> {
  const server = await startServerHost();
  const dataDir = mkdtempSync(join(tmpdir(), 'pd-bench-sites-'));
  const core = createCore({ dataDir, kdf: MIN_KDF, logSink: () => undefined, ssh: { idleGraceMs: 60_000 } });
  const ctx = { transport: 'in-process' as const };
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const ended = new Map<string, (state: string) => void>();
  core.events.subscribe((name, payload) => {
    if (name === 'ssh.hostKey.prompt') {
      const p = payload as Payload<'ssh.hostKey.prompt'>;
      queueMicrotask(() => void call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
    }
    if (name === 'operations.changed') {
      const o = payload as Payload<'operations.changed'>;
      if (['succeeded', 'failed', 'rolled_back'].includes(o.state)) ended.get(o.id)?.(o.state);
    }
  });
  try {
    await call('vault.create', { password: 'Bench: 4 horses & a staple!' });
    const cred = await call<{ id: string }>('credentials.create', {
      name: 'root',
      kind: 'ssh-key',
      secret: server.rootKey,
      passphrase: null,
    });
    const { id: serverId } = await call<{ id: string }>('servers.create', {
      name: 'bench',
      host: server.address,
      port: server.sshPort,
      user: 'root',
      auth: 'key',
      credentialId: cred.id,
      jumpHostIds: [],
    });
    await call('servers.capabilities', { id: serverId });
    const plans: number[] = [];
    const applies: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const domain = `bench-${i}.test`;
      let t0 = performance.now();
      const r = await call<{ plan: { planId: string } }>('sites.create', {
        serverId,
        kind: 'static',
        domain,
        dryRun: true,
      });
      plans.push(performance.now() - t0);
      t0 = performance.now();
      const { operationId } = await call<{ operationId: string }>('plans.apply', { planId: r.plan.planId });
      const state = await new Promise<string>((resolve) => ended.set(operationId, resolve));
      applies.push(performance.now() - t0);
      if (state !== 'succeeded') throw new Error(`site ${domain}: ${state}`);
    }
    const lists: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await call('sites.list', {});
      lists.push(performance.now() - t0);
    }
    return [
      { name: 'site plan (dryRun: list, probe, diff)', value: median(plans), unit: 'ms', goal: '≤ 500 ms' },
      {
        name: 'site apply (backup → nginx -t → reload → verify)',
        value: median(applies),
        unit: 'ms',
        goal: '≤ 3000 ms',
      },
      { name: `sites.list, 1 server, ${RUNS} sites`, value: median(lists), unit: 'ms', goal: '≤ 300 ms' },
    ];
  } finally {
    await core.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

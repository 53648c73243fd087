import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore } from '../src/main/core/create-core';
import { DEFAULT_KDF, newId } from '../src/main/vault/crypto';

/** One measured figure, with the goal it is held to. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal: string;
}

const SERVERS = 10_000;
const PASSWORD = 'benchmark master password';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timeIt(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return Math.round(median(times) * 100) / 100;
}

/**
 * Vault figures with the shipped Argon2id cost: unlock time (goal <= 1 s), and listing/filtering 10,000 servers
 * in memory through the dispatcher as the UI calls it (goal <= 50 ms). Medians of several runs.
 */
export async function runVaultBench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-vault-'));
  const core = createCore({ dataDir: dir, logSink: () => undefined });
  const ctx = { transport: 'in-process' as const };
  const call = async (method: string, input: unknown): Promise<unknown> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const kdf = `Argon2id ${DEFAULT_KDF.memoryKiB / 1024} MiB, t=${DEFAULT_KDF.iterations}, p=${DEFAULT_KDF.parallelism}`;
  try {
    await call('vault.create', { password: PASSWORD });
    await call('vault.lock', {});
    const unlockEmpty = await timeIt(3, async () => {
      await call('vault.unlock', { password: PASSWORD });
      await call('vault.lock', {});
    });

    await call('vault.unlock', { password: PASSWORD });
    const now = Date.now();
    const put = Array.from({ length: SERVERS }, (_, i) => {
      const id = newId();
      return {
        kind: 'server' as const,
        id,
        data: {
          id,
          name: `srv-${String(i).padStart(5, '0')}`,
          host: `host${i}.dc${i % 7}.example.com`,
          port: 22,
          user: i % 3 === 0 ? 'root' : 'deploy',
          auth: 'key' as const,
          credentialId: null,
          jumpHostIds: [],
          tags: [`env-${i % 4}`, `role-${i % 9}`],
          group: `group-${i % 25}`,
          notes: `Server number ${i}, rack ${i % 40}`,
          panels: [],
          createdAt: now,
          updatedAt: now,
        },
      };
    });
    const t0 = performance.now();
    core.vault.records().write({ put });
    const insert = Math.round(performance.now() - t0);
    await call('vault.lock', {});
    const unlockFull = await timeIt(3, async () => {
      await call('vault.unlock', { password: PASSWORD });
      await call('vault.lock', {});
    });
    await call('vault.unlock', { password: PASSWORD });

    const listAll = await timeIt(7, () => call('servers.list', {}));
    const byText = await timeIt(7, () => call('servers.list', { query: 'rack 17' }));
    const byTag = await timeIt(7, () => call('servers.list', { tag: 'role-3' }));
    const byGroupHost = await timeIt(7, () => call('servers.list', { group: 'group-5', host: 'dc3' }));
    const facets = await timeIt(7, () => call('inventory.facets', {}));
    return [
      { name: `vault unlock, empty (${kdf})`, value: unlockEmpty, unit: 'ms', goal: '<= 1000 ms' },
      { name: `vault unlock with ${SERVERS} servers (${kdf})`, value: unlockFull, unit: 'ms', goal: '<= 1000 ms' },
      { name: `seal + insert ${SERVERS} servers in one transaction`, value: insert, unit: 'ms', goal: 'informational' },
      { name: `servers.list all ${SERVERS}`, value: listAll, unit: 'ms', goal: '<= 50 ms' },
      { name: `servers.list free text over ${SERVERS}`, value: byText, unit: 'ms', goal: '<= 50 ms' },
      { name: `servers.list by tag over ${SERVERS}`, value: byTag, unit: 'ms', goal: '<= 50 ms' },
      { name: `servers.list by group + host over ${SERVERS}`, value: byGroupHost, unit: 'ms', goal: '<= 50 ms' },
      { name: `inventory.facets over ${SERVERS}`, value: facets, unit: 'ms', goal: '<= 50 ms' },
    ];
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const r of await runVaultBench()) console.log(`${r.name}: ${r.value} ${r.unit} (goal ${r.goal})`);
}

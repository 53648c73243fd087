import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createCore, type Core } from '../src/main/core/create-core';
import { MIN_KDF } from '../src/main/vault/crypto';
import type { KeychainStore } from '../src/main/vault/keychain';
import type { Input, MethodName, Output, Payload } from '../src/shared/contract';
import { startSshd, type SshdPeer } from '../tests/integration/peers';
import type { BenchFigure } from './run';

/** Servers in the inventory, sshd peers they share, interval and measured span (env overrides for a quick run). */
const SERVERS = Number(process.env.BENCH_METRICS_SERVERS ?? 200);
const PEERS = Number(process.env.BENCH_METRICS_PEERS ?? 4);
const INTERVAL_SEC = 5;
const SPAN_MS = Number(process.env.BENCH_METRICS_SPAN_MS ?? 60_000);

/** The bench keeps nothing in an OS keychain. */
const noKeychain: KeychainStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(false),
};

const mib = (bytes: number): number => bytes / 1024 / 1024;

/**
 * The metrics collector's cost to the core (issue 11, "Done when"): SERVERS inventory servers polled every 5 s,
 * spread over PEERS real sshds on loopback (distinct server records, so one pooled SSH connection and one
 * long-lived exec channel each, as for distinct machines). The core runs in this process, as Electron's main
 * process would run it; its CPU is process.cpuUsage over SPAN_MS of steady collection (all servers up), as a
 * percentage of one core, and its RSS before collection, once all are up, and at the end (bounded memory: the
 * end is no higher than the start of the span plus noise). The sshds and the remote loops are not the core's cost
 * and are not counted.
 */
export async function runMetricsCollectBench(): Promise<BenchFigure[]> {
  const peers: SshdPeer[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-metrics-'));
  let core: Core | undefined;
  try {
    for (let i = 0; i < PEERS; i++) {
      // One sshd connection per server record; raise the unauthenticated-connection limit for the start burst.
      peers.push(await startSshd({ passwordAuth: false, extraConfig: 'MaxStartups 400:30:800\n' }));
    }
    core = createCore({ dataDir, kdf: MIN_KDF, keychain: noKeychain, logSink: () => undefined });
    const c = core;
    const ctx = { transport: 'in-process' as const };
    const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
      const r = await c.dispatcher.call(method, input, ctx);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as Output<M>;
    };
    const up = new Set<string>();
    let samples = 0;
    let waiter: (() => void) | null = null;
    c.events.subscribe((name, payload) => {
      if (name === 'ssh.hostKey.prompt') {
        const p = payload as Payload<'ssh.hostKey.prompt'>;
        queueMicrotask(() => void call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
      } else if (name === 'metrics.state') {
        const s = payload as Payload<'metrics.state'>;
        if (s.state === 'up') up.add(s.serverId);
        else up.delete(s.serverId);
        waiter?.();
      } else if (name === 'metrics.sample') {
        samples++;
      }
    });
    await call('vault.create', { password: 'bench-master-password' });
    await call('vault.setAutoLock', { minutes: 0 });
    const creds = [];
    for (const [i, peer] of peers.entries()) {
      creds.push(
        await call('credentials.create', {
          name: `sshd ${i} key`,
          kind: 'ssh-key',
          secret: peer.clientKey,
          passphrase: null,
        }),
      );
    }
    for (let i = 0; i < SERVERS; i++) {
      const peer = peers[i % PEERS]!;
      await call('servers.create', {
        name: `bench-${String(i).padStart(3, '0')}`,
        host: peer.host,
        port: peer.port,
        user: peer.user,
        auth: 'key',
        credentialId: creds[i % PEERS]!.id,
        jumpHostIds: [],
      });
    }
    global.gc?.();
    const rssIdle = process.memoryUsage().rss;

    const t0 = Date.now();
    await call('metrics.settings.set', { enabled: true, intervalSec: INTERVAL_SEC });
    // All up (or a bound: whatever is up after 2 minutes is what is measured, and the figure says how many).
    const deadline = t0 + 120_000;
    while (up.size < SERVERS && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiter = resolve;
        setTimeout(resolve, 1000).unref();
      });
    }
    waiter = null;
    const allUpMs = Date.now() - t0;
    const upAtStart = up.size;
    // One interval more so every channel is past its first (rate-less) sample, then the measured span.
    await delay(INTERVAL_SEC * 1000);
    const { rss: rssStart, heapUsed: heapStart } = process.memoryUsage();
    const samples0 = samples;
    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    await delay(SPAN_MS);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
    const { rss: rssEnd, heapUsed: heapEnd } = process.memoryUsage();
    const got = samples - samples0;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const cpuPct = (cpuMs / wallMs) * 100;
    // The core's cost is per sample received (SSH decrypt, framing, parse, compute, events, alerts, the tick
    // write): scaled to 200 servers at 5 s (40 samples/s) it gives the figure where 200 cannot run.
    const msPerSample = got > 0 ? cpuMs / got : NaN;
    const projectedPct = ((msPerSample * (200 / INTERVAL_SEC)) / 1000) * 100; // CPU ms per second, as %
    const upAtEnd = up.size;
    await call('metrics.settings.set', { enabled: false });
    return [
      { name: `servers up / in inventory (${PEERS} sshds)`, value: upAtEnd, unit: `/${SERVERS}`, goal: `${SERVERS}` },
      { name: `time until all ${upAtStart} were up`, value: allUpMs / 1000, unit: 's', goal: '-' },
      {
        name: `samples in ${Math.round(wallMs / 1000)} s (expected ${Math.round((upAtEnd * wallMs) / 1000 / INTERVAL_SEC)})`,
        value: got,
        unit: 'samples',
        goal: '-',
      },
      { name: `core CPU, ${upAtEnd} servers at ${INTERVAL_SEC} s`, value: cpuPct, unit: '% core', goal: '<= 10 %' },
      { name: 'core CPU per sample received', value: msPerSample, unit: 'ms', goal: '-' },
      {
        name: 'core CPU scaled to 200 servers at 5 s (40 samples/s)',
        value: projectedPct,
        unit: '% core',
        goal: '<= 10 %',
      },
      { name: 'core RSS, inventory loaded, collection off', value: mib(rssIdle), unit: 'MiB', goal: '-' },
      { name: 'core RSS, start of the span (all up)', value: mib(rssStart), unit: 'MiB', goal: '-' },
      {
        name: `core RSS, end of the span (+${(mib(rssEnd) - mib(rssStart)).toFixed(1)} MiB)`,
        value: mib(rssEnd),
        unit: 'MiB',
        goal: 'bounded',
      },
      { name: 'core JS heap used, start of the span', value: mib(heapStart), unit: 'MiB', goal: '-' },
      { name: 'core JS heap used, end of the span', value: mib(heapEnd), unit: 'MiB', goal: 'bounded' },
    ];
  } finally {
    await core?.close();
    for (const p of peers) await p.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

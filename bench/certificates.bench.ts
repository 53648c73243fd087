import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payload } from '../src/shared/contract';
import { createCore } from '../src/main/core/create-core';
import { MIN_KDF } from '../src/main/vault/crypto';
import { startServerHost, type ServerHost } from '../tests/integration/peers/server-host';
import type { BenchFigure } from './run';

const HOSTS = 2;
const RECORDS_PER_HOST = 25;
const DOMAINS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length / 2)] ?? NaN) * 10) / 10;
}

/** 20 TLS sites with self-signed certificates made by openssl on the server, in conf.d, then one reload. */
const SEED = String.raw`
set -e
mkdir -p /etc/ssl/bench
for i in $(seq 1 "$1"); do
  d="b$i.bench.test"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $((30 + i)) -subj "/CN=$d" \
    -addext "subjectAltName=DNS:$d" -keyout "/etc/ssl/bench/$d.key" -out "/etc/ssl/bench/$d.pem" 2>/dev/null
  printf 'server {\n  listen 443 ssl;\n  server_name %s;\n  ssl_certificate /etc/ssl/bench/%s.pem;\n  ssl_certificate_key /etc/ssl/bench/%s.key;\n  return 200 "ok\\n";\n}\n' "$d" "$d" "$d" > "/etc/nginx/conf.d/$d.conf"
done
nginx -t 2>/dev/null
systemctl reload nginx
`;

/**
 * The fleet certificate inventory: 50 server records × 20 TLS domains (1000 certificates), the records sharing two
 * whole-server peers (25 each, one SSH connection per record as in the app). Prints the fleet scan (files read
 * and parsed, plus a live TLS probe of every domain through the server), one server's scan (median of 5) and the
 * fleet table read (certificates.list of 1000 sealed rows, median of 5).
 */
export async function runCertificatesBench(): Promise<BenchFigure[]> {
  const hosts: ServerHost[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'pd-bench-certs-'));
  const core = createCore({ dataDir, kdf: MIN_KDF, logSink: () => undefined, ssh: { idleGraceMs: 60_000 } });
  const ctx = { transport: 'in-process' as const };
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    queueMicrotask(() => void call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
  try {
    for (let i = 0; i < HOSTS; i++) hosts.push(await startServerHost());
    await Promise.all(
      hosts.map((h) => h.execOk(['bash', '-c', SEED, 'seed', String(DOMAINS)], { timeoutMs: 120_000 })),
    );
    await call('vault.create', { password: 'Bench: 4 horses & a staple!' });
    const ids: string[] = [];
    for (const [n, h] of hosts.entries()) {
      const cred = await call<{ id: string }>('credentials.create', {
        name: `root-${n}`,
        kind: 'ssh-key',
        secret: h.rootKey,
        passphrase: null,
      });
      for (let r = 0; r < RECORDS_PER_HOST; r++) {
        const s = await call<{ id: string }>('servers.create', {
          name: `bench-${n}-${r}`,
          host: h.address,
          port: h.sshPort,
          user: 'root',
          auth: 'key',
          credentialId: cred.id,
          jumpHostIds: [],
        });
        ids.push(s.id);
      }
    }
    // Warm-up: connect every record once (host keys trusted, connections pooled), as an app that is already open.
    await Promise.all(ids.map((id) => call('servers.capabilities', { id })));

    let t0 = performance.now();
    const fleet = await call<{ certificates: number; problems: unknown[] }>('certificates.scan', {});
    const fleetMs = performance.now() - t0;
    if (fleet.certificates !== ids.length * DOMAINS || fleet.problems.length > 0) {
      throw new Error(
        `fleet scan found ${fleet.certificates} certificates, problems: ${JSON.stringify(fleet.problems)}`,
      );
    }
    const one: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      await call('certificates.scan', { serverId: ids[i] });
      one.push(performance.now() - t0);
    }
    const lists: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const { certificates } = await call<{ certificates: unknown[] }>('certificates.list', {});
      lists.push(performance.now() - t0);
      if (certificates.length !== ids.length * DOMAINS) throw new Error('list lost certificates');
    }
    return [
      {
        name: `fleet scan: ${ids.length} servers × ${DOMAINS} domains (+ TLS probe)`,
        value: fleetMs,
        unit: 'ms',
        goal: '< 30 s',
      },
      {
        name: 'fleet scan: per server (fleet time / servers)',
        value: fleetMs / ids.length,
        unit: 'ms',
        goal: 'report',
      },
      {
        name: `one server scan alone (${DOMAINS} domains, median of 5)`,
        value: median(one),
        unit: 'ms',
        goal: '< 2 s',
      },
      {
        name: `certificates.list of ${ids.length * DOMAINS} (median of 5)`,
        value: median(lists),
        unit: 'ms',
        goal: '< 100 ms',
      },
    ];
  } finally {
    await core.close();
    for (const h of hosts) await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

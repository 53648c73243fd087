import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, procStartTime, stopPid, waitForPort } from './proc';
import { findExecutable } from './sshd';

/** A private ACME CA: pebble + pebble-challtestsrv (its mock DNS) on loopback. */
export interface PebblePeer {
  /** The ACME directory (https://127.0.0.1:PORT/dir). */
  readonly directoryUrl: string;
  /** CA certificate (PEM) of pebble's own HTTPS API: trust it for the directory, nothing else. */
  readonly apiCa: string;
  /** The issuing root of this run (from the management API): verify served certificates against it. */
  readonly rootPem: string;
  /** The log files, for a failing test's message. */
  readonly logs: () => string;
  stop(): Promise<void>;
}

function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.once('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString())
          : reject(new Error(`${url}: HTTP ${res.statusCode ?? 0}`)),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * Starts pebble (Debian package) whose HTTP-01 validation goes to `httpAddress`:80: challtestsrv answers every A
 * query with that address, so pebble's VA fetches the challenge from the server host's real nginx. Pebble's API
 * certificate is made here with openssl (the package ships none); the issuing root is fetched from the management
 * port (it changes at every start).
 */
export async function startPebble(opts: { httpAddress: string }): Promise<PebblePeer> {
  for (const bin of ['pebble', 'pebble-challtestsrv', 'openssl']) {
    if (findExecutable(bin) === undefined) throw new Error(`the pebble peer needs ${bin} (apt-get install pebble)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'paneldeck-pebble-'));
  const sh = (script: string): void => {
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pebble peer: ${script}: ${r.stderr}`);
  };
  sh(
    'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=pebble API test CA" ' +
      '-keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );
  sh(
    'openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" -keyout key.pem -out api.csr',
  );
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  sh('openssl x509 -req -in api.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out cert.pem -extfile ext.cnf');
  const [acme, mgmt, dns, cmgmt, tlsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  writeFileSync(
    join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acme}`,
        managementListenAddress: `127.0.0.1:${mgmt}`,
        certificate: join(dir, 'cert.pem'),
        privateKey: join(dir, 'key.pem'),
        httpPort: 80,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const started: { pid: number; start: string }[] = [];
  const launch = (bin: string, args: string[], log: string, env: Record<string, string> = {}): void => {
    const fd = openSync(join(dir, log), 'a');
    try {
      const c = spawn(bin, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
      if (c.pid === undefined) throw new Error(`${bin} did not start`);
      started.push({ pid: c.pid, start: procStartTime(c.pid) ?? '' });
      c.unref();
    } finally {
      closeSync(fd);
    }
  };
  const logs = (): string =>
    ['challtestsrv.log', 'pebble.log']
      .map((f) => {
        try {
          return `--- ${f}\n${readFileSync(join(dir, f), 'utf8').split('\n').slice(-20).join('\n')}`;
        } catch {
          return '';
        }
      })
      .join('\n');
  const stop = async (): Promise<void> => {
    for (const p of started.reverse()) await stopPid(p.pid, p.start);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Mock DNS only: its own HTTP-01/TLS-ALPN responders are off, the server host's nginx answers the challenges.
    launch(
      'pebble-challtestsrv',
      [
        ...['-dns01', `127.0.0.1:${dns}`, '-http01', '', '-https01', '', '-tlsalpn01', ''],
        ...['-management', `127.0.0.1:${cmgmt}`, '-defaultIPv4', opts.httpAddress, '-defaultIPv6', ''],
      ],
      'challtestsrv.log',
    );
    // NOSLEEP: no random wait before validation; NONCEREJECT=0: no deliberate badNonce; AUTHZREUSE=0: fresh challenges.
    launch('pebble', ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dns}`], 'pebble.log', {
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: '0',
      PEBBLE_AUTHZREUSE: '0',
    });
    await waitForPort('127.0.0.1', acme, { timeoutMs: 15_000 });
    await waitForPort('127.0.0.1', mgmt, { timeoutMs: 15_000 });
    const apiCa = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const rootPem = await httpsGet(`https://127.0.0.1:${mgmt}/roots/0`, apiCa);
    return { directoryUrl: `https://127.0.0.1:${acme}/dir`, apiCa, rootPem, logs, stop };
  } catch (e) {
    const text = logs();
    await stop();
    throw new Error(`${(e as Error).message}\n${text}`, { cause: e });
  }
}

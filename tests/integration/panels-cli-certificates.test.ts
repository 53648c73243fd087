import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInstallSpec, Driver } from '../../src/main/drivers/capabilities';
import { CloudPanelCliDriver } from '../../src/main/drivers/cloudpanel-cli/cloudpanel-cli.driver';
import { HestiaDriver } from '../../src/main/drivers/hestia/hestia.driver';
import { RemoteHost } from '../../src/main/drivers/remote-host';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import type { Output, Payload } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { Domain } from '../../src/shared/remote-names';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { hostileNames } from '../support/hostile-names';
import { HESTIA_USER, STANDIN_LOG, installPanelStandins, pointStandinsAtAcme } from './panels/install-standins';
import { runPlan } from './panels/run-plan';
import { startPebble, type PebblePeer } from './peers/pebble';
import { startServerHost, type ServerHost } from './peers/server-host';
import { makeManager } from './peers/ssh-fixtures';

/*
 * Certificates on a stock CloudPanel server (clpctl) and a HestiaCP server (v-* commands), both STAND-INS written
 * from the panels' public CLI docs on whole-server peers with real nginx. The stand-ins cannot reach Let's Encrypt:
 * their "Let's Encrypt" is the test's pebble (a real ACME CA, HTTP-01 validated through the server's nginx).
 */

type Op = Payload<'operations.changed'>;
type Cert = Output<'certificates.list'>['certificates'][number];
const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);
/** A file no command may ever create: every hostile name below tries to. */
const CANARY = '/tmp/pd-cert-canary';
const EMAIL = 'admin@example.org';

/** One panel server: the peer, its pebble, the relay that lets the server reach pebble, and its ids. */
interface Panel {
  server: ServerHost;
  pebble: PebblePeer;
  relay: Server;
  serverId: string;
  /** The panel's driver on a RemoteHost of its own (direct plan tests), recording every argv it sends. */
  driver: Driver;
  sent: string[][];
}

let h: CoreHarness;
const managers: ConnectionManager[] = [];
const panels: Partial<Record<'cloudpanel' | 'hestia', Panel>> = {};

function panel(kind: 'cloudpanel' | 'hestia'): Panel {
  const p = panels[kind];
  if (!p) throw new Error(`${kind} peer not started`);
  return p;
}

/** A TCP relay on the server's gateway address to pebble's ACME port on this machine's loopback. */
async function relayTo(pebble: PebblePeer, host: string): Promise<Server> {
  const port = Number(new URL(pebble.directoryUrl).port);
  const relay = createServer((c) => {
    const up = connect(port, '127.0.0.1');
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, host, resolve));
  return relay;
}

async function startPanel(kind: 'cloudpanel' | 'hestia', index: number): Promise<Panel> {
  const server = await startServerHost();
  await installPanelStandins(server, kind);
  const pebble = await startPebble({ httpAddress: server.address });
  const relay = await relayTo(pebble, server.gatewayAddress);
  const addr = relay.address();
  if (addr === null || typeof addr === 'string') throw new Error('relay has no port');
  await pointStandinsAtAcme(server, {
    directoryUrl: pebble.directoryUrl,
    apiCa: pebble.apiCa,
    relay: { host: server.gatewayAddress, port: addr.port },
  });
  const cred = await h.call('credentials.create', {
    name: `${kind} root key`,
    kind: 'ssh-key',
    secret: server.rootKey,
    passphrase: null,
  });
  const s = await h.call('servers.create', {
    name: `${kind}-1`,
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key',
    credentialId: cred.id,
    jumpHostIds: [],
    panels: [{ kind: kind === 'cloudpanel' ? 'cloudpanel-cli' : 'hestia', endpoint: null, credentialId: null }],
  });
  const sent: string[][] = [];
  const m = makeManager({ idleGraceMs: 60_000 });
  managers.push(m.manager);
  const targetId = `direct-${index}`;
  m.credentials.secrets.set(targetId, { privateKey: server.rootKey });
  const host = new RemoteHost(m.manager, {
    id: targetId,
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key',
    jump: [],
  }).recording((argv) => sent.push([...argv]));
  const opts = { now: () => Date.now() };
  const driver = kind === 'cloudpanel' ? new CloudPanelCliDriver(host, opts) : new HestiaDriver(host, opts);
  return { server, pebble, relay, serverId: s.id, driver, sent };
}

beforeAll(async () => {
  h = await coreHarness({ ssh: { idleGraceMs: 60_000 } });
  h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
  panels.cloudpanel = await startPanel('cloudpanel', 1);
  panels.hestia = await startPanel('hestia', 2);
}, 240_000);

afterAll(async () => {
  await h?.close();
  for (const m of managers) await m.closeAll();
  for (const p of Object.values(panels)) {
    await new Promise((r) => p.relay.close(r));
    await p.pebble.stop();
    await p.server.stop();
  }
});

async function settled(operationId: string | null): Promise<Op> {
  if (operationId === null) throw new Error('no operation started');
  await h.waitFor('operations.changed', (p) => p.id === operationId && FINAL.has(p.state), { timeoutMs: 60_000 });
  return h.call('operations.get', { id: operationId });
}

async function inventoryEntry(serverId: string, path: string): Promise<Cert | undefined> {
  const { certificates } = await h.call('certificates.list', { serverId });
  return certificates.find((c) => c.path === path);
}

/** The certificate nginx serves for `domain`, verified against `ca` (the request fails otherwise). */
async function served(p: Panel, domain: string, ca: string, body: string): Promise<X509Certificate> {
  const r = await p.server.fetch(domain, '/', { https: true, ca });
  expect(r.status).toBe(200);
  expect(r.body).toContain(body);
  if (!r.certificate) throw new Error('no certificate served');
  return r.certificate;
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

/** A self-signed certificate for `cn` with its key, and a key of another pair (PEM), made with openssl. */
function certificatePair(cn: string): { certificate: string; key: string; otherKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pd-panel-cert-'));
  try {
    const ssl = (args: string[]): void => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    const req = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '3650'];
    ssl([...req, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`, '-keyout', 'a.key', '-out', 'a.pem']);
    ssl([...req, '-subj', '/CN=other.test', '-keyout', 'b.key', '-out', 'b.pem']);
    return {
      certificate: readFileSync(join(dir, 'a.pem'), 'utf8'),
      key: readFileSync(join(dir, 'a.key'), 'utf8'),
      otherKey: readFileSync(join(dir, 'b.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the stand-in log received between two reads, proven by a marker call that must be the only new line. */
async function standinLogAfter(p: Panel, before: string, marker: string[], markerLine: string): Promise<void> {
  await p.server.exec(marker);
  const after = await p.server.execOk(['cat', STANDIN_LOG]);
  expect(after.slice(before.length).trim()).toBe(markerLine);
}

/** An upload spec for the driver directly (what the certificates service builds for certificates.upload). */
function uploadSpec(domain: string, fullchain: string, key: string): CertificateInstallSpec {
  return {
    mode: 'upload',
    domain,
    redirectHttp: false,
    renewal: null,
    obtain: (ctx) => {
      ctx.secrets.add(key);
      return Promise.resolve({ fullchain, key });
    },
  };
}

/**
 * The shared scenario for one panel: a site made through the panel, a certificate issued by the panel's own
 * Let's Encrypt command (pebble here), served by nginx and found in the inventory; then uploads (a wrong key
 * refused before anything reaches the server, the right one installed); then hostile names refused unsent.
 */
function panelSuite(
  kind: 'cloudpanel' | 'hestia',
  c: {
    domain: string;
    body: string;
    certPath: string;
    leCommand: RegExp;
    sans: string[];
    marker: string[];
    markerLine: string;
    /** The panel's upload command on a folder holding `cert.crt` + `other.key` (a pair that does not match). */
    upload: (dir: string) => string[];
    refused: { code: number; text: RegExp };
  },
): void {
  it('issues a certificate through the panel for a site made through it; nginx serves it; the inventory has it', async () => {
    const p = panel(kind);
    const made = await h.call('sites.create', { serverId: p.serverId, kind: 'static', domain: c.domain });
    const site = await settled(made.operationId);
    expect(site.state, site.error ?? '').toBe('succeeded');

    const planned = await h.call('certificates.issue', {
      serverId: p.serverId,
      domain: c.domain,
      directoryUrl: p.pebble.directoryUrl,
      email: EMAIL,
      dryRun: true,
    });
    expect(planned.operationId).toBeNull();
    expect(planned.plan.steps.map((s) => s.id).slice(-2)).toEqual(['verify', 'inventory']);
    expect(planned.plan.commands.join('\n')).toMatch(c.leCommand);
    // The panel's own ACME account orders: the directory of the request is not the panel's to choose.
    expect(planned.plan.commands[0]).toMatch(/own Let's Encrypt account .*is not used/);
    const { operationId } = await h.call('plans.apply', { planId: planned.plan.planId });
    const op = await settled(operationId);
    expect(op.state, `${op.error ?? ''}\n${p.pebble.logs()}`).toBe('succeeded');

    // Verified against pebble's root of this run: the panel's Let's Encrypt command really ordered it.
    const cert = await served(p, c.domain, p.pebble.rootPem, c.body);
    expect(cert.checkHost(c.domain)).toBe(c.domain);
    expect(await p.server.execOk(['cat', STANDIN_LOG])).toMatch(c.leCommand);

    const entry = await inventoryEntry(p.serverId, c.certPath);
    expect(entry).toMatchObject({
      serverId: p.serverId,
      source: 'nginx',
      domains: [c.domain],
      state: 'valid',
      fingerprint: cert.fingerprint256,
      renewal: null,
      served: [{ domain: c.domain, fingerprint: cert.fingerprint256, matches: true }],
    });
    expect([...(entry?.sans ?? [])].sort()).toEqual(c.sans);
    expect(entry?.issuer).toMatch(/Pebble/);
  }, 180_000);

  it('refuses an upload whose key does not belong to the certificate before anything changes', async () => {
    const p = panel(kind);
    const pair = certificatePair(c.domain);
    const before = await served(p, c.domain, p.pebble.rootPem, c.body);
    // Through the app: refused when planned, nothing reaches the panel.
    const log0 = await p.server.execOk(['cat', STANDIN_LOG]);
    const wrong = await h.fail('certificates.upload', {
      serverId: p.serverId,
      domain: c.domain,
      certificate: pair.certificate,
      key: pair.otherKey,
    });
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.message).toMatch(/does not belong/);
    await standinLogAfter(p, log0, c.marker, c.markerLine);
    // Through the driver directly (planning reads the panel's lists): its check step refuses the pair before the
    // upload step sends a byte.
    const plan = await p.driver.certificates?.planInstall(uploadSpec(c.domain, pair.certificate, pair.otherKey));
    if (!plan) throw new Error('no certificates capability');
    expect(plan.steps.map((s) => s.id)[0]).toBe('check');
    const log1 = await p.server.execOk(['cat', STANDIN_LOG]);
    const sentBefore = p.sent.length;
    const err = await rejection(runPlan(plan));
    expect(err).toMatchObject({ code: 'VALIDATION', details: { field: 'key' } });
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(p.sent.slice(sentBefore)).toEqual([]);
    await standinLogAfter(p, log1, c.marker, c.markerLine);
    expect((await served(p, c.domain, p.pebble.rootPem, c.body)).fingerprint256).toBe(before.fingerprint256);
  });

  it('the panel itself refuses a certificate with a key that does not match (stand-in exit code and message)', async () => {
    const p = panel(kind);
    const pair = certificatePair(c.domain);
    const dir = (await p.server.execOk(['mktemp', '-d'])).trim();
    await p.server.execOk(['tee', `${dir}/${c.domain}.crt`], { input: pair.certificate });
    await p.server.execOk(['tee', `${dir}/${c.domain}.key`], { input: pair.otherKey });
    const r = await p.server.exec(c.upload(dir));
    await p.server.execOk(['rm', '-rf', dir]);
    expect(r.code).toBe(c.refused.code);
    expect(`${r.stdout}${r.stderr}`).toMatch(c.refused.text);
  });

  it('installs an uploaded certificate through the panel from files written over stdin', async () => {
    const p = panel(kind);
    const pair = certificatePair(c.domain);
    const ok = await h.call('certificates.upload', {
      serverId: p.serverId,
      domain: c.domain,
      certificate: pair.certificate,
      key: pair.key,
    });
    const op = await settled(ok.operationId);
    expect(op.state, op.error ?? '').toBe('succeeded');
    const cert = await served(p, c.domain, pair.certificate, c.body);
    expect(cert.fingerprint256).toBe(new X509Certificate(pair.certificate).fingerprint256);
    expect(await inventoryEntry(p.serverId, c.certPath)).toMatchObject({
      fingerprint: cert.fingerprint256,
      state: 'valid',
      served: [{ domain: c.domain, fingerprint: cert.fingerprint256, matches: true }],
    });
    // The key went over stdin into a private folder that is gone again; no command line or journal line shows it.
    const keyBody = pair.key.split('\n')[1] ?? 'x';
    expect(JSON.stringify(op)).not.toContain(keyBody);
    expect(JSON.stringify(op)).not.toContain('PRIVATE KEY');
    expect((await p.server.execOk(['sh', '-c', 'ls -d /tmp/paneldeck-cert.* 2>/dev/null; true'])).trim()).toBe('');
  });

  it('refuses hostile domains and aliases before anything reaches the server', async () => {
    const p = panel(kind);
    const cap = p.driver.certificates;
    if (!cap) throw new Error('no certificates capability');
    const log = await p.server.execOk(['cat', STANDIN_LOG]);
    const sentBefore = p.sent.length;
    const bad = hostileNames(CANARY).filter((n) => !Domain.safeParse(n).success);
    expect(bad.length).toBeGreaterThan(100);
    const acme = {
      renewal: { directoryUrl: p.pebble.directoryUrl, email: EMAIL },
      obtain: () => Promise.reject(new Error('unused')),
    };
    for (const name of bad) {
      for (const mode of ['issue', 'renew'] as const) {
        expect((await rejection(cap.planInstall({ mode, domain: name, ...acme }))).code).toBe('VALIDATION');
      }
      expect(
        (await rejection(cap.planInstall({ mode: 'issue', domain: c.domain, aliases: [name], ...acme }))).code,
      ).toBe('VALIDATION');
      expect((await rejection(cap.planInstall(uploadSpec(name, 'x', 'y')))).code).toBe('VALIDATION');
    }
    expect(p.sent.length).toBe(sentBefore);
    await standinLogAfter(p, log, c.marker, c.markerLine);
    expect((await p.server.exec(['test', '-e', CANARY])).code).toBe(1);
  });
}

describe("cloudpanel-cli certificates against the clpctl stand-in (pebble as its Let's Encrypt, real nginx)", () => {
  panelSuite('cloudpanel', {
    domain: 'clp-shop.test',
    body: 'CloudPanel stand-in site clp-shop.test',
    certPath: '/etc/nginx/ssl-certificates/clp-shop.test.crt',
    leCommand: /clpctl lets-encrypt:install:certificate --domainName=clp-shop\.test/,
    sans: ['clp-shop.test'],
    marker: ['clpctl', 'site:delete', '--domainName=marker.example.net', '--force'],
    markerLine: 'clpctl site:delete --domainName=marker.example.net --force',
    upload: (dir) => [
      'clpctl',
      'site:install:certificate',
      '--domainName=clp-shop.test',
      `--privateKey=${dir}/clp-shop.test.key`,
      `--certificate=${dir}/clp-shop.test.crt`,
    ],
    // Symfony's error block on stderr, exit 1.
    refused: { code: 1, text: /\n {2}The private key does not match the certificate\. {2}\n/ },
  });

  it('lists the self-signed certificate CloudPanel gives a new site, and the site as TLS (stand-in)', async () => {
    const p = panel('cloudpanel');
    const made = await h.call('sites.create', { serverId: p.serverId, kind: 'static', domain: 'clp-new.test' });
    expect((await settled(made.operationId)).state).toBe('succeeded');
    const site = (await p.driver.sites?.list())?.find((s) => s.domain === 'clp-new.test');
    expect(site).toMatchObject({ tls: true, certificatePath: '/etc/nginx/ssl-certificates/clp-new.test.crt' });
    await h.call('certificates.scan', { serverId: p.serverId });
    const entry = await inventoryEntry(p.serverId, '/etc/nginx/ssl-certificates/clp-new.test.crt');
    expect(entry?.subject).toContain('CN=clp-new.test');
    expect(entry?.issuer).toBe(entry?.subject);
    expect(entry?.served[0]?.matches).toBe(true);
  });
});

describe("hestia certificates against the HestiaCP v-* stand-ins (pebble as their Let's Encrypt, real nginx)", () => {
  panelSuite('hestia', {
    domain: 'hst-shop.test',
    body: 'Hestia stand-in site hst-shop.test',
    certPath: `/home/${HESTIA_USER}/conf/web/hst-shop.test/ssl/hst-shop.test.crt`,
    leCommand: /v-add-letsencrypt-domain admin hst-shop\.test www\.hst-shop\.test/,
    sans: ['hst-shop.test', 'www.hst-shop.test'],
    marker: ['/usr/local/hestia/bin/v-list-users', 'json'],
    markerLine: 'v-list-users json',
    upload: (dir) => ['/usr/local/hestia/bin/v-change-web-domain-sslcert', HESTIA_USER, 'hst-shop.test', dir],
    // E_INVALID (2) with Hestia's own message.
    refused: { code: 2, text: /^Error: ssl certificate key pair is not valid$/m },
  });

  it('renews through v-add-letsencrypt-domain: a new certificate, served, and Hestia marks the domain LETSENCRYPT (stand-in)', async () => {
    const p = panel('hestia');
    const cap = p.driver.certificates;
    if (!cap) throw new Error('no certificates capability');
    // What it serves now (the upload of the test before; not verified: only its fingerprint matters).
    const before = (await p.server.fetch('hst-shop.test', '/', { https: true })).certificate;
    expect(before).toBeDefined();
    const plan = await cap.planInstall({
      mode: 'renew',
      domain: 'hst-shop.test',
      renewal: { directoryUrl: p.pebble.directoryUrl, email: EMAIL },
      obtain: () => Promise.reject(new Error('Hestia orders itself')),
    });
    await runPlan(plan);
    const cert = await served(p, 'hst-shop.test', p.pebble.rootPem, 'Hestia stand-in site hst-shop.test');
    expect(cert.fingerprint256).not.toBe(before?.fingerprint256);
    const web = await p.server.execOk(['cat', `/usr/local/hestia/data/users/${HESTIA_USER}/web.conf`]);
    expect(web).toMatch(/DOMAIN='hst-shop\.test' .*SSL='yes' .*LETSENCRYPT='yes'/);
    // An alias the domain does not have is Hestia's E_NOTEXIST; the driver refuses it before asking.
    const err = await rejection(
      cap.planInstall({
        mode: 'issue',
        domain: 'hst-shop.test',
        aliases: ['shop.other.test'],
        renewal: null,
        obtain: () => Promise.reject(new Error('unused')),
      }),
    );
    expect(err).toMatchObject({ code: 'VALIDATION', details: { field: 'aliases' } });
  }, 180_000);
});

import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output, Payload } from '../../src/shared/contract';
import { ManualClock } from '../../src/main/vault/clock';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { startPebble, type PebblePeer } from './peers/pebble';
import { startServerHost, type ServerHost } from './peers/server-host';

type Op = Payload<'operations.changed'>;
type Cert = Output<'certificates.list'>['certificates'][number];
const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);
const DOMAIN = 'shop.test';
const CERT = `/etc/ssl/paneldeck/${DOMAIN}/fullchain.pem`;
const KEY = `/etc/ssl/paneldeck/${DOMAIN}/privkey.pem`;

let server: ServerHost;
let pebble: PebblePeer;
let h: CoreHarness;
let serverId: string;
const clock = new ManualClock(Date.now());

async function settled(operationId: string): Promise<Op> {
  await h.waitFor('operations.changed', (p) => p.id === operationId && FINAL.has(p.state), { timeoutMs: 60_000 });
  return h.call('operations.get', { id: operationId });
}

async function inventoryEntry(): Promise<Cert | undefined> {
  const { certificates } = await h.call('certificates.list', { serverId });
  return certificates.find((c) => c.path === CERT);
}

/** The certificate nginx serves for DOMAIN, verified against pebble's root (and the host name). */
async function served(): Promise<X509Certificate> {
  const r = await server.fetch(DOMAIN, '/', { https: true, ca: pebble.rootPem });
  expect(r.status).toBe(200);
  expect(r.body).toContain(`PanelDeck site ${DOMAIN}`);
  if (!r.certificate) throw new Error('no certificate served');
  return r.certificate;
}

beforeAll(async () => {
  server = await startServerHost();
  pebble = await startPebble({ httpAddress: server.address });
  h = await coreHarness({
    clock,
    ssh: { idleGraceMs: 60_000 },
    acme: { directoryCas: { [pebble.directoryUrl]: pebble.apiCa } },
  });
  // The test clock jumps years ahead: no auto-lock in between.
  await h.call('vault.setAutoLock', { minutes: 0 });
  h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
  const cred = await h.call('credentials.create', {
    name: 'root key',
    kind: 'ssh-key',
    secret: server.rootKey,
    passphrase: null,
  });
  const s = await h.call('servers.create', {
    name: 'web-1',
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key',
    credentialId: cred.id,
    jumpHostIds: [],
  });
  serverId = s.id;
  const r = await h.call('sites.create', { serverId, kind: 'static', domain: DOMAIN });
  const op = await settled(r.operationId as string);
  expect(op.state, op.error ?? '').toBe('succeeded');
  // A site made by hand: PanelDeck does not rewrite it.
  await server.execOk(['sh', '-c', 'mkdir -p /srv/hand && echo hand > /srv/hand/index.html']);
  await server.execOk(['tee', '/etc/nginx/conf.d/hand.conf'], {
    input: 'server {\n  listen 80;\n  server_name hand.test;\n  root /srv/hand;\n}\n',
  });
  await server.execOk(['systemctl', 'reload', 'nginx']);
}, 180_000);

afterAll(async () => {
  await h?.close();
  await pebble?.stop();
  await server?.stop();
});

describe('certificates: agentless ACME against pebble, inventory, renewal (whole-server peer, real nginx)', () => {
  it('issues a certificate over HTTP-01 for a PanelDeck site; nginx serves it; the inventory has its expiry', async () => {
    const planned = await h.call('certificates.issue', {
      serverId,
      domain: DOMAIN,
      directoryUrl: pebble.directoryUrl,
      email: 'admin@example.org',
      redirectHttp: true,
      dryRun: true,
    });
    expect(planned.operationId).toBeNull();
    expect(planned.plan.steps.map((s) => s.id)).toEqual([
      'backup',
      'prepare',
      'obtain',
      'upload',
      'vhost',
      'nginx-test',
      'nginx-reload',
      'verify',
      'inventory',
    ]);
    expect(planned.plan.diffs[0]?.unifiedDiff).toMatch(new RegExp(`^\\+ {4}ssl_certificate ${CERT};$`, 'm'));

    const { operationId } = await h.call('plans.apply', { planId: planned.plan.planId });
    const op = await settled(operationId);
    expect(op.state, `${op.error ?? ''}\n${pebble.logs()}`).toBe('succeeded');

    // served() verified the chain against pebble's root of this run (a request without it is refused).
    const cert = await served();
    expect(cert.checkHost(DOMAIN)).toBe(DOMAIN);
    await expect(server.fetch(DOMAIN, '/', { https: true, ca: pebble.apiCa })).rejects.toThrow();
    // http → https redirect, except the ACME challenge path.
    const plain = await server.fetch(DOMAIN, '/');
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://${DOMAIN}/`);
    expect((await server.execOk(['stat', '-c', '%a', KEY])).trim()).toBe('600');
    // No challenge file is left behind.
    expect((await server.execOk(['ls', '-A', '/var/lib/paneldeck/acme/.well-known/acme-challenge'])).trim()).toBe('');

    const entry = await inventoryEntry();
    expect(entry).toMatchObject({
      serverId,
      source: 'nginx',
      domains: [DOMAIN],
      state: 'valid',
      fingerprint: cert.fingerprint256,
      notAfter: Date.parse(cert.validTo),
      renewal: { directoryUrl: pebble.directoryUrl, email: 'admin@example.org' },
      served: [{ domain: DOMAIN, fingerprint: cert.fingerprint256, matches: true }],
    });
    expect(entry?.sans).toContain(DOMAIN);
  });

  it('a test clock past two thirds of the lifetime makes the scheduler renew and reload', async () => {
    const before = await inventoryEntry();
    if (!before) throw new Error('no inventory entry');
    const from = h.events.length;
    const due = before.notAfter - (before.notAfter - before.notBefore) / 3;
    clock.advance(Math.ceil(due - clock.now()) + 2 * 3_600_000);
    const queued = await h.waitFor('operations.changed', (p) => p.kind === 'certificate.renew', { from });
    const op = await settled(queued.id);
    expect(op.state, op.error ?? '').toBe('succeeded');
    const cert = await served();
    expect(cert.fingerprint256).not.toBe(before.fingerprint);
    const after = await inventoryEntry();
    expect(after?.fingerprint).toBe(cert.fingerprint256);
    expect(after?.id).toBe(before.id);
  });

  it('flags a certificate renewed on disk but not reloaded (served ≠ file)', async () => {
    const now = await inventoryEntry();
    await server.execOk(['cp', '-a', CERT, `${CERT}.orig`]);
    await server.execOk([
      'sh',
      '-c',
      'cd /tmp && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj "/CN=$1" -keyout k.pem -out "$2" 2>/dev/null',
      'sh',
      DOMAIN,
      CERT,
    ]);
    const scan = await h.call('certificates.scan', { serverId });
    expect(scan.problems).toEqual([]);
    const entry = await inventoryEntry();
    expect(entry?.fingerprint).not.toBe(now?.fingerprint);
    expect(entry?.state).toBe('mismatch');
    expect(entry?.served).toEqual([{ domain: DOMAIN, fingerprint: now?.fingerprint, matches: false }]);
    const { certificates } = await h.call('certificates.list', { state: ['mismatch'] });
    expect(certificates.map((c) => c.path)).toEqual([CERT]);
    // Put the served certificate back (the hand-made one does not match the key: nginx -t would refuse it).
    await server.execOk(['mv', '-f', `${CERT}.orig`, CERT]);
    await h.call('certificates.scan', { serverId });
    expect((await inventoryEntry())?.state).toBe('valid');
  });

  it('a challenge nginx does not serve fails before the CA validates; the operation is rolled back', async () => {
    const r = await h.call('sites.create', { serverId, kind: 'static', domain: 'broken.test' });
    const made = await settled(r.operationId as string);
    expect(made.state, made.error ?? '').toBe('succeeded');
    // Its vhost keeps PanelDeck's marker but loses the ACME location (as a careless hand edit would).
    const vhost = '/etc/nginx/sites-available/broken.test.conf';
    const edited = (await server.execOk(['cat', vhost])).replace(
      /\n {4}location \^~ \/\.well-known\/acme-challenge\/ \{[^}]*\}/,
      '',
    );
    expect(edited).not.toContain('acme-challenge');
    await server.execOk(['tee', vhost], { input: edited });
    await server.execOk(['systemctl', 'reload', 'nginx']);

    const issued = await h.call('certificates.issue', {
      serverId,
      domain: 'broken.test',
      directoryUrl: pebble.directoryUrl,
      email: 'admin@example.org',
    });
    const op = await settled(issued.operationId as string);
    expect(op.state).toBe('rolled_back');
    const failed = op.steps.find((s) => s.state === 'failed');
    expect(failed?.id).toBe('obtain');
    expect(failed?.error).toMatch(/nginx does not serve the ACME challenge for broken\.test/);
    expect(op.steps.find((s) => s.id === 'backup')?.state).toBe('rolled_back');
    expect(await server.execOk(['cat', vhost])).toBe(edited);
    expect((await server.exec(['test', '-e', '/etc/ssl/paneldeck/broken.test/fullchain.pem'])).code).toBe(1);
    expect((await server.execOk(['ls', '-A', '/var/lib/paneldeck/acme/.well-known/acme-challenge'])).trim()).toBe('');
    await server.execOk(['nginx', '-t']);
    expect((await server.fetch('broken.test', '/')).body).toContain('PanelDeck site broken.test');
  });

  it('custom upload: refuses a key that does not match and sites PanelDeck did not write; installs a matching one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-upload-'));
    try {
      const ssl = (args: string[]): void => {
        const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
      };
      const req = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '3650'];
      ssl([...req, '-subj', `/CN=${DOMAIN}`, '-keyout', 'a.key', '-out', 'a.pem']);
      ssl([...req, '-subj', '/CN=other.test', '-keyout', 'b.key', '-out', 'b.pem']);
      const certificate = readFileSync(join(dir, 'a.pem'), 'utf8');
      const wrong = await h.fail('certificates.upload', {
        serverId,
        domain: DOMAIN,
        certificate,
        key: readFileSync(join(dir, 'b.key'), 'utf8'),
        dryRun: true,
      });
      expect(wrong.code).toBe('VALIDATION');
      expect(wrong.message).toMatch(/does not belong/);
      const hand = await h.fail('certificates.upload', {
        serverId,
        domain: 'hand.test',
        certificate,
        key: readFileSync(join(dir, 'a.key'), 'utf8'),
        dryRun: true,
      });
      expect(hand.code).toBe('UNSUPPORTED');

      // The matching key: installed through the same safe path, served, no longer renewed over ACME.
      const ok = await h.call('certificates.upload', {
        serverId,
        domain: DOMAIN,
        certificate,
        key: readFileSync(join(dir, 'a.key'), 'utf8'),
      });
      const op = await settled(ok.operationId as string);
      expect(op.state, op.error ?? '').toBe('succeeded');
      const r = await server.fetch(DOMAIN, '/', { https: true, ca: certificate });
      expect(r.certificate?.fingerprint256).toBe(new X509Certificate(certificate).fingerprint256);
      expect(await inventoryEntry()).toMatchObject({ renewal: null, state: 'valid' });
      expect(JSON.stringify(op)).not.toContain('PRIVATE KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

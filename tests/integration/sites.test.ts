import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/shared/contract';
import { hostileNames } from '../support/hostile-names';
import { addServerHost, settled, trustHostKeys } from './peers/manager-fixtures';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { startServerHost, type ServerHost } from './peers/server-host';

let server: ServerHost;

/** A core with a vault and the whole-server peer added as root by key (host key trusted when asked). */
async function managerCore(
  opts: Parameters<typeof coreHarness>[0] = {},
): Promise<{ h: CoreHarness; serverId: string }> {
  // One pooled connection for the whole file, as in the app (the harness default closes idle connections at once).
  const h = await coreHarness({ ...opts, ssh: { idleGraceMs: 60_000, ...opts.ssh } });
  trustHostKeys(h);
  return { h, serverId: await addServerHost(h, server) };
}

async function body(domain: string): Promise<string> {
  const r = await server.fetch(domain, '/');
  return `${r.status} ${r.body}`;
}

/** Every site that must keep answering while others change. */
const witnesses = new Map<string, RegExp>();
async function othersStillAnswer(): Promise<void> {
  for (const [domain, re] of witnesses) expect(await body(domain), domain).toMatch(re);
  await server.execOk(['nginx', '-t']);
}

beforeAll(async () => {
  server = await startServerHost();
  // A site made by hand, the way an admin would, before PanelDeck ever saw the server; and an upstream for proxies.
  await server.execOk(['sh', '-c', 'mkdir -p /srv/handmade && echo handmade-site-ok > /srv/handmade/index.html']);
  await server.execOk(['tee', '/etc/nginx/sites-available/handmade.conf'], {
    input:
      'server {\n  listen 80;\n  server_name handmade.test;\n  root /srv/handmade;\n}\nserver {\n  listen 127.0.0.1:8081;\n  server_name upstream.local;\n  location / { return 200 "upstream-ok via $host\\n"; }\n}\n',
  });
  await server.execOk([
    'ln',
    '-s',
    '/etc/nginx/sites-available/handmade.conf',
    '/etc/nginx/sites-enabled/handmade.conf',
  ]);
  await server.execOk(['systemctl', 'reload', 'nginx']);
  witnesses.set('handmade.test', /^200 handmade-site-ok/);
  await othersStillAnswer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('sites on nginx over SSH (whole-server peer: real nginx, PHP-FPM; systemctl stand-in)', () => {
  let h: CoreHarness;
  let serverId: string;
  beforeAll(async () => {
    ({ h, serverId } = await managerCore());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists a site made by hand, not managed by PanelDeck', async () => {
    const { sites, problems } = await h.call('sites.list', {});
    expect(problems).toEqual([]);
    expect(sites.find((s) => s.domain === 'handmade.test')).toMatchObject({
      serverId,
      kind: 'static',
      root: '/srv/handmade',
      enabled: true,
      managed: false,
      configPath: '/etc/nginx/sites-available/handmade.conf',
    });
  });

  it('static site: the plan shows the vhost diff and nginx -t; applied, it answers; others keep answering', async () => {
    const planned: Output<'sites.create'> = await h.call('sites.create', {
      serverId,
      kind: 'static',
      domain: 'alpha.test',
      dryRun: true,
    });
    expect(planned.operationId).toBeNull();
    expect(planned.plan.commands).toContain('nginx -t');
    expect(planned.plan.commands.join('\n')).toMatch(/^install -d -m 0700 \/var\/backups\/paneldeck\//m);
    const diff = planned.plan.diffs.find((d) => d.path === '/etc/nginx/sites-available/alpha.test.conf');
    expect(diff?.unifiedDiff).toMatch(/^\+ {4}server_name alpha\.test;$/m);
    // Planning wrote nothing.
    expect(await server.execOk(['sh', '-c', 'ls /etc/nginx/sites-available'])).not.toContain('alpha.test');

    const { operationId } = await h.call('plans.apply', { planId: planned.plan.planId });
    const op = await settled(h, operationId);
    expect(op.state, op.error ?? '').toBe('succeeded');
    expect(op.steps.map((s) => s.state).every((s) => s === 'succeeded')).toBe(true);
    expect(op.steps.find((s) => s.id === 'nginx-test')?.commands[0]?.exitCode).toBe(0);
    expect(await body('alpha.test')).toMatch(/^200 .*PanelDeck site alpha\.test/);
    witnesses.set('alpha.test', /^200 .*PanelDeck site alpha\.test/);
    await othersStillAnswer();
    // The same plan cannot be applied twice.
    expect((await h.fail('plans.apply', { planId: planned.plan.planId })).code).toBe('NOT_FOUND');
  });

  it('PHP site: its own PHP-FPM pool runs PHP; listed as php with its version', async () => {
    const r = await h.call('sites.create', { serverId, kind: 'php', domain: 'beta.test', systemUser: 'beta' });
    const op = await settled(h, r.operationId as string);
    expect(op.state, op.error ?? '').toBe('succeeded');
    expect(await body('beta.test')).toMatch(/^200 PanelDeck site beta\.test PHP 8\.2/);
    witnesses.set('beta.test', /^200 PanelDeck site beta\.test PHP/);
    const { sites } = await h.call('sites.list', { serverId });
    expect(sites.find((s) => s.domain === 'beta.test')).toMatchObject({
      kind: 'php',
      phpVersion: '8.2',
      managed: true,
      systemUser: 'beta',
    });
    // The pool runs as the site's user, not as www-data.
    expect(
      await server.execOk(['sh', '-c', 'grep -h "^user" /etc/php/8.2/fpm/pool.d/paneldeck-beta.test.conf']),
    ).toContain('beta');
    await othersStillAnswer();
  });

  it('reverse-proxy site: answers with the upstream', async () => {
    const r = await h.call('sites.create', { serverId, kind: 'proxy', domain: 'gamma.test', upstream: 8081 });
    const op = await settled(h, r.operationId as string);
    expect(op.state, op.error ?? '').toBe('succeeded');
    expect(await body('gamma.test')).toMatch(/^200 upstream-ok via gamma\.test/);
    witnesses.set('gamma.test', /^200 upstream-ok/);
    await othersStillAnswer();
  });

  it('disable then enable a site', async () => {
    let r = await h.call('sites.setEnabled', { serverId, domain: 'beta.test', enabled: false });
    expect((await settled(h, r.operationId as string)).state).toBe('succeeded');
    expect(await body('beta.test')).not.toMatch(/PanelDeck site beta\.test/);
    r = await h.call('sites.setEnabled', { serverId, domain: 'beta.test', enabled: true });
    expect((await settled(h, r.operationId as string)).state).toBe('succeeded');
    await othersStillAnswer();
  });

  it('hostile names are refused by validation; nothing reaches the server (canary absent)', async () => {
    const canary = '/tmp/pd-sites-canary';
    const before = await server.execOk(['sh', '-c', 'ls /etc/nginx/sites-available /etc/nginx/sites-enabled']);
    const names = hostileNames(canary);
    let refused = 0;
    for (const n of names) {
      for (const input of [
        { serverId, kind: 'static', domain: n, dryRun: true },
        { serverId, kind: 'static', domain: 'ok.test', root: n, dryRun: true },
        { serverId, kind: 'static', domain: 'ok.test', systemUser: n, dryRun: true },
        { serverId, kind: 'proxy', domain: 'ok.test', upstream: n, dryRun: true },
      ]) {
        const res = await h.core.dispatcher.call('sites.create', input, { transport: 'in-process' });
        if (!res.ok) {
          expect(res.error.code, JSON.stringify(input)).toBe('VALIDATION');
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThanOrEqual(names.length * 4 - 50);
    expect(await server.execOk(['sh', '-c', `test ! -e ${canary} && echo absent`])).toContain('absent');
    expect(await server.execOk(['sh', '-c', 'ls /etc/nginx/sites-available /etc/nginx/sites-enabled'])).toBe(before);
  });

  it('delete keeps the webroot unless asked; the typed confirmation must match', async () => {
    const wrong = await h.fail('sites.delete', { serverId, domain: 'alpha.test', confirm: 'alpha' });
    expect(wrong.code).toBe('VALIDATION');
    const r = await h.call('sites.delete', { serverId, domain: 'alpha.test', confirm: 'alpha.test' });
    const op = await settled(h, r.operationId as string);
    expect(op.state, op.error ?? '').toBe('succeeded');
    witnesses.delete('alpha.test');
    expect(await body('alpha.test')).not.toMatch(/PanelDeck site alpha\.test/);
    expect(await server.execOk(['sh', '-c', 'test -d /var/www/alpha.test/public && echo kept'])).toContain('kept');
    await othersStillAnswer();
    const { sites } = await h.call('sites.list', { serverId });
    expect(sites.map((s) => s.domain)).not.toContain('alpha.test');
  });

  it('history.db (and its -wal and -shm) holds no domain, host address, path or command in clear', async () => {
    const ops = await h.call('operations.list', { limit: 100 });
    expect(ops.total).toBeGreaterThanOrEqual(6);
    const files = readdirSync(h.dataDir).filter((f) => f.startsWith('history.db'));
    expect(files).toContain('history.db');
    const needles = [
      'alpha.test',
      'beta.test',
      'gamma.test',
      server.address,
      'sites-available',
      'nginx',
      'useradd',
      'PanelDeck site',
    ];
    for (const f of files) {
      const bytes = readFileSync(join(h.dataDir, f));
      for (const n of needles) {
        expect(bytes.includes(Buffer.from(n)), `${n} in ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(n, 'utf16le')), `${n} (UTF-16) in ${f}`).toBe(false);
      }
    }
  });
});

describe('a vhost that fails nginx -t (test-only fault switch)', () => {
  it('is rolled back: its files are gone, every old site still answers, the journal shows the failed step', async () => {
    const { h, serverId } = await managerCore({ testFaults: { nginx: 'invalid-directive' } });
    try {
      const r = await h.call('sites.create', { serverId, kind: 'static', domain: 'broken.test' });
      const op = await settled(h, r.operationId as string);
      expect(op.state).toBe('rolled_back');
      const failed = op.steps.find((s) => s.state === 'failed');
      expect(failed?.id).toBe('nginx-test');
      expect(failed?.error).toMatch(/nginx refused the configuration.*paneldeck_fault_injected/);
      expect(op.steps.filter((s) => s.state === 'rolled_back').map((s) => s.id)).toEqual(
        expect.arrayContaining(['backup', 'vhost', 'webroot']),
      );
      expect(await server.execOk(['sh', '-c', 'ls /etc/nginx/sites-available /etc/nginx/sites-enabled'])).not.toContain(
        'broken.test',
      );
      expect(await server.execOk(['sh', '-c', 'test -e /var/www/broken.test || echo gone'])).toContain('gone');
      await othersStillAnswer();
    } finally {
      await h.close();
    }
  });
});

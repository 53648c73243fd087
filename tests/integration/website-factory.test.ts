import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticPins } from '../../src/main/drivers/http';
import type { WebsiteFactoryDriver } from '../../src/main/drivers/website-factory';
import type { Plan } from '../../src/main/operations/operation.types';
import type { SiteCreate } from '../../src/shared/contract/sites.contract';
import type { AppError } from '../../src/shared/errors';
import { hostileNames } from '../support/hostile-names';
import { applyAndWait as applyAndWaitIn, closeInOrder } from '../support/panel-test-kit';
import { harness, type Harness } from '../unit/operations/helpers';
import {
  allRows,
  driverFor,
  failure,
  HUB_PASSWORD,
  PANEL_ID,
  sitesCsv,
  trail,
} from './panels/website-factory-fixtures';
import { selfSignedCert } from './panels/tls-cert';
import { startWebsiteFactoryServer, type WebsiteFactoryServer } from './panels/website-factory-server';

function site(domain: string, extra: Partial<SiteCreate> = {}): SiteCreate {
  return { serverId: PANEL_ID, kind: 'static', domain, aliases: [], dryRun: false, ...extra } as SiteCreate;
}

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('Website Factory driver against the loopback hub (%s)', (_mode, deviations) => {
  let server: WebsiteFactoryServer;
  let driver: WebsiteFactoryDriver;
  let h: Harness;
  const extra: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    server = await startWebsiteFactoryServer({ deviations, viewer: { username: 'viewer', password: 'viewer-pw-1' } });
    driver = driverFor(server);
    h = await harness();
  });
  afterEach(() => closeInOrder(...extra.splice(0), driver, h, server));

  const applyAndWait = (plan: Plan) => applyAndWaitIn(h, plan);

  it('signs in with the form-encoded /auth/token, says who it is, and explains a wrong password', async () => {
    expect(await driver.identify()).toEqual({
      identity: 'operator <operator@example.com>',
      role: null,
      version: '1.0.0',
      supports: ['sites', 'bulk-sites', 'workflows', 'alerts', 'credentials'],
    });
    const login = server.log.find((r) => r.path === '/auth/token');
    expect(login?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(login?.body).get('username')).toBe('operator');
    expect(trail(server)).toEqual(['POST /auth/token 200', 'GET /auth/me 200', 'GET / 200']);
    expect(server.log[1]?.headers.authorization).toMatch(/^Bearer ey/);
    const wrong = driverFor(server, { secret: 'not-the-password' });
    extra.push(wrong);
    const e = await failure(wrong.sites.list());
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe('Website Factory: Incorrect username or password');
    expect(e.message).not.toContain('not-the-password');
  });

  it('refreshes the token at /auth/refresh shortly before it expires', async () => {
    let shift = 0;
    const d = driverFor(server, { now: () => Date.now() + shift, tokenSkewMs: 30_000 });
    extra.push(d);
    server.seedSites(2);
    await d.sites.list();
    shift = 30 * 60_000 - 10_000; // 10 s before the 30-minute token runs out, by the driver's clock
    expect(await d.sites.list()).toHaveLength(2);
    shift = 0;
    await d.sites.list();
    expect(trail(server)).toEqual([
      'POST /auth/token 200',
      'GET /sites/ 200',
      'POST /auth/refresh 200',
      'GET /sites/ 200',
      'GET /sites/ 200',
    ]);
    const tokens = server.log.filter((r) => r.path === '/sites/').map((r) => r.headers.authorization);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(tokens[2]).toBe(tokens[1]);
  });

  it('an expired token is replaced mid-session without the caller noticing; a 401 that persists is a clear error', async () => {
    server.seedSites(3);
    expect(await driver.sites.list()).toHaveLength(3);
    server.advanceClock(31 * 60_000); // the hub's 30-minute token is now expired
    expect(await driver.sites.list()).toHaveLength(3);
    expect(trail(server)).toEqual([
      'POST /auth/token 200',
      'GET /sites/ 200',
      'GET /sites/ 401',
      'POST /auth/refresh 401', // the refresh needs a live token: fall back to signing in
      'POST /auth/token 200',
      'GET /sites/ 200',
    ]);
    server.rejectTokens(true);
    const e = await failure(driver.sites.list());
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe('Website Factory: Could not validate credentials (signing in again did not help).');
  });

  it('lists every site with limit/offset to the end (263), in the fleet shape and as a paged table', async () => {
    server.seedSites(263);
    const sites = await driver.sites.list();
    expect(sites).toHaveLength(263);
    expect(new Set(sites.map((s) => s.domain)).size).toBe(263);
    expect(sites[0]).toMatchObject({
      serverId: PANEL_ID,
      source: 'website-factory',
      kind: 'static',
      domain: 'site-0001.example.com',
      root: '/var/www/site-0001.example.com',
    });
    const gets = server.log.filter((r) => r.path === '/sites/');
    expect(gets.map((r) => `${r.query.get('limit')}/${r.query.get('offset')}`)).toEqual([
      '100/0',
      '100/100',
      '100/200',
    ]);
    const table = await allRows(driver, 'sites', 50);
    expect(table).toMatchObject({ pages: 6, total: 263 });
    expect(table.rows).toHaveLength(263);
    expect(table.rows[262]?.cells).toMatchObject({ domain: 'site-0263.example.com', status_deployment: 'deployed' });
    const big = await driver.resources.list('sites', { page: 2, pageSize: 150, search: null });
    expect(big.items.map((r) => r.cells['domain'])).toEqual(sites.slice(150, 263).map((s) => s.domain));
  });

  it('passes every documented site filter (search box name:value tokens and the API)', async () => {
    server.seedSites(30, (i) =>
      i % 3 === 0 ? { status_dns: 'failed', error_message: 'DNS zone rejected', status_hosting: 'pending' } : {},
    );
    const p = await driver.resources.list('sites', {
      page: 1,
      pageSize: 50,
      search: 'status_dns:failed has_error:true site-001',
    });
    expect(p.items.map((r) => r.cells['domain'])).toEqual([
      'site-0010.example.com',
      'site-0013.example.com',
      'site-0016.example.com',
      'site-0019.example.com',
    ]);
    const q = server.log.at(-1)?.query;
    expect(Object.fromEntries(q ?? [])).toEqual({
      status_dns: 'failed',
      has_error: 'true',
      domain_search: 'site-001',
      limit: '50',
      offset: '0',
    });
    const filtered = await driver.api.listSites({
      status_hosting: 'pending',
      status_content: 'generated',
      status_deployment: 'deployed',
      has_error: true,
    });
    expect(filtered).toHaveLength(10);
    expect(await driver.api.listSites({ has_error: false, status_dns: 'failed' })).toEqual([]);
  });

  it('pages every other resource to the end (260 each) with secrets masked in the rows', async () => {
    server.seedSites(10);
    server.seedExecutions(260);
    server.seedAlerts(260);
    server.seedCredentials(260);
    for (const kind of ['alerts', 'servers', 'registrars', 'infrastructure', 'cloudflare-accounts']) {
      const t = await allRows(driver, kind, 100);
      expect({ kind, rows: t.rows.length, total: t.total, pages: t.pages }).toEqual({
        kind,
        rows: 260,
        total: 260,
        pages: 3,
      });
      const text = JSON.stringify(t.rows);
      expect(text).not.toMatch(/seed-(cf|registrar|infra)-/);
    }
    const cf = await allRows(driver, 'cloudflare-accounts');
    expect(cf.rows[0]?.cells).toMatchObject({ account_nickname: 'CF_Batch_1', api_token: '••••••••' });
    // Executions: the hub answers at most 200 (its documented limit), newest first.
    expect((await allRows(driver, 'workflow-executions', 100)).rows).toHaveLength(200);
    expect((await allRows(driver, 'workflows-failed')).rows).toHaveLength(65);
    expect((await allRows(driver, 'workflows-retrying')).rows).toHaveLength(65);
    const alerts = await allRows(driver, 'alerts', 100, 'severity:critical acknowledged:false');
    expect(alerts.rows).toHaveLength(65);
    const stats = await allRows(driver, 'workflow-stats');
    expect(stats.rows.find((r) => r.id === 'total_executions')?.cells['value']).toBe(260);
    const health = await allRows(driver, 'system-health');
    expect(health.rows.find((r) => r.id === 'components.database')?.cells['value']).toBe('healthy');
    const processing = await allRows(driver, 'processing-status');
    expect(processing.rows.map((r) => r.id)).toEqual([
      'dns_automator',
      'hosting_automator',
      'content_engine',
      'deployment_scripts',
    ]);
    expect((await allRows(driver, 'site-stats')).rows.find((r) => r.id === 'total_sites')?.cells['value']).toBe(10);
  });

  it('creates and deletes a site through the operations engine (one POST, listed, then gone)', async () => {
    const created = await applyAndWait(await driver.sites.planCreate(site('Shop.Example.com')));
    expect(created.state).toBe('succeeded');
    expect(created.steps.find((s) => s.id === 'create')?.log.join('\n')).toMatch(
      /created site [0-9a-f-]{36} \(dns pending, hosting pending, content pending, deployment pending\)/,
    );
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/sites/');
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]?.body ?? '{}')).toEqual({ domain: 'shop.example.com', brand_name: 'Shop' });
    expect((await driver.sites.list()).map((s) => s.domain)).toEqual(['shop.example.com']);
    const again = await failure(driver.sites.planCreate(site('shop.example.com')));
    expect(again.code).toBe('CONFLICT');

    const deleted = await applyAndWait(await driver.sites.planDelete('shop.example.com', true));
    expect(deleted.state).toBe('succeeded');
    expect(server.store.effects).toEqual(['site.create shop.example.com', 'site.delete shop.example.com']);
    expect(await driver.sites.list()).toEqual([]);
    const kinds = await failure(driver.sites.planCreate(site('php.example.com', { kind: 'php' })));
    expect(kinds.code).toBe('UNSUPPORTED');
  });

  it('resource writes as operations: site create/patch/retry/trigger/delete, alerts, workflows, servers', async () => {
    server.seedSites(1);
    server.seedExecutions(8);
    server.seedAlerts(2);
    const made = await applyAndWait(
      await driver.resources.planCreate('sites', { domain: 'brand.example.com', brand_name: "Joe's Brand" }),
    );
    expect(made.state).toBe('succeeded');
    const id = server.store.sites.find((s) => s.domain === 'brand.example.com')?.id ?? '';
    const first = server.store.sites[0]?.id ?? '';
    const alert = server.store.alerts[0]?.id ?? '';
    const exec = server.store.executions.find((e) => e.status === 'failed')?.id ?? '';
    const ops = [
      driver.resources.planPatchSite(id, { brand_name: 'New Brand', status_dns: 'active' }),
      await driver.resources.planAction('sites', first, 'retry'),
      await driver.resources.planAction('sites', id, 'trigger-content'),
      await driver.resources.planCreate('workflow-executions', { workflow_type: 'deployment', site_id: id }),
      await driver.resources.planAction('workflows-failed', exec, 'retry'),
      await driver.resources.planAction('alerts', alert, 'acknowledge'),
      await driver.resources.planAction('alerts', alert, 'resolve'),
      await driver.resources.planAction('system-health', 'status', 'health-check'),
      await driver.resources.planCreate('servers', { name: 'Edge 1', ip_address: '203.0.113.7', type: 'vultr' }),
    ];
    for (const plan of ops) expect((await applyAndWait(plan)).state).toBe('succeeded');
    const serverId = server.store.servers[0]?.id ?? '';
    expect((await applyAndWait(await driver.resources.planDelete('servers', serverId))).state).toBe('succeeded');
    expect((await applyAndWait(await driver.resources.planDelete('sites', id))).state).toBe('succeeded');
    expect(server.store.effects).toEqual([
      'site.create brand.example.com',
      'site.update brand.example.com',
      'site.retry site-0001.example.com 2',
      'workflow.trigger content',
      'workflow.trigger deployment',
      `workflow.retry ${exec}`,
      `alert.acknowledge ${alert}`,
      `alert.resolve ${alert}`,
      'health-check',
      'servers.create Edge 1',
      `servers.delete ${serverId}`,
      'site.delete brand.example.com',
    ]);
    expect((await allRows(driver, 'alerts')).rows.map((r) => r.id)).not.toContain(alert);
    expect((await allRows(driver, 'servers')).rows).toEqual([]);
  });

  it('maps each error envelope to a typed error with the hub message (400, 401, 403, 404, 422, 429, 500)', async () => {
    server.seedSites(1);
    const api = driver.api;
    const dup = await failure(
      api.call('POST', '/sites/', { json: { domain: 'site-0001.example.com', brand_name: 'x' } }),
    );
    expect([dup.code, dup.message]).toEqual([
      'VALIDATION',
      'Website Factory: Site with domain site-0001.example.com already exists',
    ]);
    const bad = await failure(api.call('POST', '/sites/', { json: { domain: 'bad..example', brand_name: 'x' } }));
    expect(bad.code).toBe('VALIDATION');
    if (deviations) {
      expect(bad.message).toBe('Website Factory: domain: Invalid domain format');
      expect(bad.details).toMatchObject({
        status: 422,
        field: 'domain',
        fields: [{ field: 'domain', message: 'Invalid domain format' }],
      });
    } else {
      expect(bad.message).toBe('Website Factory: Validation error: Invalid domain format');
      expect(bad.details?.['status']).toBe(400);
    }
    const missing = await failure(api.call('POST', '/sites/', { json: { domain: 'x.example.com' } }));
    expect(missing.details).toMatchObject({
      status: 422,
      fields: [{ field: 'brand_name', message: 'Field required' }],
    });
    const limit = await failure(api.sitesPage({}, { limit: 500, offset: 0 }));
    expect(limit.message).toBe('Website Factory: limit: Input should be less than or equal to 100');
    expect(limit.details?.['field']).toBe('limit');
    const gone = await failure(api.call('DELETE', '/sites/00000000-0000-0000-0000-000000000000'));
    expect([gone.code, gone.message]).toEqual(['NOT_FOUND', 'Website Factory: Site not found']);
    const viewer = driverFor(server, { username: 'viewer', secret: 'viewer-pw-1' });
    extra.push(viewer);
    const denied = await failure(viewer.api.call('POST', '/monitoring/health-check'));
    expect([denied.code, denied.message]).toEqual(['AUTH_FAILED', 'Website Factory: Not enough permissions']);
    server.failNext('POST', '/sites/', 500);
    const crash = await failure(api.call('POST', '/sites/', { json: { domain: 'y.example.com', brand_name: 'y' } }));
    expect(crash.message).toBe(
      deviations ? 'Website Factory: Internal Server Error' : 'Website Factory: Internal server error',
    );
    const strict = driverFor(server, { retry: { retries: 0 } });
    extra.push(strict);
    await strict.sites.list();
    server.throttleFor(1000);
    const limited = await failure(strict.sites.list());
    expect([limited.code, limited.message]).toEqual(['RATE_LIMITED', 'Website Factory: Rate limit exceeded']);
  });

  it('a 429 with Retry-After is honoured and the server logs exactly one create for the POST', async () => {
    const plan = await driver.sites.planCreate(site('limited.example.com'));
    server.throttleFor(1000);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/sites/');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(server.store.effects).toEqual(['site.create limited.example.com']);
    expect(op.steps.find((s) => s.id === 'create')?.log.join('\n')).toContain(
      'POST /sites/: HTTP 429, trying again in 1000 ms',
    );
  });

  it('a create whose answer is lost is looked up (it took effect) and not sent again', async () => {
    const plan = await driver.sites.planCreate(site('dropped.example.com'));
    server.loseAnswerNext('POST', '/sites/');
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(server.log.filter((r) => r.method === 'POST' && r.path === '/sites/')).toHaveLength(1);
    expect(op.steps.find((s) => s.id === 'create')?.log).toContain(
      'The create took effect despite the lost answer; not sending it again.',
    );
    expect(server.store.effects).toEqual(['site.create dropped.example.com']);
  });

  it('a 5xx on a GET is retried', async () => {
    server.seedSites(2);
    server.failNext('GET', '/sites/', 503, 2);
    expect(await driver.sites.list()).toHaveLength(2);
    expect(trail(server).filter((l) => l.startsWith('GET /sites/'))).toEqual([
      'GET /sites/ 503',
      'GET /sites/ 503',
      'GET /sites/ 200',
    ]);
  });

  it('bulk-creates 500 sites from a CSV within the bulk rate limit, with per-row results; bad rows never sent', async () => {
    const hub = await startWebsiteFactoryServer({ deviations, limits: { bulk: { max: 2, windowMs: 400 } } });
    const d = driverFor(hub, { bulk: { perWindow: 2, windowMs: 400, maxRows: 100 } });
    extra.push(d, hub);
    hub.seedCredentials(1);
    const rejected = [
      'bad..example.com,Bad,,',
      '"$(touch /tmp/helperWF-canary).example.com",Evil,,',
      'bulk-007.example.com,Twice,,',
      ',No domain,,',
      'brand.example.com,"x; rm -rf /tmp/helperWF-canary",,',
    ];
    const csv = sitesCsv(500, [
      ...rejected,
      'unknown-cf.example.com,Unknown,CF_Missing,',
      'cf.example.com,CF,CF_Batch_1,',
    ]);
    const preview = d.bulkSites.preview(csv);
    expect(preview.columns).toEqual(['domain', 'brand_name', 'cloudflare_account_nickname', 'notes']);
    expect(preview.valid).toBe(502);
    expect(preview.rows.filter((r) => r.errors.length > 0).map((r) => r.errors[0]?.field)).toEqual([
      'domain',
      'domain',
      'domain',
      'domain',
      'brand_name',
    ]);
    expect(hub.log).toEqual([]); // the preview sends nothing

    const plan = await d.bulkSites.planCreate(csv);
    expect(plan.steps.map((s) => s.id)).toEqual([
      'check',
      'chunk-1',
      'chunk-2',
      'chunk-3',
      'chunk-4',
      'chunk-5',
      'chunk-6',
      'verify',
    ]);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    const bulk = hub.log.filter((r) => r.path === '/sites/bulk');
    expect(bulk.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(hub.log.filter((r) => r.status === 429)).toEqual([]);
    const sent = bulk.flatMap((r) =>
      (JSON.parse(r.body) as { sites: { domain: string }[] }).sites.map((s) => s.domain),
    );
    expect(bulk.map((r) => (JSON.parse(r.body) as { sites: unknown[] }).sites.length)).toEqual([
      100, 100, 100, 100, 100, 2,
    ]);
    expect(sent).toHaveLength(502);
    expect(hub.log.some((r) => r.body.includes('canary') || r.body.includes('bad..example.com'))).toBe(false);
    expect(hub.store.sites).toHaveLength(501);
    const logs = op.steps.flatMap((s) => s.log);
    // Rows 50, 100, … have a line break inside a quoted field: 500 rows end on line 511.
    expect(logs).toContain('line 514 bulk-007.example.com: domain: Already on line 8. (not sent)');
    expect(logs).toContain(
      'line 512 bad..example.com: domain: A domain cannot have an empty label (two dots). (not sent)',
    );
    expect(logs.filter((l) => /: created$/.test(l))).toHaveLength(501);
    expect(logs).toContain(
      deviations
        ? "line 517 unknown-cf.example.com: failed: Error creating site unknown-cf.example.com: Cloudflare account 'CF_Missing' not found"
        : "line 517 unknown-cf.example.com: failed: Cloudflare account 'CF_Missing' not found",
    );
    expect(op.steps.find((s) => s.id === 'verify')?.log).toContain('501 created, 1 failed, 5 rejected before sending');
    // Paced ahead of the limit (by the client's own count, and by the hub's headers where it sends them).
    expect(logs.some((l) => /Waiting \d+ ms for the bulk limit|left in the panel's window/.test(l))).toBe(true);
    expect(hub.store.sites.find((s) => s.domain === 'cf.example.com')?.cloudflare_account_id).toBe(
      hub.store.cloudflare[0]?.id,
    );
  });

  it('a bulk chunk whose answer is lost is looked up: rows that took effect are not sent again', async () => {
    server.seedSites(1);
    const csv = sitesCsv(3);
    server.loseAnswerNext('POST', '/sites/bulk');
    const lost = await applyAndWait(await driver.bulkSites.planCreate(csv));
    expect(lost.state).toBe('succeeded');
    expect(server.log.filter((r) => r.path === '/sites/bulk')).toHaveLength(1);
    expect(lost.steps.find((s) => s.id === 'chunk-1')?.log).toContain(
      'The bulk answer was lost: 3 of the rows took effect; nothing to send again.',
    );
    // A 502 from a proxy in front: the hub never saw it, so the lookup finds nothing and the rows go once more.
    server.failNext('POST', '/sites/bulk', 502);
    const retried = await applyAndWait(
      await driver.bulkSites.planCreate('domain\nnext-1.example.com\nnext-2.example.com\n'),
    );
    expect(retried.state).toBe('succeeded');
    expect(server.log.filter((r) => r.path === '/sites/bulk').map((r) => r.status)).toEqual([null, 502, 200]);
    expect(retried.steps.find((s) => s.id === 'verify')?.log).toContain(
      '2 created, 0 failed, 0 rejected before sending',
    );
    expect(server.store.effects.filter((e) => e.startsWith('site.create'))).toHaveLength(5);
  });

  it('rejects hostile names before sending anything (the server log shows none arrived)', async () => {
    const canary = '/tmp/helperWF-canary';
    const names = hostileNames(canary);
    const withCanary = names.filter((n) => n.includes('helperWF'));
    await driver.sites.list(); // signed in: the log below only grows by what a write would send
    const attempts: [string, () => unknown][] = [];
    for (const n of names) {
      attempts.push(
        [`site ${n}`, () => driver.sites.planCreate(site(n))],
        [`resource site ${n}`, () => driver.resources.planCreate('sites', { domain: n })],
        [`delete ${n}`, () => driver.sites.planDelete(n, true)],
        [`bulk ${n}`, () => driver.bulkSites.planCreate(`domain\n"${n.replace(/"/g, '""')}"\n`)],
      );
    }
    for (const n of withCanary) {
      attempts.push(
        [`brand ${n}`, () => driver.resources.planCreate('sites', { domain: 'ok.example.com', brand_name: n })],
        [`id ${n}`, () => driver.resources.planDelete('sites', n)],
        [`action ${n}`, () => driver.resources.planAction('alerts', n, 'acknowledge')],
        [
          `server ${n}`,
          () => driver.resources.planCreate('servers', { name: n, ip_address: '192.0.2.1', type: 'vultr' }),
        ],
        [
          `cf ${n}`,
          () =>
            driver.resources.planCreate('cloudflare-accounts', {
              email: 'a@example.com',
              account_nickname: n,
              api_token: 't',
            }),
        ],
        [`patch ${n}`, () => driver.resources.planPatchSite('abc', { brand_name: n })],
      );
    }
    const before = server.log.length;
    const accepted: string[] = [];
    for (const [label, make] of attempts) {
      try {
        await make();
        accepted.push(label);
      } catch (e) {
        if ((e as AppError).code !== 'VALIDATION') accepted.push(`${label}: ${(e as AppError).code}`);
      }
    }
    expect(accepted).toEqual([]);
    await driver.sites.list(); // a later marker on the same stream
    expect(trail(server, before)).toEqual(['GET /sites/ 200']);
    expect(server.log.some((r) => r.body.includes('helperWF') || r.path.includes('helperWF'))).toBe(false);
  });

  it('keeps secrets out of rows, plans, the journal and the logs (credential writes and the Cloudflare import)', async () => {
    const secrets = [
      'cf-token-SECRET-0001',
      'reg-key-SECRET-0002',
      'reg-secret-SECRET-0003',
      'infra-pw-SECRET-0004',
      'cf-token-SECRET-0005',
    ];
    const plans = [
      await driver.resources.planCreate('cloudflare-accounts', {
        email: 'ops+cf@example.com',
        account_nickname: 'CF_Ops',
        api_token: secrets[0],
      }),
      await driver.resources.planCreate('registrars', {
        provider: 'namecheap',
        api_user: 'ops',
        api_key: secrets[1],
        api_secret: secrets[2],
        client_ip: '192.0.2.10',
      }),
      await driver.resources.planCreate('infrastructure', {
        service: 'matomo',
        url: 'https://analytics.example.com',
        username: 'admin',
        password: secrets[3],
      }),
      await driver.resources.planCreate('cloudflare-import', {
        csv: `email,account_nickname,api_token,cloudflare_account_id\r\nuser+cf9@example.com,CF_Batch_9,${secrets[4]},def789\r\n`,
      }),
    ];
    const planText = JSON.stringify(plans.map((p) => [p.title, p.commands, p.params]));
    for (const s of [...secrets, HUB_PASSWORD]) expect(planText).not.toContain(s);
    expect(plans[1]?.commands[0]).toContain('"api_key":"••••••••","api_secret":"••••••••"');
    const ops = [];
    for (const p of plans) ops.push(await applyAndWait(p));
    expect(ops.map((o) => o.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(ops[3]?.steps[0]?.log).toContain('Website Factory: imported 1, failed 0');
    // The hub got them (the writes were real) …
    expect(server.store.cloudflare.map((a) => a['api_token'])).toEqual([secrets[0], secrets[4]]);
    expect(server.store.registrars[0]?.['api_key']).toBe(secrets[1]);
    // … and nothing PanelDeck shows or keeps has them.
    const rows = [];
    for (const k of ['cloudflare-accounts', 'registrars', 'infrastructure', 'cloudflare-import'])
      rows.push(await allRows(driver, k));
    const shown = JSON.stringify([rows, ops, h.logs, h.seen]);
    for (const s of [...secrets, HUB_PASSWORD]) expect(shown).not.toContain(s);
    expect(rows[1]?.rows[0]?.cells).toMatchObject({ provider: 'namecheap', api_key: deviations ? '••••••••' : null });
    const bad = await failure(
      driver.resources.planCreate('cloudflare-import', {
        csv: 'email,account_nickname,api_token\nnot-an-email,CF_X,tok\nok@example.com,CF_Y,tok\n',
      }),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toContain('line 2: email');
  });
});

describe('Website Factory driver and a self-signed hub (HTTPS, openssl certificate)', () => {
  it('the sign-in is the first contact: it asks to trust the fingerprint; a changed certificate is refused', async () => {
    const first = selfSignedCert();
    const server = await startWebsiteFactoryServer({ tls: first });
    const hostPort = `127.0.0.1:${server.port}`;
    const pins: Record<string, string> = {};
    const driver = driverFor(server, { pins: { get: (k) => pins[k] ?? null } });
    try {
      const unknown = await failure(driver.sites.list());
      expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
      expect(unknown.details).toMatchObject({ kind: 'tls', hostPort, fingerprint: first.fingerprint });
      expect(server.log).toEqual([]); // not even the password left
      pins[hostPort] = first.fingerprint; // the user trusted it
      expect(await driver.sites.list()).toEqual([]);
      server.setCert(selfSignedCert());
      const fresh = driverFor(server, { pins: staticPins(pins) });
      try {
        const changed = await failure(fresh.sites.list());
        expect(changed.code).toBe('HOST_KEY_CHANGED');
        expect(changed.details?.['expected']).toBe(first.fingerprint);
      } finally {
        await fresh.close();
      }
      expect(trail(server)).toEqual(['POST /auth/token 200', 'GET /sites/ 200']);
    } finally {
      await driver.close();
      await server.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloudPanelApiDriver, type CloudPanelApiDriver } from '../../src/main/drivers/cloudpanel-api';
import { staticPins } from '../../src/main/drivers/http';
import type { Plan } from '../../src/main/operations/operation.types';
import type { SiteCreate } from '../../src/shared/contract/sites.contract';
import type { AppError } from '../../src/shared/errors';
import { hostileNames } from '../support/hostile-names';
import {
  applyAndWait as applyAndWaitIn,
  closeInOrder,
  FAST_POLL,
  FAST_RETRY,
  failure,
} from '../support/panel-test-kit';
import { harness, type Harness } from '../unit/operations/helpers';
import { startCloudPanelServer, type CloudPanelServer } from './panels/cloudpanel-api-server';
import { selfSignedCert } from './panels/tls-cert';

const ADMIN = 'cp_admin_test_key';
const USER = 'cp_user_test_key';
const SERVER_ID = 'srv-cloudpanel';

function site(domain: string, extra: Partial<SiteCreate> = {}): SiteCreate {
  return { serverId: SERVER_ID, kind: 'static', domain, aliases: [], dryRun: false, ...extra } as SiteCreate;
}

function driverFor(server: CloudPanelServer, apiKey = ADMIN): CloudPanelApiDriver {
  return createCloudPanelApiDriver({
    serverId: SERVER_ID,
    baseUrl: server.url,
    apiKey,
    retry: FAST_RETRY,
    poll: FAST_POLL,
  });
}

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('CloudPanel API driver against the loopback CloudPanel server (%s)', (_mode, deviations) => {
  let server: CloudPanelServer;
  let driver: CloudPanelApiDriver;
  let h: Harness;
  const extra: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    server = await startCloudPanelServer({ deviations });
    driver = driverFor(server);
    h = await harness();
  });
  afterEach(() => closeInOrder(...extra.splice(0), driver, h, server));

  const applyAndWait = (plan: Plan) => applyAndWaitIn(h, plan);

  it('checks the key: admin key, user key (users 403 explained), wrong key', async () => {
    server.seedSites(3);
    expect(await driver.api.identify()).toEqual({ role: 'admin', sites: 3 });
    expect((await driver.probe()).privileged).toBe(true);
    const user = driverFor(server, USER);
    extra.push(user);
    expect(await user.api.identify()).toEqual({ role: 'user', sites: 3 });
    const e = await failure(user.api.listUsers());
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe('CloudPanel: This endpoint requires an admin API key');
    const wrong = driverFor(server, 'cp_wrong_key');
    extra.push(wrong);
    const w = await failure(wrong.sites.list());
    expect(w.code).toBe('AUTH_FAILED');
    expect(w.message).toBe('CloudPanel: Invalid API key');
  });

  it('lists sites page by page to the end (263 sites), with the documented rate-limit headers', async () => {
    server.seedSites(263);
    const sites = await driver.sites.list();
    expect(sites).toHaveLength(263);
    expect(new Set(sites.map((s) => s.domain)).size).toBe(263);
    expect(sites[0]).toMatchObject({ source: 'cloudpanel-api', kind: 'php', phpVersion: '8.2', serverId: SERVER_ID });
    const gets = server.log.filter((r) => r.path === '/api/v1/sites');
    expect(gets.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(driver.api.http.rateLimit).toMatchObject({ limit: 100, remaining: 97 });
  });

  it('creates and deletes a site through the operations engine, polling the queued operation with progress lines', async () => {
    const created = await applyAndWait(await driver.sites.planCreate(site('shop.example.com', { kind: 'php' })));
    expect(created.state).toBe('succeeded');
    const wait = created.steps.find((s) => s.id === 'wait');
    expect(wait?.log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/operation \d+: running/),
        expect.stringMatching(/operation \d+: completed/),
      ]),
    );
    expect(server.effects).toEqual(['site.create shop.example.com']);
    const posted = server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/sites');
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0]?.body ?? '{}')).toMatchObject({
      domainName: 'shop.example.com',
      type: 'php',
      phpVersion: '8.2',
    });
    expect(posted[0]?.status).toBe(deviations ? 200 : 202);
    expect((await driver.sites.list()).map((s) => s.domain)).toEqual(['shop.example.com']);

    const deleted = await applyAndWait(await driver.sites.planDelete('shop.example.com', true));
    expect(deleted.state).toBe('succeeded');
    expect(server.effects).toEqual(['site.create shop.example.com', 'site.delete shop.example.com']);
    expect(await driver.sites.list()).toEqual([]);
  });

  it('a queued operation that fails fails the journal step with the panel worker message', async () => {
    server.failNextOperation('site.create', 'nginx reload failed');
    const op = await applyAndWait(await driver.sites.planCreate(site('broken.example.com')));
    expect(op.state).not.toBe('succeeded');
    const wait = op.steps.find((s) => s.id === 'wait');
    expect(wait?.error).toContain('nginx reload failed');
    expect(wait?.log.join('\n')).toContain('failed (nginx reload failed)');
    expect(await driver.sites.list()).toEqual([]);
  });

  it.each(['documented', 'string', 'object'] as const)(
    'maps the %s error envelope to a typed error with the panel message (409 and 422 with fields)',
    async (style) => {
      server.errorStyle = style;
      server.seedSites(1);
      const dup = await failure(
        driver.api.queue('POST', '/api/v1/sites', { domainName: 'site-0001.example.com', type: 'php' }),
      );
      expect(dup.code).toBe('CONFLICT');
      expect(dup.message).toBe('CloudPanel: Site site-0001.example.com already exists');
      const bad = await failure(
        driver.api.queue('POST', '/api/v1/sites', { domainName: 'ok.example.com', type: 'perl' }),
      );
      expect(bad.code).toBe('VALIDATION');
      expect(bad.message).toBe('CloudPanel: Validation failed');
      if (style !== 'string') {
        expect(bad.details?.['fields']).toEqual([
          { field: 'type', message: 'Must be one of php, nodejs, python, static, reverse-proxy' },
        ]);
        expect(bad.details?.['panelCode']).toBe('VALIDATION_ERROR');
      }
    },
  );

  it('a 429 with Retry-After is honoured and the server logs exactly one create for the POST', async () => {
    const plan = await driver.sites.planCreate(site('limited.example.com'));
    server.throttleFor(1000);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/sites');
    expect(posts.map((r) => r.status)).toEqual([429, deviations ? 200 : 202]);
    expect(server.effects).toEqual(['site.create limited.example.com']);
    const queueLog = op.steps.find((s) => s.id === 'queue')?.log.join('\n') ?? '';
    expect(queueLog).toContain('POST /api/v1/sites: HTTP 429, trying again in 1000 ms');
  });

  it('a create whose answer is lost is looked up (it took effect) and not sent again', async () => {
    const plan = await driver.sites.planCreate(site('dropped.example.com'));
    server.loseAnswerNext('POST', '/api/v1/sites');
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(op.steps.find((s) => s.id === 'queue')?.log).toContain(
      'The create took effect despite the lost answer; not sending it again.',
    );
    expect(await driver.sites.list()).toEqual([expect.objectContaining({ domain: 'dropped.example.com' })]);
  });

  it('a POST refused by a proxy in front (502) is looked up first, then sent once more', async () => {
    const plan = await driver.sites.planCreate(site('lost.example.com'));
    // The 502 comes from a proxy in front: the panel never saw this POST, so the lookup finds nothing and the
    // create is sent once more; the one that reached the panel is the only create.
    server.failNext('POST', '/api/v1/sites', 502);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/sites');
    expect(posts.map((r) => r.status)).toEqual([502, deviations ? 200 : 202]);
    expect(op.steps.find((s) => s.id === 'queue')?.log).toContain(
      'The create did not take effect; sending it once more.',
    );
    expect(server.effects).toEqual(['site.create lost.example.com']);
  });

  it('slows down ahead of a small configured limit instead of hitting 429 (500 sites, 3 requests per second)', async () => {
    const small = await startCloudPanelServer({ deviations, rateLimit: { max: 3, windowMs: 1000 } });
    const events: string[] = [];
    const d = createCloudPanelApiDriver({
      serverId: SERVER_ID,
      baseUrl: small.url,
      apiKey: ADMIN,
      onHttpEvent: (e) => events.push(e.type),
    });
    extra.push(d, small);
    small.seedSites(500);
    expect(await d.sites.list()).toHaveLength(500);
    expect(small.log.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(events).toContain('pace');
  });

  it('databases with their users, users (admin key) and certificates: queued, polled, listed', async () => {
    server.seedSites(1);
    const log: string[] = [];
    const api = driver.api;
    const db = await api.queue('POST', '/api/v1/databases', {
      name: 'shop_db',
      siteId: 1,
      user: { username: 'shop_user', password: 'a-long-password' },
    });
    await api.waitFor(db, (l) => log.push(l));
    expect(await api.listDatabases()).toEqual([
      { id: 1, name: 'shop_db', siteId: 1, users: [{ username: 'shop_user' }], status: 'active' },
    ]);
    const cert = await api.queue('POST', '/api/v1/certificates', { siteId: 1, type: 'letsencrypt' });
    await api.waitFor(cert, (l) => log.push(l));
    const renew = await api.queue('POST', '/api/v1/certificates/1/renew');
    await api.waitFor(renew, (l) => log.push(l));
    expect(await api.listCertificates()).toEqual([expect.objectContaining({ id: 1, siteId: 1, type: 'letsencrypt' })]);
    expect(server.effects).toEqual([
      'database.create shop_db',
      'certificate.install site-0001.example.com letsencrypt',
      'certificate.renew 1',
    ]);
    expect(log.filter((l) => l.endsWith(': completed'))).toHaveLength(3);
    await api.http.request({
      method: 'POST',
      path: '/api/v1/users',
      json: { username: 'ops', email: 'ops@example.com' },
    });
    expect((await api.listUsers()).map((u) => u['username'])).toEqual(['admin', 'ops']);
    const weak = await failure(
      api.queue('POST', '/api/v1/databases', { name: 'x', siteId: 1, user: { username: 'u', password: 'short' } }),
    );
    expect(weak.details?.['fields'] ?? 'string-style').toEqual(
      server.errorStyle === 'string'
        ? 'string-style'
        : [{ field: 'user.password', message: 'Password must be at least 8 characters' }],
    );
  });

  it('a 5xx on a GET is retried', async () => {
    server.seedSites(2);
    server.failNext('GET', '/api/v1/sites', 503, 2);
    expect(await driver.sites.list()).toHaveLength(2);
    expect(server.log.filter((r) => r.path === '/api/v1/sites').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('rejects hostile names before sending anything (the server log shows none arrived)', async () => {
    const names = hostileNames('/tmp/helperK-cp-canary');
    let refused = 0;
    for (const n of names) {
      for (const make of [
        () => driver.sites.planCreate(site(n)),
        () => driver.sites.planCreate(site('ok.example.com', { root: n })),
        () => driver.sites.planCreate(site('ok.example.com', { systemUser: n })),
        () => driver.sites.planCreate(site('ok.example.com', { kind: 'proxy', upstream: n })),
        () => driver.sites.planDelete(n, true),
      ]) {
        const before = server.log.length;
        try {
          await make();
        } catch (e) {
          expect((e as AppError).code).toBe('VALIDATION');
          expect(server.log.length).toBe(before);
          refused++;
        }
      }
    }
    // Every hostile domain is refused (and the other fields at least once each).
    expect(refused).toBeGreaterThanOrEqual(names.length * 2);
    await driver.sites.list(); // a later marker on the same stream
    expect(server.log.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(server.log.every((r) => !r.body.includes('helperK-cp-canary') && !r.path.includes('canary'))).toBe(true);
  });
});

describe('CloudPanel API driver and a self-signed panel (HTTPS, openssl certificate)', () => {
  it('first contact asks to trust the fingerprint; the pinned one works; a changed certificate is refused', async () => {
    const first = selfSignedCert();
    const server = await startCloudPanelServer({ tls: first });
    const hostPort = `127.0.0.1:${server.port}`;
    const pins: Record<string, string> = {};
    const driver = createCloudPanelApiDriver({
      serverId: SERVER_ID,
      baseUrl: server.url,
      apiKey: ADMIN,
      pins: { get: (k) => pins[k] ?? null },
    });
    try {
      const unknown = await failure(driver.sites.list());
      expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
      expect(unknown.details).toMatchObject({ kind: 'tls', hostPort, fingerprint: first.fingerprint });
      pins[hostPort] = first.fingerprint; // the user trusted it
      expect(await driver.sites.list()).toEqual([]);
      server.setCert(selfSignedCert());
      const fresh = createCloudPanelApiDriver({
        serverId: SERVER_ID,
        baseUrl: server.url,
        apiKey: ADMIN,
        pins: staticPins(pins),
      });
      try {
        const changed = await failure(fresh.sites.list());
        expect(changed.code).toBe('HOST_KEY_CHANGED');
        expect(changed.details?.['expected']).toBe(first.fingerprint);
      } finally {
        await fresh.close();
      }
      expect(server.log).toHaveLength(1);
    } finally {
      await driver.close();
      await server.close();
    }
  });
});

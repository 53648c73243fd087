import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGhostCpDriver, type GhostCpDriver, type GhostCpDriverOptions } from '../../src/main/drivers/ghostcp';
import { idText } from '../../src/main/drivers/ghostcp/ghostcp.client';
import { staticPins } from '../../src/main/drivers/http';
import type { HttpEvent } from '../../src/main/drivers/http';
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
import { GHOST_ACCOUNTS, startGhostCpServer, type GhostCpServer } from './panels/ghostcp-server';
import { totp } from './panels/ghostcp-totp';
import { selfSignedCert } from './panels/tls-cert';

const PANEL_ID = 'panel-ghostcp';
const ALL = { page: 1, pageSize: 50, search: null } as const;

function site(domain: string, extra: Partial<SiteCreate> = {}): SiteCreate {
  return { serverId: PANEL_ID, kind: 'php', domain, aliases: [], dryRun: false, ...extra } as SiteCreate;
}

function driverFor(
  server: GhostCpServer,
  account: { username: string; password: string } = GHOST_ACCOUNTS.admin,
  extra: Partial<GhostCpDriverOptions> = {},
): GhostCpDriver {
  return createGhostCpDriver({
    panelId: PANEL_ID,
    baseUrl: server.url,
    username: account.username,
    secret: account.password,
    pins: staticPins(),
    retry: FAST_RETRY,
    poll: FAST_POLL,
    ...extra,
  });
}

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('GhostCP driver against the loopback GhostCP server (%s)', (_mode, deviations) => {
  let server: GhostCpServer;
  let driver: GhostCpDriver;
  let h: Harness;
  const extra: { close(): Promise<void> }[] = [];
  const created = deviations ? 200 : 201;

  beforeEach(async () => {
    server = await startGhostCpServer({ deviations });
    driver = driverFor(server);
    h = await harness();
  });
  afterEach(() => closeInOrder(...extra.splice(0), driver, h, server));

  const applyAndWait = (plan: Plan) => applyAndWaitIn(h, plan);

  const logins = () => server.log.filter((r) => r.path === '/api/v1/auth/login');

  it('signs in with 2FA: needsOtp without a code, then the code works (identity, role, version)', async () => {
    const events: HttpEvent[] = [];
    const secure = driverFor(server, GHOST_ACCOUNTS.otp, { onHttpEvent: (e) => events.push(e) });
    extra.push(secure);
    const asked = await failure(secure.identify());
    expect(asked.code).toBe('AUTH_FAILED');
    expect(asked.details?.['needsOtp']).toBe(true);
    expect(asked.message).toBe(
      deviations
        ? 'GhostCP refused the sign-in: check the username and password; if the account uses two-factor authentication, enter its code.'
        : 'GhostCP: Two-factor authentication code required',
    );
    const who = await secure.identify({ otp: totp(GHOST_ACCOUNTS.otp.totpSecret, server.now()) });
    expect(who).toEqual({
      identity: 'secure (secure@example.com)',
      role: 'admin',
      version: '0.1.0',
      supports: expect.arrayContaining(['sites', 'users', 'dns', 'backups']) as string[],
    });
    expect(logins().map((r) => r.status)).toEqual([401, 200]);
    // The code's sign-in is not held back by the small sign-in window (5 a minute) it has plenty of room in.
    expect(events.filter((e) => e.type === 'pace')).toEqual([]);
    const sent = JSON.parse(logins()[1]?.body ?? '{}') as Record<string, unknown>;
    expect(sent[deviations ? 'totp_code' : 'two_factor_code']).toMatch(/^\d{6}$/);
    expect((await secure.probe()).privileged).toBe(true);
    // A wrong code is refused again with needsOtp (the UI asks once more).
    const again = driverFor(server, GHOST_ACCOUNTS.otp);
    extra.push(again);
    const wrong = await failure(
      again.identify({ otp: '000000' === totp(GHOST_ACCOUNTS.otp.totpSecret, server.now()) ? '111111' : '000000' }),
    );
    expect(wrong.code).toBe('AUTH_FAILED');
    expect(wrong.message).toBe(
      deviations
        ? 'GhostCP refused the sign-in: the username, password or two-factor code is wrong.'
        : 'GhostCP: Invalid two-factor authentication code',
    );
  });

  it('refreshes the token before it expires (POST /auth/refresh) and keeps working without signing in again', async () => {
    let ahead = 0;
    const d = driverFor(server, GHOST_ACCOUNTS.admin, { now: () => Date.now() + ahead });
    extra.push(d);
    await d.resources.list('users', ALL);
    const first = server.log.at(-1)?.headers.authorization;
    ahead = 3600_000 - 10_000; // 10 s before the hour-long token runs out, by the driver's clock
    await d.resources.list('users', ALL);
    const second = server.log.at(-1)?.headers.authorization;
    expect(second).not.toBe(first);
    expect(server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/auth/login 200',
      'GET /api/v1/users 200',
      'POST /api/v1/auth/refresh 200',
      'GET /api/v1/users 200',
    ]);
  });

  it('an expired token is renewed mid-session without the caller noticing; a second 401 is a clear error', async () => {
    const events: HttpEvent[] = [];
    const d = driverFor(server, GHOST_ACCOUNTS.admin, { onHttpEvent: (e) => events.push(e) });
    extra.push(d);
    server.seed('users', 5);
    expect((await d.resources.list('users', ALL)).items).toHaveLength(8);
    server.advanceClock(2 * 3600_000); // the panel's clock passes the token's expiry
    expect((await d.resources.list('users', ALL)).items).toHaveLength(8);
    expect(server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/auth/login 200',
      'GET /api/v1/users 200',
      'GET /api/v1/users 401',
      'POST /api/v1/auth/refresh 401',
      'POST /api/v1/auth/login 200',
      'GET /api/v1/users 200',
    ]);
    expect(events.filter((e) => e.type === 'relogin')).toEqual([{ type: 'relogin', request: 'GET /api/v1/users' }]);
    server.failNext('GET', '/api/v1/users', 401, 2);
    const e = await failure(d.resources.list('users', ALL));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toMatch(/\(signing in again did not help\)\.$/);
  });

  it('follows every list to the end (≥ 250 items each), 100 a page; a table page is one request', async () => {
    server.seed('users', 260);
    const zone = server.seed('zones', 260)[0] ?? {};
    server.seed('records', 255, zone);
    const users = await driver.resources.listAll('users');
    expect(users).toHaveLength(263);
    expect(new Set(users.map((u) => u.id)).size).toBe(263);
    expect(
      server.log.filter((r) => r.path === '/api/v1/users').map((r) => [r.query.get('page'), r.query.get('limit')]),
    ).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100'],
    ]);
    expect(await driver.resources.listAll('dns-zones')).toHaveLength(260);
    const records = await driver.resources.listAll(`dns-records@${String(zone['id'])}`);
    expect(records).toHaveLength(255);
    expect(records[0]?.id).toBe(`${String(zone['id'])}/${String(server.store.records[0]?.['id'])}`);
    // Filters (role, search) and one page for the table.
    expect(await driver.resources.listAll('users', { role: 'reseller' })).toHaveLength(52);
    const found = await driver.resources.list('users', { page: 1, pageSize: 20, search: 'USER0042' });
    expect(found.items.map((u) => u.cells['username'])).toEqual(['user0042']);
    const before = server.log.length;
    const p2 = await driver.resources.list('users', { page: 2, pageSize: 50, search: null });
    expect(p2.items).toHaveLength(50);
    expect(p2.total).toBe(263);
    expect(server.log.length).toBe(before + 1);
    const big = await driver.resources.list('users', { page: 2, pageSize: 150, search: null });
    expect(big.items.map((u) => u.cells['username'])).toEqual(users.slice(150, 263).map((u) => u.cells['username']));

    const others = [
      ['web-domains', 'domains'],
      ['mail-domains', 'mail'],
      ['databases', 'databases'],
      ['ssl-certificates', 'certificates'],
      ['jobs', 'jobs'],
      ['backups', 'backups'],
    ] as const;
    for (const [kind, table] of others) {
      if (deviations) {
        const e = await failure(driver.resources.listAll(kind));
        expect(e.code).toBe('UNSUPPORTED');
        expect(e.message).toMatch(/ is not supported by this panel \(its API answers ".* - TODO"\)\.$/);
        continue;
      }
      const seeded = server.seed(table, 251);
      expect(await driver.resources.listAll(kind)).toHaveLength(seeded.length);
    }
    if (!deviations) {
      const mail = server.store.mailDomains[0] ?? {};
      server.seed('accounts', 250, mail);
      expect(await driver.resources.listAll(`mail-accounts@${String(mail['id'])}`)).toHaveLength(250);
      expect(await driver.sites.list()).toHaveLength(251);
      expect((await driver.sites.list())[0]).toMatchObject({
        source: 'ghostcp',
        kind: 'php',
        phpVersion: '8.3',
        serverId: PANEL_ID,
      });
      const running = await driver.api.all('/api/v1/jobs', 'jobs', 'System jobs', { status: 'pending,running' });
      expect(running).toEqual([]);
      expect(await driver.api.all('/api/v1/jobs', 'jobs', 'System jobs', { job_type: 'backup' })).toHaveLength(125);
    }
  });

  it('creates and deletes a site (web domain) through the operations engine', async () => {
    if (deviations) {
      // The public code's web-domain handlers are placeholders: refused while planning, nothing sent.
      const e = await failure(driver.sites.planCreate(site('shop.example.com')));
      expect([e.code, e.message]).toEqual([
        'UNSUPPORTED',
        'Web domains is not supported by this panel (its API answers "Web domains endpoint - TODO").',
      ]);
      expect(server.log.filter((r) => r.method === 'POST' && r.path !== '/api/v1/auth/login')).toEqual([]);
      return;
    }
    const plan = await driver.sites.planCreate(site('shop.example.com', { aliases: ['www.shop.example.com'] }));
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(op.steps.find((s) => s.id === 'create')?.log).toEqual(
      expect.arrayContaining([
        'Sending the create of shop.example.com',
        expect.stringMatching(/^GhostCP created web domain shop.example.com \(id .+\)$/),
      ]),
    );
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/domains');
    expect(posts.map((r) => r.status)).toEqual([created]);
    expect(JSON.parse(posts[0]?.body ?? '{}')).toMatchObject({
      domain: 'shop.example.com',
      backend_template: 'PHP-8.3',
      aliases: ['www.shop.example.com'],
    });
    expect(await driver.sites.list()).toEqual([
      expect.objectContaining({
        domain: 'shop.example.com',
        aliases: ['www.shop.example.com'],
        source: 'ghostcp',
        serverId: PANEL_ID,
      }),
    ]);
    const deleted = await applyAndWait(await driver.sites.planDelete('shop.example.com', true));
    expect(deleted.state).toBe('succeeded');
    expect(server.effects).toEqual(['domain.create shop.example.com', 'domain.delete shop.example.com']);
    expect(await driver.sites.list()).toEqual([]);
  });

  it('creates, suspends and deletes a user; creates and deletes zones, records and the rest', async () => {
    const user = await applyAndWait(
      await driver.resources.planCreate('users', {
        username: 'ops',
        email: 'ops@example.com',
        password: 'ops-password-1',
        role: 'user',
      }),
    );
    expect(user.state).toBe('succeeded');
    const row = (await driver.resources.list('users', { page: 1, pageSize: 20, search: 'ops' })).items[0];
    expect(row?.cells).toMatchObject({ username: 'ops', email: 'ops@example.com', role: 'user', is_suspended: false });
    const suspend = await applyAndWait(await driver.resources.planAction('users', row?.id ?? '', 'suspend'));
    const del = await applyAndWait(await driver.resources.planDelete('users', row?.id ?? ''));
    if (deviations) {
      expect(suspend.state).not.toBe('succeeded');
      expect(suspend.steps[0]?.error).toBe(
        'Suspending users is not supported by this panel (it answered without applying the change).',
      );
      expect(del.state).not.toBe('succeeded');
      expect(del.steps[0]?.error).toBe('Deleting users is not supported by this panel.');
      expect(server.log.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([405]);
    } else {
      expect(suspend.state).toBe('succeeded');
      expect(del.state).toBe('succeeded');
      expect(server.store.users.map((u) => u['username'])).toEqual(['admin', 'secure', 'viewer']);
    }
    expect(server.effects.filter((e) => e.startsWith('user.create'))).toEqual(['user.create ops']);

    const zone = await applyAndWait(
      await driver.resources.planCreate('dns-zones', { domain: 'example.org', dns_provider: 'local' }),
    );
    expect(zone.state).toBe('succeeded');
    const zoneId = String(server.store.zones[0]?.['id']);
    const rec = await applyAndWait(
      await driver.resources.planCreate('dns-records', {
        zone_id: zoneId,
        name: 'www',
        record_type: 'A',
        value: '192.0.2.10',
        ttl: '300',
      }),
    );
    expect(rec.state).toBe('succeeded');
    const recRow = (await driver.resources.list(`dns-records@${zoneId}`, ALL)).items[0];
    expect(recRow?.cells).toMatchObject({ name: 'www', record_type: 'A', value: '192.0.2.10', ttl: 300 });
    const recDel = await applyAndWait(await driver.resources.planDelete('dns-records', recRow?.id ?? ''));
    if (deviations) expect(recDel.steps[0]?.error).toBe('Deleting DNS records is not supported by this panel.');
    else expect(recDel.state).toBe('succeeded');

    const rest: [string, Record<string, unknown>][] = [
      ['mail-domains', { domain: 'mail.example.org' }],
      ['databases', { name: 'shop_db', type: 'postgresql' }],
      ['ssl-certificates', { domain: 'example.org', san_domains: 'www.example.org' }],
    ];
    for (const [kind, values] of rest) {
      const op = await applyAndWait(await driver.resources.planCreate(kind, values));
      if (deviations) {
        expect(op.state).not.toBe('succeeded');
        expect(op.steps[0]?.error).toMatch(/ is not supported by this panel \(its API answers ".* - TODO"\)\.$/);
        continue;
      }
      expect(op.state).toBe('succeeded');
      const item = (await driver.resources.list(kind, ALL)).items[0];
      const gone = await applyAndWait(await driver.resources.planDelete(kind, item?.id ?? ''));
      expect(gone.state).toBe('succeeded');
    }
    if (!deviations) {
      const mail = await applyAndWait(
        await driver.resources.planCreate('mail-domains', { domain: 'mail.example.net' }),
      );
      expect(mail.state).toBe('succeeded');
      const mailId = String(server.store.mailDomains[0]?.['id']);
      const box = await applyAndWait(
        await driver.resources.planCreate(`mail-accounts@${mailId}`, {
          username: 'info',
          password: 'mailbox-pass-1',
          forward_to: 'a@example.net',
        }),
      );
      expect(box.state).toBe('succeeded');
      expect(JSON.stringify(box)).not.toContain('mailbox-pass-1');
      const cert = await applyAndWait(
        await driver.resources.planCreate('ssl-certificates', { domain: 'renew.example.org' }),
      );
      expect(cert.state).toBe('succeeded');
      const certRow = (await driver.resources.list('ssl-certificates', ALL)).items[0];
      const renew = await applyAndWait(
        await driver.resources.planAction('ssl-certificates', certRow?.id ?? '', 'renew'),
      );
      expect(renew.state).toBe('succeeded');
      expect(renew.steps[0]?.log.join('\n')).toMatch(/GhostCP renewed renew\.example\.org, valid until /);
      expect(server.effects).toEqual(
        expect.arrayContaining([
          'mail.create mail.example.org',
          'database.create shop_db',
          'database.delete shop_db',
          'mailbox.create info@mail.example.net',
          'certificate.renew renew.example.org',
        ]),
      );
    }
  });

  it('maps each error envelope to a typed error with the panel message (400, 401, 403, 404, 422 with fields, 500, 429)', async () => {
    const e400 = await failure(
      driver.api.create('/api/v1/dns', { domain: 'example.org', dns_provider: 'cloudflare' }, 'DNS zones'),
    );
    expect([e400.code, e400.message]).toEqual(['VALIDATION', "GhostCP: DNS provider 'cloudflare' not available"]);

    const wrong = driverFor(server, { username: 'admin', password: 'not-the-password' });
    extra.push(wrong);
    const e401 = await failure(wrong.identify());
    expect(e401.code).toBe('AUTH_FAILED');
    expect(e401.message).toBe(
      deviations
        ? 'GhostCP refused the sign-in: check the username and password; if the account uses two-factor authentication, enter its code.'
        : 'GhostCP: Invalid username or password',
    );

    const viewer = driverFor(server, GHOST_ACCOUNTS.user);
    extra.push(viewer);
    if (!deviations) {
      const e403 = await failure(viewer.resources.list('users', ALL));
      expect([e403.code, e403.message]).toEqual(['AUTH_FAILED', 'GhostCP: Forbidden']);
    }

    const e404 = await failure(
      driver.api.update('/api/v1/users/00000000-0000-4000-8000-00000000ffff', { email: 'x@example.com' }, 'Users'),
    );
    expect([e404.code, e404.message]).toEqual(['NOT_FOUND', 'GhostCP: Resource not found']);

    const e422 = await failure(
      driver.api.create(
        '/api/v1/users',
        { username: 'admin', email: 'admin@example.com', password: 'long-enough-1' },
        'Users',
      ),
    );
    expect(e422.code).toBe('VALIDATION');
    if (deviations) expect(e422.message).toBe('GhostCP: Username or email already exists');
    else {
      expect(e422.message).toBe('GhostCP: Validation failed');
      expect(e422.details?.['fields']).toEqual([
        { field: 'username', message: 'Username already exists' },
        { field: 'email', message: 'Email already exists' },
      ]);
      expect(e422.details?.['field']).toBe('username');
    }

    server.failNext('GET', '/api/v1/dns', 500);
    const e500 = await failure(driver.resources.list('dns-zones', ALL));
    expect(e500.message).toBe('GhostCP: Database error: pool timed out while waiting for an open connection');
    expect(e500.details?.['status']).toBe(500);

    server.throttleFor(120_000);
    const e429 = await failure(driver.resources.list('dns-zones', ALL));
    expect(e429.code).toBe('RATE_LIMITED');
    expect(e429.message).toBe(
      deviations
        ? 'GhostCP answered HTTP 429 to GET /api/v1/dns. (it asks to wait 120 s).'
        : 'GhostCP: Too many requests (it asks to wait 120 s).',
    );
  });

  it('a 429 with Retry-After is honoured and the server logs exactly one create for the POST', async () => {
    await driver.identify();
    const plan = await driver.resources.planCreate('dns-zones', { domain: 'limited.example.com' });
    server.throttleFor(1000);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    const posts = server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/dns');
    expect(posts.map((r) => r.status)).toEqual([429, created]);
    expect(server.effects).toEqual(['zone.create limited.example.com']);
    expect(op.steps.find((s) => s.id === 'create')?.log.join('\n')).toContain(
      'POST /api/v1/dns: HTTP 429, trying again in 1000 ms',
    );
  });

  it('a create whose answer is lost is looked up (it took effect) and not sent again', async () => {
    const plan = await driver.resources.planCreate('users', {
      username: 'dropped',
      email: 'dropped@example.com',
      password: 'dropped-pass-1',
    });
    server.loseAnswerNext('POST', '/api/v1/users');
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/users')).toHaveLength(1);
    expect(op.steps.find((s) => s.id === 'create')?.log).toContain(
      'The create took effect despite the lost answer; not sending it again.',
    );
    expect(server.effects).toEqual(['user.create dropped']);
  });

  it('a 5xx on a GET is retried', async () => {
    server.failNext('GET', '/api/v1/dns', 503, 2);
    expect((await driver.resources.list('dns-zones', ALL)).items).toEqual([]);
    expect(server.log.filter((r) => r.path === '/api/v1/dns').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('follows a running system job to its end with progress in the step log; a failed job fails the step', async () => {
    const plan = await driver.resources.planCreate('jobs', { job_type: 'backup', backup_type: 'incremental' });
    const op = await applyAndWait(plan);
    if (deviations) {
      expect(op.steps[0]?.error).toBe(
        'System jobs is not supported by this panel (its API answers "Create system job - TODO").',
      );
      return;
    }
    expect(op.state).toBe('succeeded');
    const id = String(server.store.jobs[0]?.['id']);
    expect(op.steps.find((s) => s.id === 'follow')?.log).toEqual([
      `job ${id}: Starting backup`,
      `GhostCP job ${id}: running`,
      `job ${id}: Step 1 of 3: backup in progress`,
      `job ${id}: Step 2 of 3: backup in progress`,
      `job ${id}: Step 3 of 3: backup in progress`,
      `job ${id}: backup completed successfully`,
      `GhostCP job ${id}: completed`,
    ]);
    expect(
      JSON.parse(server.log.find((r) => r.method === 'POST' && r.path === '/api/v1/jobs')?.body ?? '{}'),
    ).toMatchObject({
      job_type: 'backup',
      parameters: { backup_type: 'incremental' },
    });
    server.failNextJob('dns_sync', 'zone example.org: SERVFAIL from ns1');
    const bad = await applyAndWait(await driver.resources.planCreate('jobs', { job_type: 'dns_sync' }));
    expect(bad.state).not.toBe('succeeded');
    expect(bad.steps.find((s) => s.id === 'follow')?.error).toMatch(
      /^GhostCP: job .+ failed: Error: zone example.org: SERVFAIL from ns1$/,
    );
    // A running job picked from the table is followed the same way.
    const queued = await driver.api.create('/api/v1/jobs', { job_type: 'cleanup' }, 'System jobs');
    const follow = await applyAndWait(await driver.resources.planAction('jobs', idText(queued['id']), 'follow'));
    expect(follow.state).toBe('succeeded');
    expect(follow.steps[0]?.log.at(-1)).toBe(`GhostCP job ${idText(queued['id'])}: completed`);
  });

  it('rejects hostile names before sending anything (the server log shows none arrived)', async () => {
    const canary = '/tmp/helperG-ghostcp-canary';
    const names = hostileNames(canary);
    let refused = 0;
    const attempts = (n: string): (() => Promise<unknown>)[] => [
      () => driver.sites.planCreate(site(n)),
      () => driver.sites.planCreate(site('ok.example.com', { aliases: [n] })),
      () => driver.sites.planDelete(n, true),
      () => driver.resources.planCreate('users', { username: n, email: 'a@example.com', password: 'long-enough-1' }),
      () => driver.resources.planCreate('users', { username: 'okname', email: n, password: 'long-enough-1' }),
      () => driver.resources.planCreate('web-domains', { domain: n }),
      () => driver.resources.planCreate('dns-zones', { domain: n }),
      () =>
        driver.resources.planCreate('dns-records', {
          zone_id: 'zone-1',
          name: n,
          record_type: 'A',
          value: '192.0.2.1',
        }),
      () =>
        driver.resources.planCreate('dns-records', { zone_id: n, name: 'www', record_type: 'A', value: '192.0.2.1' }),
      () =>
        driver.resources.planCreate('dns-records', { zone_id: 'zone-1', name: 'www', record_type: 'CNAME', value: n }),
      () => driver.resources.planCreate('mail-domains', { domain: n }),
      () => driver.resources.planCreate('mail-accounts', { domain_id: 'd1', username: n, password: 'long-enough-1' }),
      () => driver.resources.planCreate('databases', { name: n }),
      () => driver.resources.planCreate('ssl-certificates', { domain: n }),
      () =>
        driver.resources.planCreate('backups', {
          name: n,
          backend_type: 'local',
          bucket: 'b1',
          repository_password: 'long-enough-1',
          schedule_cron: '0 3 * * *',
        }),
      () =>
        driver.resources.planCreate('backups', {
          name: 'Nightly',
          backend_type: 'local',
          bucket: n,
          repository_password: 'long-enough-1',
          schedule_cron: '0 3 * * *',
        }),
      () => driver.resources.planDelete('users', n),
      () => driver.resources.list(`dns-records@${n}`, ALL),
    ];
    for (const n of names) {
      for (const make of attempts(n)) {
        const before = server.log.length;
        try {
          await make();
        } catch (e) {
          if (!n.includes('helperG')) continue; // a plain "a" or "localhost" may be a valid id or refused alike
          expect((e as AppError).code).toBe('VALIDATION');
          expect(server.log.length).toBe(before);
          refused++;
        }
      }
    }
    // Every hostile value that carries the canary is refused in every field.
    expect(refused).toBe(names.filter((n) => n.includes('helperG')).length * attempts('x').length);
    await driver.resources.list('users', ALL); // a later marker on the same stream
    expect(server.log.filter((r) => r.method !== 'GET' && r.path !== '/api/v1/auth/login')).toEqual([]);
    expect(
      server.log.every(
        (r) => !r.body.includes('helperG') && !r.path.includes('helperG') && !r.query.toString().includes('helperG'),
      ),
    ).toBe(true);
  });

  it('backup storage keys and repository passwords go in, are never shown in rows, the journal or the logs', async () => {
    const secrets = {
      access_key: 'AKIAEXAMPLEKEY12345',
      secret_key: 'wJalrXUtnFEMI-K7MDENG-secret',
      repository_password: 'restic-repo-pass-1',
    };
    const plan = await driver.resources.planCreate('backups', {
      name: 'Website Backup',
      backend_type: 's3',
      bucket: 'website-backups',
      region: 'us-west-2',
      schedule_cron: '0 3 * * *',
      retention_daily: '14',
      ...secrets,
    });
    expect(plan.commands.join('\n')).toContain('"secret_key":"••••"');
    const op = await applyAndWait(plan);
    const recorded = JSON.stringify([op, plan.params, plan.commands, h.logs, h.seen]);
    for (const s of Object.values(secrets)) expect(recorded).not.toContain(s);
    if (deviations) {
      expect(op.steps[0]?.error).toBe(
        'Backup configurations is not supported by this panel (its API answers "Create backup config - TODO").',
      );
      return;
    }
    expect(op.state).toBe('succeeded');
    const sent = JSON.parse(
      server.log.find((r) => r.method === 'POST' && r.path === '/api/v1/backups')?.body ?? '{}',
    ) as {
      backend_config: Record<string, string>;
      repository_password: string;
    };
    expect(sent.backend_config).toMatchObject({
      access_key: secrets.access_key,
      secret_key: secrets.secret_key,
      bucket: 'website-backups',
    });
    expect(sent.repository_password).toBe(secrets.repository_password);
    const rows = await driver.resources.listAll('backups');
    expect(rows).toEqual([
      {
        id: expect.any(String) as string,
        cells: expect.objectContaining({
          name: 'Website Backup',
          bucket: 'website-backups',
          region: 'us-west-2',
          backend_type: 's3',
        }) as object,
      },
    ]);
    for (const s of Object.values(secrets)) expect(JSON.stringify(rows)).not.toContain(s);
    expect(
      driver.resources
        .kinds()
        .find((k) => k.id === 'backups')
        ?.fields.filter((f) => f.secret)
        .map((f) => f.key),
    ).toEqual(['access_key', 'secret_key', 'repository_password']);
  });
});

describe('GhostCP driver and a self-signed panel (HTTPS, openssl certificate)', () => {
  it('first contact asks to trust the fingerprint; the pinned one works; a changed certificate is refused', async () => {
    const first = selfSignedCert();
    const server = await startGhostCpServer({ tls: first });
    const hostPort = `127.0.0.1:${server.port}`;
    const pins: Record<string, string> = {};
    const driver = driverFor(server, GHOST_ACCOUNTS.admin, { pins: { get: (k) => pins[k] ?? null } });
    try {
      const unknown = await failure(driver.identify());
      expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
      expect(unknown.details).toMatchObject({ kind: 'tls', hostPort, fingerprint: first.fingerprint });
      expect(server.log).toHaveLength(0);
      pins[hostPort] = first.fingerprint; // the user trusted it
      expect((await driver.identify()).identity).toBe('admin (admin@example.com)');
      server.setCert(selfSignedCert());
      const fresh = driverFor(server, GHOST_ACCOUNTS.admin, { pins: staticPins(pins) });
      try {
        const changed = await failure(fresh.identify());
        expect(changed.code).toBe('HOST_KEY_CHANGED');
        expect(changed.details?.['expected']).toBe(first.fingerprint);
      } finally {
        await fresh.close();
      }
      expect(server.log.map((r) => r.path)).toEqual(['/api/v1/auth/login', '/api/v1/auth/me', '/health']);
    } finally {
      await driver.close();
      await server.close();
    }
  });
});

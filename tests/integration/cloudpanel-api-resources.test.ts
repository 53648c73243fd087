import { describe, expect, it } from 'vitest';
import { USER_KEY_MESSAGE } from '../../src/main/drivers/cloudpanel-api';
import { staticPins } from '../../src/main/drivers/http';
import { PANEL_FACTORIES } from '../../src/main/drivers/panel-factories';
import type { AppError } from '../../src/shared/errors';
import { hostileNames } from '../support/hostile-names';
import {
  ADMIN,
  PANEL_ID,
  PW,
  SITE,
  USER,
  allRows,
  failure,
  panelFor,
  usePanelWorld,
} from './panels/cloudpanel-api-fixture';
import { startCloudPanelServer } from './panels/cloudpanel-api-server';
import { runPlan } from './panels/run-plan';

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('CloudPanel API as a PanelDriver against the loopback CloudPanel server (%s)', (_mode, deviations) => {
  const w = usePanelWorld(deviations);

  it('identifies an admin key and a user key, with what each supports', async () => {
    w.server.seedSites(2);
    expect(await w.driver.identify()).toEqual({
      identity: 'admin API key (2 sites)',
      role: 'admin',
      version: null,
      supports: ['sites', 'databases', 'database-users', 'users', 'certificates'],
    });
    const user = panelFor(w.server, USER);
    w.extra.push(user);
    expect(await user.identify()).toMatchObject({ role: 'user', supports: expect.not.arrayContaining(['users']) });
    expect(w.driver.resources.kinds().map((k) => k.id)).toEqual([
      'sites',
      'databases',
      'database-users',
      'users',
      'certificates',
    ]);
    expect(w.driver.capabilities).toEqual(['sites', 'databases', 'certificates']);
  });

  it('lists every resource page by page to the end (≥ 250 each), within the rate-limit headers', async () => {
    w.server.seedCertificates(255); // makes 255 sites too
    w.server.seedSites(5);
    w.server.seedDatabases(252);
    w.server.seedUsers(251);
    const expected: Record<string, number> = {
      sites: 260,
      databases: 252,
      'database-users': 252,
      users: 252,
      certificates: 255,
    };
    for (const [kind, n] of Object.entries(expected)) {
      const rows = await allRows(w.driver, kind);
      expect(rows, kind).toHaveLength(n);
      expect(new Set(rows.map((r) => r.id)).size, kind).toBe(n);
    }
    const sitePages = w.server.log.filter((r) => r.path === '/api/v1/sites').map((r) => r.query.get('page'));
    expect(sitePages).toEqual(['1', '2', '3', '4', '5', '6']);
    // A page larger than the panel's 100 is read from the panel's pages that cover it.
    const wide = await w.driver.resources.list('sites', { page: 2, pageSize: 150, search: null });
    expect(wide.items.map((r) => r.cells['domain'])).toEqual(
      Array.from({ length: 110 }, (_, i) => `site-${String(151 + i).padStart(4, '0')}.example.com`),
    );
    expect(wide.total).toBe(260);
    const found = await w.driver.resources.list('databases', { page: 1, pageSize: 50, search: 'db_0250' });
    expect(found).toEqual({
      items: [expect.objectContaining({ cells: expect.objectContaining({ name: 'db_0250' }) })],
      total: 1,
    });
    expect(w.driver.api.http.rateLimit).toMatchObject({ limit: 100, remaining: 100 - w.server.log.length });
    expect(w.server.log.every((r) => r.status === 200)).toBe(true);
  });

  it('databases and their users: create and delete round trips through the journal, with progress events', async () => {
    w.server.seedSites(1);
    const created = await w.applyAndWait(
      await w.driver.resources.planCreate('databases', {
        name: 'shop_db',
        site: SITE,
        username: 'shop_user',
        password: PW,
      }),
    );
    expect(created.state).toBe('succeeded');
    expect(created.steps.find((s) => s.id === 'wait')?.log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/operation \d+: running/),
        expect.stringMatching(/operation \d+: completed/),
      ]),
    );
    expect(w.streamed(created.id)).toEqual(expect.arrayContaining([expect.stringMatching(/operation \d+: completed/)]));
    const post = w.server.log.find((r) => r.method === 'POST' && r.path === '/api/v1/databases');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      name: 'shop_db',
      siteId: 1,
      user: { username: 'shop_user', password: PW },
    });
    const [db] = await allRows(w.driver, 'databases');
    expect(db?.cells).toMatchObject({ name: 'shop_db', users: 'shop_user', status: 'active' });

    const extraUser = await w.applyAndWait(
      await w.driver.resources.planCreate('database-users', {
        database: 'shop_db',
        username: 'shop_ro',
        password: `${PW}-ro`,
      }),
    );
    expect(extraUser.state).toBe('succeeded');
    expect((await allRows(w.driver, 'database-users')).map((r) => r.id)).toEqual([
      `${db?.id}:shop_user`,
      `${db?.id}:shop_ro`,
    ]);
    const fleet = await w.driver.databases.list('mariadb', null);
    expect(fleet.databases).toEqual([
      expect.objectContaining({
        serverId: PANEL_ID,
        name: 'shop_db',
        users: ['shop_user@localhost', 'shop_ro@localhost'],
      }),
    ]);

    const dropUser = await w.applyAndWait(await w.driver.resources.planDelete('database-users', `${db?.id}:shop_ro`));
    expect(dropUser.state).toBe('succeeded');
    const dropDb = await w.applyAndWait(await w.driver.resources.planDelete('databases', db?.id ?? ''));
    expect(dropDb.state).toBe('succeeded');
    expect(w.streamed(dropDb.id)).toEqual(expect.arrayContaining([expect.stringMatching(/operation \d+: completed/)]));
    expect(await allRows(w.driver, 'databases')).toEqual([]);
    expect(w.server.effects).toEqual([
      'database.create shop_db',
      'database.user.create shop_db shop_ro',
      'database.user.delete shop_db shop_ro',
      'database.delete shop_db',
    ]);
    // The passwords went to the panel and nowhere else: not in the journal, the preview or the app's log.
    const journal = JSON.stringify([created, extraUser].map((op) => w.h.mod.service.get(op.id)));
    expect(journal).not.toContain(PW);
    expect(created.plannedCommands.join('\n')).toContain('"password":"••••"');
    expect(w.h.logs.join('\n')).not.toContain(PW);
  });

  it('users: create and delete with an admin key; a user key is told it needs an admin key', async () => {
    const created = await w.applyAndWait(
      await w.driver.resources.planCreate('users', { username: 'ops', email: 'ops@example.com', role: 'site-manager' }),
    );
    expect(created.state).toBe('succeeded');
    expect(w.streamed(created.id)).toEqual(expect.arrayContaining([expect.stringMatching(/operation \d+: completed/)]));
    const ops = (await allRows(w.driver, 'users')).find((r) => r.cells['username'] === 'ops');
    expect(ops?.cells).toEqual({ username: 'ops', email: 'ops@example.com', role: 'site-manager' });
    const deleted = await w.applyAndWait(await w.driver.resources.planDelete('users', ops?.id ?? ''));
    expect(deleted.state).toBe('succeeded');
    expect((await allRows(w.driver, 'users')).map((r) => r.cells['username'])).toEqual(['admin']);
    expect(w.server.effects).toEqual(['user.create ops', 'user.delete ops']);

    const user = panelFor(w.server, USER);
    w.extra.push(user);
    const before = w.server.log.length;
    for (const attempt of [
      user.resources.list('users', { page: 1, pageSize: 50, search: null }),
      user.resources.planCreate('users', { username: 'eve', email: 'eve@example.com', role: 'admin' }),
      user.resources.planDelete('users', '1'),
    ]) {
      const e = await failure(attempt);
      expect(e.code).toBe('AUTH_FAILED');
      expect(e.message).toBe(USER_KEY_MESSAGE);
      expect(e.details).toMatchObject({ status: 403, needsAdminKey: true });
    }
    const tried = w.server.log.slice(before);
    expect(tried.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 403', 'GET 403', 'GET 403']);
  });

  it('sites through the resources reuse the sites capability: create and delete by row id', async () => {
    const created = await w.applyAndWait(
      await w.driver.resources.planCreate('sites', { domain: 'shop.example.com', kind: 'php', phpVersion: '8.3' }),
    );
    expect(created.state).toBe('succeeded');
    const [row] = await allRows(w.driver, 'sites');
    expect(row?.cells).toMatchObject({ domain: 'shop.example.com', type: 'php', php: '8.3', status: 'active' });
    const deleted = await w.applyAndWait(await w.driver.resources.planDelete('sites', row?.id ?? ''));
    expect(deleted.state).toBe('succeeded');
    expect(w.server.effects).toEqual(['site.create shop.example.com', 'site.delete shop.example.com']);
  });

  it('a database create whose answer is lost is looked up (it took effect) and not sent again', async () => {
    w.server.seedSites(1);
    const plan = await w.driver.resources.planCreate('databases', { name: 'lost_db', site: SITE });
    w.server.loseAnswerNext('POST', '/api/v1/databases');
    const op = await w.applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(w.server.log.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(op.steps.find((s) => s.id === 'queue')?.log).toContain(
      'The request took effect despite the lost answer; not sending it again.',
    );
    expect((await allRows(w.driver, 'databases')).map((r) => r.cells['name'])).toEqual(['lost_db']);
  });

  it("the panel's 422 comes back against the form's fields", async () => {
    w.server.seedSites(1);
    // 40 characters passes PanelDeck's rule (63) but not the panel's (32): the panel has the last word.
    const long = `u${'x'.repeat(39)}`;
    const plan = await w.driver.resources.planCreate('databases', {
      name: 'shop_db',
      site: SITE,
      username: long,
      password: PW,
    });
    const e = await failure(runPlan(plan));
    expect(e.code).toBe('VALIDATION');
    if (w.server.errorStyle === 'string') {
      expect(e.message).toBe('CloudPanel: Validation failed');
    } else {
      expect(e.details?.['fields']).toEqual([{ field: 'username', message: 'Invalid user name' }]);
      expect(e.details?.['field']).toBe('username');
      expect(e.message).toBe('CloudPanel: Validation failed (username: Invalid user name)');
    }
    const op = await w.applyAndWait(plan);
    expect(op.state).not.toBe('succeeded');
    expect(op.steps.find((s) => s.id === 'queue')?.error).toContain('CloudPanel: Validation failed');
  });

  it('rejects hostile names in every create and delete before sending (the server log shows none arrived)', async () => {
    w.server.seedSites(1);
    w.server.seedDatabases(1);
    const canary = 'helperK-cpres-canary';
    const names = hostileNames(`/tmp/${canary}`);
    let refused = 0;
    let tried = 0;
    const r = w.driver.resources;
    for (const n of names) {
      for (const make of [
        () => r.planCreate('sites', { domain: n, kind: 'static' }),
        () => r.planCreate('databases', { name: n, site: SITE }),
        () => r.planCreate('databases', { name: 'okdb', site: n }),
        () => r.planCreate('databases', { name: 'okdb', site: SITE, username: n, password: PW }),
        () => r.planCreate('database-users', { database: n, username: 'okuser', password: PW }),
        () => r.planCreate('database-users', { database: 'db_0001', username: n, password: PW }),
        () => r.planCreate('users', { username: n, email: 'ok@example.com', role: 'user' }),
        () => r.planCreate('users', { username: 'okuser', email: n, role: 'user' }),
        () => r.planCreate('certificates', { site: n, type: 'letsencrypt' }),
        () => r.planDelete('sites', n),
        () => r.planDelete('databases', n),
        () => r.planDelete('database-users', n),
        () => r.planDelete('database-users', `1:${n}`),
        () => r.planDelete('users', n),
        () => r.planDelete('certificates', n),
        () => r.planAction?.('certificates', n, 'renew') ?? Promise.resolve(),
      ]) {
        tried++;
        try {
          await make();
        } catch (e) {
          if ((e as AppError).code === 'VALIDATION') refused++;
        }
      }
    }
    // A handful of the fixed values ('a', 'localhost', '_') are fine names; everything else is refused.
    expect(refused).toBeGreaterThan(tried * 0.97);
    await r.list('sites', { page: 1, pageSize: 10, search: null }); // a later marker on the same stream
    expect(w.server.log.filter((x) => x.method !== 'GET')).toEqual([]);
    expect(w.server.log.every((x) => !x.body.includes(canary) && !decodeURIComponent(x.path).includes(canary))).toBe(
      true,
    );
    expect(w.server.log.every((x) => ![...x.query.values()].some((v) => v.includes(canary)))).toBe(true);
  });
});

describe('CloudPanel API: 100 requests per 15 minutes', () => {
  it('paces near the limit and does not send the 101st request of a window (no 429 reaches the panel)', async () => {
    const server = await startCloudPanelServer();
    const events: string[] = [];
    const factory = PANEL_FACTORIES['cloudpanel-api'];
    if (!factory) throw new Error('cloudpanel-api is not registered');
    const driver = factory({
      panelId: PANEL_ID,
      baseUrl: server.url,
      username: null,
      secret: ADMIN,
      pins: staticPins(),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      onHttpEvent: (e) => events.push(e.type),
    });
    try {
      server.seedSites(1);
      let sent = 0;
      let stop: AppError | null = null;
      while (stop === null && sent < 150) {
        try {
          await driver.resources.list('sites', { page: 1, pageSize: 10, search: null });
          sent++;
        } catch (e) {
          stop = e as AppError;
        }
      }
      expect(sent).toBe(100);
      expect(stop?.code).toBe('RATE_LIMITED');
      expect(stop?.message).toMatch(/^CloudPanel: the request limit is used up for another \d+ s\.$/);
      expect(server.log).toHaveLength(100);
      expect(server.log.every((r) => r.status === 200)).toBe(true);
      expect(events.filter((e) => e === 'pace')).toHaveLength(5);
    } finally {
      await driver.close();
      await server.close();
    }
  });
});

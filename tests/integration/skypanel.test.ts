import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticPins } from '../../src/main/drivers/http';
import type { PanelDriver } from '../../src/main/drivers/capabilities';
import { createSkyPanelDriver, SKYPANEL_ACCEPT } from '../../src/main/drivers/skypanel';
import type { Plan } from '../../src/main/operations/operation.types';
import { hostileNames } from '../support/hostile-names';
import { applyAndWait, closeInOrder, FAST_RETRY, failure } from '../support/panel-test-kit';
import { harness, type Harness } from '../unit/operations/helpers';
import { startSkyPanelServer, type SkyPanelServer } from './panels/skypanel-server';

/*
 * The SkyPANEL driver against the loopback SkyPANEL stand-in (tests/integration/panels/skypanel-server.ts), in the
 * documented API and with the public code's deviations: sign-in and re-sign-in, the versioned Accept header,
 * power actions followed until the state settles (through the operations journal), billing, the error envelope,
 * retries of GETs and rate limits, and hostile ids refused before sending.
 */

const PANEL_ID = '77777777-7777-4777-8777-777777777777';
const PASSWORD = 'sky-pass-123';

function driverFor(server: SkyPanelServer, secret = PASSWORD, username: string | null = 'admin@example.com') {
  return createSkyPanelDriver({
    panelId: PANEL_ID,
    baseUrl: server.url,
    username,
    secret,
    pins: staticPins(),
    retry: FAST_RETRY,
    poll: { intervalMs: 5, maxIntervalMs: 20 },
  });
}

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('SkyPANEL driver against the loopback SkyPANEL server (%s)', (_mode, deviations) => {
  let server: SkyPanelServer;
  let driver: PanelDriver;
  let h: Harness;

  beforeEach(async () => {
    server = await startSkyPanelServer({ deviations });
    driver = driverFor(server);
    h = await harness();
  });
  afterEach(() => closeInOrder(driver, h, server));

  const run = (plan: Plan) => applyAndWait(h, plan);

  it('signs in, says who it is, and sends the versioned Accept header on every request', async () => {
    const who = await driver.identify();
    expect(who.identity).toBe('admin@example.com');
    expect(who.role).toBe('admin');
    expect(who.version).toBe(deviations ? 'session login' : 'v1 (documented API)');
    expect(server.log.every((r) => r.headers.accept === SKYPANEL_ACCEPT)).toBe(true);
    const logins = server.log.filter((r) => r.method === 'POST' && r.path.includes('login'));
    expect(logins.map((r) => r.path)).toEqual(deviations ? ['/api/auth/login', '/api/login'] : ['/api/auth/login']);
  });

  it('an expired session is signed in again without the caller noticing', async () => {
    const first = await driver.resources.list('servers', { page: 1, pageSize: 50, search: null });
    expect(first.items).toHaveLength(3);
    server.expireSessions();
    const again = await driver.resources.list('servers', { page: 1, pageSize: 50, search: 'vps 2' });
    expect(again.items.map((r) => r.id)).toEqual(['server-2']);
    const statuses = server.log.map((r) => r.status);
    expect(statuses).toContain(401);
    expect(server.log.filter((r) => r.path.endsWith('login') && r.status === 200)).toHaveLength(2);
  });

  it('a power action names the server, is sent once, and is followed until the state settles', async () => {
    const plan = await driver.resources.planAction?.('servers', 'server-1', 'restart');
    expect(plan?.title).toBe('Restart server "VPS 1"');
    const op = await run(plan as NonNullable<typeof plan>);
    expect(op.state).toBe('succeeded');
    const log = op.steps.flatMap((s) => s.log ?? []).join('\n');
    expect(log).toContain('Server is restarting');
    expect(log).toContain('Server is running');
    expect(server.effects).toEqual([deviations ? 'restart server-1' : 'restart server-1']);
    expect(server.log.filter((r) => r.method === 'POST' && r.path.includes('/power'))).toHaveLength(1);

    const stop = await driver.resources.planAction?.('servers', 'server-2', 'stop');
    expect((await run(stop as NonNullable<typeof stop>)).state).toBe('succeeded');
    expect(server.servers.find((s) => s.id === 'server-2')?.status).toBe('stopped');
    expect(server.effects.at(-1)).toBe(deviations ? 'poweroff server-2' : 'stop server-2');
  });

  it('billing: the invoices with their total, or the public code’s balance and transactions', async () => {
    const { items } = await driver.resources.list('billing', { page: 1, pageSize: 50, search: null });
    if (deviations) {
      expect(items.map((r) => r.cells['item'])).toEqual(['Balance', 'Credit purchase', 'Server hourly usage']);
      expect(items[0]?.cells['amount']).toBe(12.5);
    } else {
      expect(items[0]?.cells).toMatchObject({ item: 'Total', amount: 29.49, status: '9.99 paid, 19.5 open' });
      expect(items.slice(1).map((r) => r.id)).toEqual(['inv_1', 'inv_2']);
    }
  });

  it("the panel's errors become typed errors with its own message; a wrong password is AUTH_FAILED", async () => {
    const bad = driverFor(server, 'wrong-password');
    try {
      const e = await failure(bad.identify());
      expect(e.code).toBe('AUTH_FAILED');
      expect(e.message).toBe(
        deviations ? 'SkyPANEL: Invalid username or password' : 'SkyPANEL: Invalid email or password',
      );
    } finally {
      await bad.close();
    }
    const plan = await driver.resources.planCreate('profile', {
      currentPassword: 'nope-nope',
      newPassword: 'n3w-pass-word',
    });
    const op = await run(plan);
    expect(op.state).toBe('rolled_back'); // failed, and nothing was left to undo
    expect(op.error).toBe(
      `Save the SkyPANEL profile failed: ${deviations ? 'Profile changes are not supported by this panel.' : 'SkyPANEL: Current password is incorrect'}`,
    );
    // The passwords never reach the journal.
    expect(JSON.stringify(op)).not.toContain('n3w-pass-word');
    expect(JSON.stringify(op)).not.toContain('nope-nope');
  });

  it('a 503 on a GET is retried; a 429 with Retry-After is waited out', async () => {
    await driver.identify();
    server.failNext('GET', deviations ? '/api/user/servers' : '/api/servers', 503, 1);
    expect((await driver.resources.list('servers', { page: 1, pageSize: 50, search: null })).items).toHaveLength(3);
    server.throttleFor(1000);
    const before = server.log.length;
    expect((await driver.resources.list('servers', { page: 1, pageSize: 50, search: null })).items).toHaveLength(3);
    const after = server.log.slice(before);
    expect(after[0]?.status).toBe(429);
    expect(after.at(-1)?.status).toBe(200);
  });

  it('hostile ids and unknown actions are refused before anything is sent', async () => {
    await driver.identify();
    const before = server.log.length;
    for (const name of hostileNames('sky-canary').slice(0, 12)) {
      const e = await failure(driver.resources.planAction?.('servers', name, 'restart') ?? Promise.resolve());
      expect(['VALIDATION', 'NOT_FOUND']).toContain(e.code);
    }
    const sent = server.log.slice(before).filter((r) => r.method !== 'GET');
    expect(sent).toEqual([]);
    expect(
      (await failure(driver.resources.planAction?.('servers', 'server-1', 'reboot') ?? Promise.resolve())).code,
    ).toBe('UNSUPPORTED');
  });
});

describe('SkyPANEL driver with an API key (public code: /api/v1)', () => {
  it('lists servers and balance with the key; power actions need a login', async () => {
    const server = await startSkyPanelServer({ deviations: true });
    const driver = driverFor(server, 'sk_test_0123456789abcdef', null);
    const h = await harness();
    try {
      expect((await driver.identify()).version).toBe('API key (/api/v1)');
      expect((await driver.resources.list('servers', { page: 1, pageSize: 50, search: null })).items).toHaveLength(3);
      expect(
        (await driver.resources.list('billing', { page: 1, pageSize: 50, search: null })).items[0]?.cells['amount'],
      ).toBe(12.5);
      const plan = await driver.resources.planAction?.('servers', 'server-1', 'start');
      const op = h.mod.service.apply(plan as NonNullable<typeof plan>);
      await h.mod.service.wait(op.id);
      expect(h.mod.service.get(op.id).error).toBe(
        'Start server "VPS 1" failed: Power actions need a SkyPANEL login, not an API key.',
      );
      expect(server.effects).toEqual([]);
      expect(server.log.some((r) => r.path.includes('login'))).toBe(false);
    } finally {
      await driver.close();
      await h.close();
      await server.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNexusPanelDriver, type NexusPanelDriver } from '../../src/main/drivers/nexuspanel';
import type { NexusPanelDriverOptions } from '../../src/main/drivers/nexuspanel';
import { staticPins } from '../../src/main/drivers/http';
import type { Plan } from '../../src/main/operations/operation.types';
import type { MetricsSample } from '../../src/main/metrics/metrics.types';
import type { AppError } from '../../src/shared/errors';
import { hostileNames } from '../support/hostile-names';
import { applyAndWait as applyAndWaitIn, closeInOrder, FAST_RETRY, failure } from '../support/panel-test-kit';
import { harness, type Harness } from '../unit/operations/helpers';
import { startNexusServer, type NexusServer } from './panels/nexuspanel-server';
import { selfSignedCert } from './panels/tls-cert';

const ADMIN_PW = 'Admin-Pass-123';
const PANEL_ID = '5d6f7a8b-0000-4000-8000-00000000a11c';

function driverFor(server: NexusServer, extra: Partial<NexusPanelDriverOptions> = {}): NexusPanelDriver {
  return createNexusPanelDriver({
    panelId: PANEL_ID,
    baseUrl: server.url,
    username: 'admin',
    secret: ADMIN_PW,
    pins: staticPins(),
    retry: FAST_RETRY,
    ...extra,
  });
}

const calls = (server: NexusServer, method: string, path: string) =>
  server.log.filter((r) => r.method === method && r.path === path);

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('NexusPanel driver against the loopback NexusPanel (%s)', (_mode, deviations) => {
  let server: NexusServer;
  let driver: NexusPanelDriver;
  let h: Harness;
  const extra: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    server = await startNexusServer({ deviations, metricsIntervalMs: 20 });
    driver = driverFor(server);
    h = await harness();
  });
  afterEach(() => closeInOrder(...extra.splice(0), driver, h, server));

  const applyAndWait = (plan: Plan) => applyAndWaitIn(h, plan);

  it('signs in, says who we are, logs out (the next call signs in again); a wrong password is refused', async () => {
    expect(await driver.identify()).toMatchObject({ identity: 'admin <admin@example.com>', role: 'admin' });
    expect((await driver.probe()).privileged).toBe(true);
    await driver.logout();
    expect(calls(server, 'POST', '/api/v1/auth/logout').map((r) => r.status)).toEqual([200]);
    server.seedServers(1);
    expect(await driver.resources.all('servers')).toHaveLength(1);
    expect(calls(server, 'POST', '/api/v1/auth/login').map((r) => r.status)).toEqual([200, 200]);
    const bearer = (r: (typeof server.log)[number]) => r.headers.authorization;
    const [first, second] = calls(server, 'POST', '/api/v1/auth/login');
    expect(first?.body).not.toBe('');
    expect(second && bearer(second)).toBeUndefined();

    const wrong = driverFor(server, { secret: 'not-the-password' });
    extra.push(wrong);
    const e = await failure(wrong.identify());
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toBe('NexusPanel: Invalid credentials (Username or password is incorrect)');
    expect(e.details?.['panelCode']).toBe('40001');
    expect(JSON.stringify(e)).not.toContain('not-the-password');
  });

  it('an access token that expires mid-session is refreshed unnoticed (after a 401, and ahead of its expiry)', async () => {
    server.seedServers(3);
    let skewMs = 0;
    const d = driverFor(server, { now: () => Date.now() + skewMs });
    extra.push(d);
    expect(await d.resources.all('servers')).toHaveLength(3);
    server.expireAccessTokens();
    expect(await d.resources.all('servers')).toHaveLength(3);
    const servers = calls(server, 'GET', '/api/v1/servers');
    expect(servers.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(calls(server, 'POST', '/api/v1/auth/refresh').map((r) => r.status)).toEqual([200]);
    // Ahead of expiry: with the clock 59 min 50 s on, the token (1 h) is renewed before the request is sent.
    skewMs = 3_590_000;
    expect(await d.resources.all('servers')).toHaveLength(3);
    skewMs = 0;
    expect(calls(server, 'GET', '/api/v1/servers').map((r) => r.status)).toEqual([200, 401, 200, 200]);
    expect(calls(server, 'POST', '/api/v1/auth/refresh').map((r) => r.status)).toEqual([200, 200]);
    expect(calls(server, 'POST', '/api/v1/auth/login')).toHaveLength(1);
  });

  it('follows every resource page by page to the end (260 of each), and serves one page with the total', async () => {
    const [first] = server.seedServers(260);
    server.seedUsers(258);
    server.seedAlerts(260);
    server.seedRules(260);
    server.seedTasks(260);
    server.seedPlugins(260);
    server.seedProcesses(first?.id ?? 1, 260);
    for (const kind of ['servers', 'users', 'alerts', 'alert-rules', 'tasks', 'processes']) {
      const rows = await driver.resources.all(kind, kind === 'processes' ? { serverId: '1' } : {});
      expect(rows, kind).toHaveLength(260);
      expect(new Set(rows.map((r) => r['id'] ?? r['pid'])).size, kind).toBe(260);
    }
    const serverPages = calls(server, 'GET', '/api/v1/servers');
    expect(serverPages.map((r) => `${r.query.get('page')}/${r.query.get('per_page')}`)).toEqual([
      '1/100',
      '2/100',
      '3/100',
    ]);
    const rules = deviations ? '/api/v1/monitoring/alert-rules' : '/api/v1/alerts/rules';
    expect(calls(server, 'GET', rules).map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    const page = await driver.resources.list('servers', { page: 3, pageSize: 100, search: null });
    expect(page.total).toBe(260);
    expect(page.items).toHaveLength(60);
    expect(page.items[0]).toEqual({
      id: '201',
      cells: expect.objectContaining({ name: 'Web Server 201', host: '10.0.0.202', sshUser: 'root', status: 'online' }),
    });
    const found = await driver.resources.list('alert-rules', { page: 1, pageSize: 50, search: 'rule 0007' });
    expect(found.items.map((r) => r.cells['name'])).toEqual(['Rule 0007']);
    if (deviations) {
      const e = await failure(driver.resources.all('plugins'));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.message).toBe('Plugin management is not supported by this panel.');
    } else {
      expect(await driver.resources.all('plugins')).toHaveLength(260);
    }
  });

  it('adds, updates, tests and deletes a server through the operations engine', async () => {
    const created = await applyAndWait(
      await driver.resources.planCreate('servers', {
        name: 'Web 01',
        host: '192.168.1.200',
        port: 2222,
        sshUser: 'deploy',
      }),
    );
    expect(created.state).toBe('succeeded');
    expect(server.effects).toEqual(['server.create Web 01']);
    const posted = calls(server, 'POST', '/api/v1/servers');
    expect(posted.map((r) => r.status)).toEqual([201]);
    expect(JSON.parse(posted[0]?.body ?? '{}')).toEqual({
      name: 'Web 01',
      host: '192.168.1.200',
      port: 2222,
      ssh_user: 'deploy',
    });
    const row = (await driver.resources.all('servers'))[0];
    const id = String(row?.['id']);

    const updated = await applyAndWait(await driver.resources.planUpdateServer(id, { name: 'Web 01b', port: 22 }));
    expect(updated.state).toBe('succeeded');
    expect(await driver.getServer(id)).toMatchObject({ name: 'Web 01b', port: 22, host: '192.168.1.200' });

    const tested = await applyAndWait(await driver.resources.planAction('servers', id, 'test-connection'));
    expect(tested.state).toBe('succeeded');
    expect(tested.steps[0]?.log).toContain('NexusPanel: connected in 45 ms (Ubuntu 22.04 LTS)');
    expect(await driver.testConnection(id)).toEqual({ connected: true, latencyMs: 45, osInfo: 'Ubuntu 22.04 LTS' });
    expect(await driver.systemInfo(id)).toMatchObject({ hostname: 'web-01b', cpuCount: 4, totalMemory: 8589934592 });

    const deleted = await applyAndWait(await driver.resources.planDelete('servers', id));
    expect(deleted.state).toBe('succeeded');
    expect(server.effects).toEqual(['server.create Web 01', `server.update ${id}`, 'server.delete Web 01b']);
    expect(await driver.resources.all('servers')).toEqual([]);
  });

  it('creates and deletes users and alert rules; acknowledges and resolves alerts (the password never in the journal)', async () => {
    const user = await applyAndWait(
      await driver.resources.planCreate('users', {
        username: 'ops-bot',
        email: 'ops@example.com',
        password: 'Very-Secret-Pw-9',
        role: 'user',
      }),
    );
    expect(user.state).toBe('succeeded');
    expect(JSON.stringify(user)).not.toContain('Very-Secret-Pw-9');
    expect(JSON.stringify(user)).not.toContain(ADMIN_PW);
    const uid = (await driver.resources.all('users')).find((u) => u['username'] === 'ops-bot')?.['id'];
    expect((await applyAndWait(await driver.resources.planDelete('users', String(uid)))).state).toBe('succeeded');

    const rule = await applyAndWait(
      await driver.resources.planCreate('alert-rules', {
        name: 'High Memory Usage',
        metric: 'memory',
        condition: 'greater_than',
        threshold: '90',
        severity: 'critical',
        enabled: true,
      }),
    );
    expect(rule.state).toBe('succeeded');
    const rid = (await driver.resources.all('alert-rules'))[0]?.['id'];
    expect((await applyAndWait(await driver.resources.planDelete('alert-rules', String(rid)))).state).toBe('succeeded');

    server.seedServers(1);
    server.seedAlerts(2);
    expect((await applyAndWait(await driver.resources.planAction('alerts', '1', 'acknowledge'))).state).toBe(
      'succeeded',
    );
    expect((await applyAndWait(await driver.resources.planAction('alerts', '2', 'resolve'))).state).toBe('succeeded');
    const alerts = await driver.resources.list('alerts', { page: 1, pageSize: 50, search: null });
    expect(alerts.items.map((a) => a.cells['status'])).toEqual(['acknowledged', 'resolved']);
    expect(server.effects).toEqual([
      'user.create ops-bot',
      'user.delete ops-bot',
      'rule.create High Memory Usage',
      'rule.delete High Memory Usage',
      'alert.acknowledge 1',
      'alert.resolve 2',
    ]);
    const prefix = deviations ? '/api/v1/monitoring/alerts' : '/api/v1/alerts';
    expect(calls(server, 'POST', `${prefix}/1/acknowledge`).map((r) => r.status)).toEqual([200]);
  });

  it('maps each error envelope to a typed error with the panel message', async () => {
    server.seedServers(1);
    const operator = driverFor(server, { username: 'operator', secret: 'Operator-Pass-123' });
    extra.push(operator);
    const cases: [() => Promise<unknown>, string, string, string][] = [
      [() => operator.resources.all('users'), 'AUTH_FAILED', 'NexusPanel: Insufficient permissions', '40301'],
      [() => driver.getServer('999'), 'NOT_FOUND', 'NexusPanel: Server not found', '40401'],
      [
        () =>
          driver.api.post('/api/v1/servers', 'server', { name: 'Web Server 001', host: '10.0.0.9' }, 'Adding a server'),
        'CONFLICT',
        'NexusPanel: Server name already exists',
        '40901',
      ],
      [
        () => driver.api.post('/api/v1/servers', 'server', { name: 'ok', host: 'bad host!' }, 'Adding a server'),
        'VALIDATION',
        'NexusPanel: Validation error',
        '42201',
      ],
    ];
    for (const [p, code, message, panelCode] of cases) {
      const e = await failure(p());
      expect({ code: e.code, message: e.message, panelCode: e.details?.['panelCode'] }).toEqual({
        code,
        message,
        panelCode,
      });
    }
    const bad = await failure(
      driver.api.post('/api/v1/servers', 'server', { name: 'ok', host: 'bad host!' }, 'Adding a server'),
    );
    expect(bad.details?.['fields']).toEqual([{ field: 'host', message: 'Host must be a hostname or IP address' }]);

    server.failNext('GET', '/api/v1/tasks', 500);
    const internal = await failure(driver.resources.all('tasks'));
    expect([internal.code, internal.message, internal.details?.['panelCode']]).toEqual([
      'CONNECTION_FAILED',
      'NexusPanel: Internal server error',
      '50001',
    ]);
    server.failNext('GET', '/api/v1/tasks', 503, 4);
    const unavailable = await failure(driver.resources.all('tasks'));
    expect([unavailable.code, unavailable.message]).toEqual(['CONNECTION_FAILED', 'NexusPanel: Service unavailable']);
    server.failNext('GET', '/api/v1/tasks', 501);
    const notImplemented = await failure(driver.resources.all('tasks'));
    expect([notImplemented.code, notImplemented.message]).toEqual([
      'UNSUPPORTED',
      'Task management is not supported by this panel.',
    ]);
    const history = driver.metricsHistory('1', { metric: 'cpu', from: Date.now() - 3_600_000, to: Date.now() });
    if (deviations) {
      const e = await failure(history);
      expect([e.code, e.message]).toEqual(['UNSUPPORTED', 'Metrics history is not supported by this panel.']);
    } else {
      const points = (await history).points;
      expect(points.length).toBeGreaterThanOrEqual(12);
      expect(points[0]).toEqual({ at: expect.any(Number), value: 30 });
    }
  });

  it('a 5xx on a GET is retried', async () => {
    server.seedServers(2);
    server.failNext('GET', '/api/v1/servers', 503, 2);
    expect(await driver.resources.all('servers')).toHaveLength(2);
    expect(calls(server, 'GET', '/api/v1/servers').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('a 429 with Retry-After is honoured and the server logs exactly one create for the POST', async () => {
    const plan = await driver.resources.planCreate('servers', { name: 'Limited', host: '10.9.9.9' });
    server.throttleFor(1000);
    const op = await applyAndWait(plan);
    expect(op.state).toBe('succeeded');
    expect(calls(server, 'POST', '/api/v1/servers').map((r) => r.status)).toEqual([429, 201]);
    expect(server.effects).toEqual(['server.create Limited']);
    expect(op.steps.find((s) => s.id === 'send')?.log.join('\n')).toContain(
      'POST /api/v1/servers: HTTP 429, trying again in 1000 ms',
    );
  });

  it('reads current metrics as a MetricsSample and the process list sorted as asked', async () => {
    server.seedServers(1);
    server.seedProcesses(1, 40);
    const { sample, raw } = await driver.currentMetrics('1');
    expect(sample).toMatchObject({
      serverId: '1',
      cpuBp: raw.cpu.usage_percent * 100,
      cpuCoresBp: raw.cpu.cores?.map((c) => c.usage_percent * 100),
      memTotalBytes: 8_589_934_592,
      memUsedBytes: raw.memory.used,
      filesystems: [{ mount: '/', source: '/dev/sda1', sizeBytes: 107_374_182_400, usedBytes: 53_687_091_200 }],
      netRxBps: null,
    });
    const byMemory = await driver.processes('1', { sort: 'memory' });
    expect(byMemory).toHaveLength(40);
    const mem = byMemory.map((p) => Number(p['memory_percent']));
    expect(mem).toEqual([...mem].sort((a, b) => b - a));
    const table = await driver.resources.list('processes', { page: 1, pageSize: 5, search: 'server:1 sort:name' });
    expect(table.total).toBe(40);
    expect(table.items.map((r) => r.cells['name'])).toEqual(['cron', 'cron', 'cron', 'cron', 'cron']);
  });

  it('the WebSocket metrics stream delivers samples in PanelDeck shape', async () => {
    server.seedServers(1);
    const samples: MetricsSample[] = [];
    let enough!: () => void;
    const three = new Promise<void>((resolve) => (enough = resolve));
    const stream = await driver.metricsStream('1', (s) => {
      samples.push(s);
      if (samples.length === 3) enough();
    });
    await three;
    stream.close();
    expect((await stream.closed).code).toBe(1000);
    for (const s of samples) {
      expect(s.serverId).toBe('1');
      expect(s.cpuBp).toBeGreaterThan(0);
      expect(s.memTotalBytes).toBe(8_589_934_592);
      expect(s.memUsedBytes).toBeGreaterThan(0);
      expect(s.netRxBps).toBeGreaterThan(1_000_000);
    }
    const upgrades = server.log.filter((r) => r.headers.upgrade === 'websocket');
    expect(upgrades.map((r) => `${r.status} ${r.path}`)).toEqual(
      deviations
        ? ['404 /api/v1/servers/1/metrics/stream', '101 /ws/metrics/1']
        : ['101 /api/v1/servers/1/metrics/stream'],
    );
    expect(upgrades.every((r) => /^Bearer ey/.test(r.headers.authorization ?? ''))).toBe(true);
  });

  it('the WebSocket terminal round trip: echo hi-123 answers hi-123; exit closes it', async () => {
    server.seedServers(1);
    const term = await driver.openTerminal('1', { cols: 100, rows: 30 });
    let out = '';
    const seen = (re: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (re.test(out)) {
            off();
            resolve();
          }
        };
        const off = term.onData(() => check());
        check();
      });
    term.onData((d) => (out += d));
    await seen(/\$ $/);
    term.resize(120, 40);
    term.write('echo hi-123\r');
    await seen(/\r\nhi-123\r\n\$ $/);
    const closed = new Promise<{ code: number }>((resolve) => term.onClose(resolve));
    term.write('exit\r');
    expect((await closed).code).toBe(1000);
    expect(out).toContain('logout');
  });

  it('rejects hostile names and ids before sending anything (the server log shows none arrived)', async () => {
    server.seedServers(1);
    await driver.identify();
    const names = hostileNames('/tmp/nexus-canary');
    const before = server.log.length;
    let refused = 0;
    for (const n of names) {
      for (const make of [
        () => driver.resources.planCreate('servers', { name: n, host: '10.0.0.1' }),
        () => driver.resources.planCreate('servers', { name: 'ok', host: n }),
        () => driver.resources.planCreate('servers', { name: 'ok', host: '10.0.0.1', sshUser: n }),
        () => driver.resources.planCreate('users', { username: n, email: 'a@example.com', password: 'long-enough-pw' }),
        () => driver.resources.planCreate('alert-rules', { name: n, metric: 'cpu', threshold: 80 }),
        () => driver.resources.planDelete('servers', n),
        () => driver.resources.planAction('alerts', n, 'resolve'),
        () => driver.currentMetrics(n),
        () => driver.openTerminal(n, { cols: 80, rows: 24 }),
        () => driver.metricsStream(n, () => undefined),
      ]) {
        const logged = server.log.length;
        try {
          await make();
        } catch (e) {
          expect((e as AppError).code).toBe('VALIDATION');
          expect(server.log.length).toBe(logged);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThanOrEqual(names.length * 8);
    await driver.resources.all('servers'); // a later marker on the same stream
    const sent = server.log.slice(before);
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(
      sent.every(
        (r) => !r.body.includes('canary') && !r.path.includes('canary') && !r.query.toString().includes('canary'),
      ),
    ).toBe(true);
  });
});

describe('NexusPanel driver and a self-signed panel (HTTPS and WSS, openssl certificate)', () => {
  it('first contact asks to trust the fingerprint; the pinned one works for HTTP and WS; a changed one is refused for both', async () => {
    const first = selfSignedCert();
    const server = await startNexusServer({ tls: first, metricsIntervalMs: 20 });
    server.seedServers(1);
    const hostPort = `127.0.0.1:${server.port}`;
    const pins: Record<string, string> = {};
    const driver = driverFor(server, { pins: { get: (k) => pins[k] ?? null } });
    try {
      const unknown = await failure(driver.identify());
      expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
      expect(unknown.details).toMatchObject({ kind: 'tls', hostPort, fingerprint: first.fingerprint });
      const unknownWs = await failure(driver.openTerminal('1', { cols: 80, rows: 24 }));
      expect(unknownWs.code).toBe('HOST_KEY_UNKNOWN');
      expect(server.log).toEqual([]);

      pins[hostPort] = first.fingerprint; // the user trusted it
      expect(await driver.resources.all('servers')).toHaveLength(1);
      const term = await driver.openTerminal('1', { cols: 80, rows: 24 });
      let out = '';
      const answered = new Promise<void>((resolve) =>
        term.onData((d) => {
          out += d;
          if (/\r\nover-tls\r\n/.test(out)) resolve();
        }),
      );
      term.write('echo over-tls\r');
      await answered;
      term.close();
      const upgraded = server.log.filter((r) => r.headers.upgrade === 'websocket').map((r) => r.status);
      expect(upgraded).toEqual([101]);

      server.setCert(selfSignedCert());
      const seenBefore = server.log.length;
      const changedWs = await failure(driver.openTerminal('1', { cols: 80, rows: 24 }));
      expect(changedWs.code).toBe('HOST_KEY_CHANGED');
      expect(changedWs.details?.['expected']).toBe(first.fingerprint);
      const fresh = driverFor(server, { pins: staticPins(pins) });
      try {
        const changed = await failure(fresh.identify());
        expect(changed.code).toBe('HOST_KEY_CHANGED');
        expect(changed.details?.['expected']).toBe(first.fingerprint);
      } finally {
        await fresh.close();
      }
      // Neither the HTTP sign-in nor the WebSocket upgrade (with its bearer token) reached the changed server.
      expect(server.log.length).toBe(seenBefore);
    } finally {
      await driver.close();
      await server.close();
    }
  });
});

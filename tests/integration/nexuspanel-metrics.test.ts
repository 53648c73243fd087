import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, leaksFound, testSecret, type CoreHarness } from '../support/core-harness';
import { startNexusServer, type NexusServer } from './panels/nexuspanel-server';

/*
 * A NexusPanel account through the whole core (issue 11): its servers' metrics, read from the panel's WebSocket
 * metrics stream, flow like SSH-collected ones (live events, states, history.db, the fleet overview, the charts),
 * and the panel's own alerts join alerts.list, where acknowledging or resolving one is sent to the panel.
 */

const FAST = { retry: { baseDelayMs: 5, maxDelayMs: 40 }, poll: { intervalMs: 20, maxIntervalMs: 50 } };

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)('NexusPanel servers and alerts in PanelDeck (%s)', (_mode, deviations) => {
  let h: CoreHarness;
  let server: NexusServer;
  let password: string;

  beforeEach(async () => {
    password = testSecret('nexus');
    server = await startNexusServer({ deviations, adminPassword: password, metricsIntervalMs: 50 });
    h = await coreHarness({ panels: FAST });
  });
  afterEach(async () => {
    await h.close();
    await server.close();
  });

  async function addPanel(): Promise<string> {
    const panel = await h.call('panels.add', {
      name: 'Nexus prod',
      kind: 'nexuspanel',
      baseUrl: server.url,
      credential: { username: 'admin', secret: password },
    });
    return panel.id;
  }

  it('streams a panel server’s metrics into the live events, the fleet overview and the charts', async () => {
    const [web] = server.seedServers(2);
    // Collection on first: the account added afterwards joins it.
    await h.call('metrics.settings.set', { enabled: true, intervalSec: 1 });
    const panelId = await addPanel();
    const key = `${panelId}:${web!.id}`;

    const first = await h.waitFor('metrics.sample', (s) => s.serverId === key);
    expect(first.values['cpuBusyPct']).toBeTypeOf('number');
    await h.waitFor('metrics.state', (s) => s.serverId === key && s.state === 'up');
    // A second sample of the same server closes the first tick's batch: it is in history.db by now.
    const from = h.events.length;
    await h.waitFor('metrics.sample', (s) => s.serverId === key, { from });

    const fleet = await h.call('metrics.fleet', { sparkMinutes: 30 });
    const row = fleet.find((r) => r.serverId === key);
    expect(row).toMatchObject({
      state: 'up',
      source: { kind: 'panel', panelId, panelName: 'Nexus prod', serverName: web!.name },
    });
    expect(row?.values?.['memTotalBytes']).toBeGreaterThan(0);
    // Both of the panel's servers are metrics servers.
    expect(fleet.filter((r) => r.source?.panelId === panelId)).toHaveLength(2);

    const now = Date.now();
    const series = await h.call('metrics.series', {
      serverId: key,
      metrics: ['cpuBusyPct', 'memUsedBytes'],
      from: now - 10 * 60_000,
      to: now + 60_000,
      maxPoints: 100,
    });
    expect(series.t.length).toBeGreaterThan(0);
    expect(series.values['cpuBusyPct']?.avg.length).toBe(series.t.length);
    expect((await h.call('metrics.live', { serverId: key }))?.serverId).toBe(key);
    expect((await h.call('metrics.states', {})).find((s) => s.serverId === key)?.state).toBe('up');

    // Turned off: the streams close and the panel's servers are off.
    const off = h.events.length;
    await h.call('metrics.settings.set', { enabled: false });
    await h.waitFor('metrics.state', (s) => s.serverId === key && s.state === 'off', { from: off });
    expect(await h.call('metrics.live', { serverId: key })).toBeNull();

    // On again, then the account is removed: its servers leave the fleet.
    const on = h.events.length;
    await h.call('metrics.settings.set', { enabled: true });
    await h.waitFor('metrics.state', (s) => s.serverId === key && s.state === 'up', { from: on });
    const gone = h.events.length;
    await h.call('panels.remove', { id: panelId });
    await h.waitFor('metrics.state', (s) => s.serverId === key && s.state === 'off', { from: gone });
    expect((await h.call('metrics.fleet', { sparkMinutes: 30 })).some((r) => r.serverId === key)).toBe(false);
    expect(leaksFound()).toEqual([]);
  });

  it('merges the panel’s alerts into alerts.list; acknowledge and resolve reach the panel', async () => {
    const [web] = server.seedServers(1);
    server.seedAlerts(3);
    const panelId = await addPanel();

    const alerts = await h.call('alerts.list', {});
    expect(alerts).toHaveLength(3);
    for (const a of alerts) {
      expect(a.source).toMatchObject({ kind: 'panel', panelId, panelName: 'Nexus prod' });
      expect(a.serverId).toBe(`${panelId}:${web!.id}`);
      expect(a.state).toBe('triggered');
    }
    const one = alerts.find((a) => a.id === `${panelId}:1`);
    expect(one?.source?.message).toBe('CPU usage exceeded 80%');

    const acked = await h.call('alerts.acknowledge', { id: `${panelId}:1` });
    expect(acked).toMatchObject({ id: `${panelId}:1`, state: 'acknowledged' });
    const prefix = deviations ? '/api/v1/monitoring/alerts' : '/api/v1/alerts';
    const posted = server.log.filter((r) => r.method === 'POST' && r.path === `${prefix}/1/acknowledge`);
    expect(posted.map((r) => r.status)).toEqual([200]);
    expect(server.effects).toContain('alert.acknowledge 1');
    await h.waitFor('alerts.changed', (a) => a.id === `${panelId}:1` && a.state === 'acknowledged');

    const resolved = await h.call('alerts.resolve', { id: `${panelId}:2` });
    expect(resolved.state).toBe('resolved');
    expect(server.effects).toContain('alert.resolve 2');
    expect((await h.call('alerts.list', { state: ['triggered'] })).map((a) => a.id)).toEqual([`${panelId}:3`]);

    // Resolved already: refused without another request to the panel; snoozing a panel's alert is not offered.
    expect((await h.fail('alerts.resolve', { id: `${panelId}:2` })).code).toBe('CONFLICT');
    expect((await h.fail('alerts.snooze', { id: `${panelId}:3`, minutes: 15 })).code).toBe('UNSUPPORTED');
    expect((await h.fail('alerts.acknowledge', { id: `${panelId}:999` })).code).toBe('NOT_FOUND');
    expect(leaksFound()).toEqual([]);
  });
});

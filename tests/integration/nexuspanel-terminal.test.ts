import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, leaksFound, testSecrets, type CoreHarness } from '../support/core-harness';
import { startNexusServer, type NexusServer } from './panels/nexuspanel-server';

/*
 * A NexusPanel server's web terminal as a terminal session through the whole core (issue 11): terminal.openPanel
 * against the loopback NexusPanel (its stand-in echo shell over WebSocket), driven with the same terminal.* calls
 * and events as an SSH shell.
 */

const ADMIN_PW = 'Admin-Pass-123';
testSecrets.add(ADMIN_PW);
const FAST = { retry: { baseDelayMs: 5, maxDelayMs: 40 }, poll: { intervalMs: 20, maxIntervalMs: 50 } };

describe('NexusPanel web terminal as a terminal session (loopback NexusPanel)', () => {
  let h: CoreHarness;
  let server: NexusServer;

  beforeEach(async () => {
    server = await startNexusServer();
    server.seedServers(2);
    h = await coreHarness({ panels: FAST });
  });
  afterEach(async () => {
    await h.close();
    await server.close();
  });

  async function addPanel(): Promise<string> {
    const panel = await h.call('panels.add', {
      name: 'Nexus',
      kind: 'nexuspanel',
      baseUrl: server.url,
      credential: { username: 'admin', secret: ADMIN_PW },
    });
    return panel.id;
  }

  it('opens, echoes a command, resizes and closes like any terminal session', async () => {
    const panelId = await addPanel();
    const { sessionId } = await h.call('terminal.openPanel', { panelId, panelServerId: '2', cols: 100, rows: 30 });
    await h.waitForState(sessionId, 'connected');
    await h.waitForText(sessionId, /\$ $/);
    expect(await h.call('terminal.write', { sessionId, data: 'echo hi-123\r' })).toEqual({ accepted: true });
    await h.waitForText(sessionId, /\r\nhi-123\r\n\$ $/);
    expect(h.events.some((e) => e.name === 'terminal.data' && e.payload.sessionId === sessionId)).toBe(true);

    expect(await h.call('terminal.resize', { sessionId, cols: 120, rows: 40 })).toEqual({ ok: true });
    const [info] = await h.call('terminal.list', {});
    expect(info).toMatchObject({
      sessionId,
      serverId: panelId,
      panel: { panelId, panelServerId: '2' },
      title: 'Nexus: server 2',
      state: { state: 'connected' },
      cols: 120,
      rows: 40,
    });
    expect(await h.call('terminal.busy', { sessionId })).toEqual({ busy: false, known: false, program: null });
    const upgrades = server.log.filter((r) => r.headers.upgrade === 'websocket');
    expect(upgrades.map((r) => `${r.status} ${r.path}`)).toEqual(['101 /api/v1/servers/2/terminal']);

    const from = h.events.length;
    await h.call('terminal.close', { sessionId });
    expect(await h.waitForState(sessionId, 'closed', from)).toMatchObject({ reason: 'closed', error: null });
    expect((await h.fail('terminal.write', { sessionId, data: 'x' })).code).toBe('NOT_FOUND');
    expect(leaksFound()).toEqual([]);
  });

  it('`exit` in the shell ends the session; an unknown server fails it with the panel’s answer', async () => {
    const panelId = await addPanel();
    const { sessionId } = await h.call('terminal.openPanel', { panelId, panelServerId: '1', cols: 80, rows: 24 });
    await h.waitForText(sessionId, /\$ $/);
    await h.call('terminal.write', { sessionId, data: 'exit\r' });
    expect(await h.waitForState(sessionId, 'closed')).toMatchObject({ reason: 'exit', error: null });
    expect(await h.call('terminal.write', { sessionId, data: 'x' })).toEqual({
      accepted: false,
      reason: 'not-connected',
    });

    const missing = await h.call('terminal.openPanel', { panelId, panelServerId: '99', cols: 80, rows: 24 });
    const failed = await h.waitForState(missing.sessionId, 'closed');
    expect(failed.reason).toBe('failed');
    expect(failed.error?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(failed)).not.toContain(ADMIN_PW);
    // Ids are checked by the contract before anything reaches the panel.
    const bad = await h.fail('terminal.openPanel', { panelId, panelServerId: '../1', cols: 80, rows: 24 });
    expect(bad.code).toBe('VALIDATION');
    const cloud = await h.call('panels.add', {
      name: 'Cloud',
      kind: 'cloudpanel-api',
      baseUrl: 'https://127.0.0.1:9',
      credential: { username: null, secret: 'cp_admin_test_key' },
    });
    const unsupported = await h.fail('terminal.openPanel', {
      panelId: cloud.id,
      panelServerId: '1',
      cols: 80,
      rows: 24,
    });
    expect(unsupported.code).toBe('UNSUPPORTED');
  });
});

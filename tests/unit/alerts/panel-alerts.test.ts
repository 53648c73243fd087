import { describe, expect, it } from 'vitest';
import {
  actOnPanelAlert,
  nexusAlertToAlert,
  panelAlerts,
  parsePanelAlertId,
  type PanelAlertSource,
} from '../../../src/main/alerts/panel-alerts';
import { Alert } from '../../../src/shared/contract/alerts.contract';
import type { AppError } from '../../../src/shared/errors';

const PANEL = { id: '5d6f7a8b-0000-4000-8000-00000000a11c', name: 'Nexus prod' };
const NOW = Date.parse('2026-01-02T00:00:00Z');

const row = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 7,
  server_id: 3,
  server_name: 'Web Server 003',
  alert_type: 'cpu_high',
  severity: 'critical',
  message: 'CPU usage exceeded 80%',
  status: 'triggered',
  triggered_at: '2026-01-01T10:00:00Z',
  resolved_at: null,
  ...over,
});

describe('a NexusPanel alert in PanelDeck’s shape', () => {
  it('maps ids, server, severity, state and times, with the panel as its source (valid for the contract)', () => {
    const a = nexusAlertToAlert(PANEL, row(), NOW);
    expect(a).toEqual({
      id: `${PANEL.id}:7`,
      ruleId: `${PANEL.id}:cpu_high`,
      serverId: `${PANEL.id}:3`,
      subject: 'cpu_high',
      severity: 'critical',
      state: 'triggered',
      value: null,
      lastValue: null,
      firedAt: Date.parse('2026-01-01T10:00:00Z'),
      acknowledgedAt: null,
      resolvedAt: null,
      snoozedUntil: null,
      history: [{ at: Date.parse('2026-01-01T10:00:00Z'), state: 'triggered' }],
      source: { kind: 'panel', panelId: PANEL.id, panelName: 'Nexus prod', message: 'CPU usage exceeded 80%' },
    });
    expect(Alert.safeParse(a).success).toBe(true);
  });

  it('acknowledged and resolved rows carry their times; unknown severities and states fall back', () => {
    const ack = nexusAlertToAlert(PANEL, row({ status: 'acknowledged' }), NOW);
    expect(ack?.state).toBe('acknowledged');
    expect(ack?.history.map((h) => h.state)).toEqual(['triggered', 'acknowledged']);
    const res = nexusAlertToAlert(PANEL, row({ status: 'resolved', resolved_at: '2026-01-01T11:00:00Z' }), NOW);
    expect(res).toMatchObject({ state: 'resolved', resolvedAt: Date.parse('2026-01-01T11:00:00Z') });
    const odd = nexusAlertToAlert(PANEL, row({ severity: 'page-me', status: 'weird', triggered_at: 'never' }), NOW);
    expect(odd).toMatchObject({ severity: 'warning', state: 'triggered', firedAt: NOW });
    expect(nexusAlertToAlert(PANEL, row({ id: null }), NOW)).toBeNull();
    // Without a server the alert is about the panel account itself.
    expect(nexusAlertToAlert(PANEL, row({ server_id: null }), NOW)?.serverId).toBe(PANEL.id);
  });

  it('tells a panel alert’s id from an engine alert’s (a bare uuid)', () => {
    expect(parsePanelAlertId(`${PANEL.id}:7`)).toEqual({ panelId: PANEL.id, alertId: '7' });
    expect(parsePanelAlertId(PANEL.id)).toBeNull();
    expect(parsePanelAlertId(`${PANEL.id}:`)).toBeNull();
  });
});

function source(rows: Record<string, unknown>[], failing = false) {
  const acts: string[] = [];
  const src: PanelAlertSource = {
    panels: () => [PANEL],
    alerts: () => (failing ? Promise.reject(new Error('down')) : Promise.resolve(rows)),
    act: (_p, id, action) => {
      acts.push(`${action} ${id}`);
      const r = rows.find((x) => String(x['id']) === id);
      if (r) r['status'] = action === 'acknowledge' ? 'acknowledged' : 'resolved';
      return Promise.resolve();
    },
  };
  return { src, acts };
}

describe('the panels’ alerts in the list', () => {
  it('lists every panel’s alerts; a panel that cannot be read is left out and reported', async () => {
    const { src } = source([row(), row({ id: 8 })]);
    expect((await panelAlerts(src, NOW, () => undefined)).map((a) => a.id)).toEqual([`${PANEL.id}:7`, `${PANEL.id}:8`]);
    const failed: string[] = [];
    const down = source([], true).src;
    expect(await panelAlerts(down, NOW, (p) => failed.push(p.id))).toEqual([]);
    expect(failed).toEqual([PANEL.id]);
  });

  it('acknowledge and resolve are sent to the panel; a resolved or unknown alert is refused without a request', async () => {
    const rows = [row(), row({ id: 8, status: 'resolved' })];
    const { src, acts } = source(rows);
    expect((await actOnPanelAlert(src, { panelId: PANEL.id, alertId: '7' }, 'acknowledge', NOW)).state).toBe(
      'acknowledged',
    );
    // Acknowledged already: nothing more to send.
    await actOnPanelAlert(src, { panelId: PANEL.id, alertId: '7' }, 'acknowledge', NOW);
    expect((await actOnPanelAlert(src, { panelId: PANEL.id, alertId: '7' }, 'resolve', NOW)).state).toBe('resolved');
    expect(acts).toEqual(['acknowledge 7', 'resolve 7']);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: AppError) => e.code,
      );
    expect(await code(actOnPanelAlert(src, { panelId: PANEL.id, alertId: '8' }, 'resolve', NOW))).toBe('CONFLICT');
    expect(await code(actOnPanelAlert(src, { panelId: PANEL.id, alertId: '9' }, 'resolve', NOW))).toBe('NOT_FOUND');
    expect(await code(actOnPanelAlert(src, { panelId: 'other', alertId: '7' }, 'resolve', NOW))).toBe('NOT_FOUND');
    expect(acts).toHaveLength(2);
  });
});

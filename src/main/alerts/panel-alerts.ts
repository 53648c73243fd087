import type { Alert, AlertSeverity, AlertState } from '../../shared/contract/alerts.contract';
import { AppError } from '../../shared/errors';

/** A panel account whose own alerts are merged into PanelDeck's list. */
export interface AlertPanel {
  readonly id: string;
  readonly name: string;
}

/** What the alerts module needs of the panels: their alerts as rows, and acknowledge/resolve sent to the panel. */
export interface PanelAlertSource {
  /** The accounts that have alerts (NexusPanel ones); empty while the vault is locked. */
  panels(): readonly AlertPanel[];
  /** The panel's alerts as it lists them (rows of its API). */
  alerts(panelId: string): Promise<readonly Record<string, unknown>[]>;
  /** POSTs the action to the panel. */
  act(panelId: string, alertId: string, action: 'acknowledge' | 'resolve'): Promise<void>;
}

const SEVERITY: Record<string, AlertSeverity> = { critical: 'critical', warning: 'warning', info: 'info' };
const STATE: Record<string, AlertState> = {
  triggered: 'triggered',
  active: 'triggered',
  firing: 'triggered',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

const text = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;

function time(v: unknown): number | null {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : Math.round(t);
}

/** The id of a panel's alert in PanelDeck's list: `<panel account id>:<the panel's alert id>`. */
export function panelAlertId(panelId: string, alertId: string): string {
  return `${panelId}:${alertId}`;
}

/** Splits a panel alert's id (null for an id of PanelDeck's own engine: a bare uuid). */
export function parsePanelAlertId(id: string): { panelId: string; alertId: string } | null {
  const at = id.indexOf(':');
  if (at <= 0 || at === id.length - 1) return null;
  return { panelId: id.slice(0, at), alertId: id.slice(at + 1) };
}

/**
 * One NexusPanel alert row → PanelDeck's Alert: its server is the panel server's metrics key
 * (`<panel id>:<server id>`, as in the fleet overview), the rule is the panel's alert type, the value unknown
 * (the panel sends a message instead, kept in `source.message`). Null for a row without an id.
 */
export function nexusAlertToAlert(panel: AlertPanel, row: Record<string, unknown>, now: number): Alert | null {
  const id = text(row['id']);
  if (id === null) return null;
  const type = text(row['alert_type']) ?? text(row['type']) ?? 'alert';
  const server = text(row['server_id']);
  const state = STATE[String(row['status'])] ?? 'triggered';
  const firedAt = time(row['triggered_at']) ?? time(row['created_at']) ?? now;
  const resolvedAt = state === 'resolved' ? (time(row['resolved_at']) ?? now) : null;
  const acknowledgedAt = state === 'triggered' ? null : (time(row['acknowledged_at']) ?? resolvedAt ?? firedAt);
  const history: Alert['history'] = [{ at: firedAt, state: 'triggered' }];
  if (state === 'acknowledged' && acknowledgedAt !== null) history.push({ at: acknowledgedAt, state: 'acknowledged' });
  if (resolvedAt !== null) history.push({ at: resolvedAt, state: 'resolved' });
  return {
    id: panelAlertId(panel.id, id),
    ruleId: `${panel.id}:${type}`,
    serverId: server === null ? panel.id : `${panel.id}:${server}`,
    subject: type,
    severity: SEVERITY[String(row['severity'])] ?? 'warning',
    state,
    value: null,
    lastValue: null,
    firedAt,
    acknowledgedAt,
    resolvedAt,
    snoozedUntil: null,
    history,
    source: {
      kind: 'panel',
      panelId: panel.id,
      panelName: panel.name,
      message: text(row['message']) ?? text(row['server_name']) ?? type,
    },
  };
}

/** Every panel's alerts in PanelDeck's shape; a panel that cannot be read is left out (and reported). */
export async function panelAlerts(
  src: PanelAlertSource,
  now: number,
  onError: (panel: AlertPanel, e: unknown) => void,
): Promise<Alert[]> {
  const lists = await Promise.all(
    src.panels().map(async (p) => {
      try {
        return (await src.alerts(p.id)).map((row) => nexusAlertToAlert(p, row, now)).filter((a) => a !== null);
      } catch (e) {
        onError(p, e);
        return [];
      }
    }),
  );
  return lists.flat();
}

/** Acknowledges or resolves a panel's alert on the panel, then answers it as the panel lists it now. */
export async function actOnPanelAlert(
  src: PanelAlertSource,
  id: { panelId: string; alertId: string },
  action: 'acknowledge' | 'resolve',
  now: number,
): Promise<Alert> {
  const panel = src.panels().find((p) => p.id === id.panelId);
  if (panel === undefined) throw new AppError('NOT_FOUND', 'No alert with that id.');
  const before = (await src.alerts(panel.id)).find((r) => text(r['id']) === id.alertId);
  if (before === undefined) throw new AppError('NOT_FOUND', 'No alert with that id.');
  if (before['status'] === 'resolved') throw new AppError('CONFLICT', 'That alert is already resolved.');
  if (!(action === 'acknowledge' && before['status'] === 'acknowledged')) {
    await src.act(panel.id, id.alertId, action);
  }
  const after = (await src.alerts(panel.id)).find((r) => text(r['id']) === id.alertId) ?? before;
  const alert = nexusAlertToAlert(panel, after, now);
  if (alert === null) throw new AppError('NOT_FOUND', 'No alert with that id.');
  return alert;
}

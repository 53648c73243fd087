import type { Alert, AlertRule, AlertRuleFields } from '../../shared/contract/alerts.contract';
import type { Handlers } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { ServiceContext } from '../core/service-context';
import type { VaultService } from '../vault/vault.service';
import { AlertEngine, type Observation } from './alert-engine';
import { actOnPanelAlert, panelAlerts, parsePanelAlertId, type PanelAlertSource } from './panel-alerts';
import { AppError } from '../../shared/errors';

const METRIC_LABEL: Record<AlertRule['metric'], string> = {
  cpu: 'CPU',
  memory: 'Memory',
  swap: 'Swap',
  disk: 'Disk',
  load1: 'Load',
  unreachable: 'Unreachable',
  'certificate-expiry': 'Certificate expiry',
};

/** What the alerts module needs. */
export interface AlertsModuleDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  readonly events: EventBus;
  /** The server's name and tags (null for an id that is not a server, e.g. a panel account). */
  readonly server: (id: string) => { name: string; tags: readonly string[] } | null;
  readonly notify?: ((n: { title: string; body: string; onClick?: () => void }) => void) | undefined;
  /** The panels' own alerts (NexusPanel accounts), merged into alerts.list; acknowledge/resolve go to the panel. */
  readonly panels?: PanelAlertSource | undefined;
}

/**
 * The alerts feature: rules kept in the vault, the engine fed by metrics samples, server states and the
 * certificate inventory (see `observe`), `alerts.changed` events for the UI and a desktop notification when an
 * alert fires (unless snoozed); a click on it emits `alerts.opened` so the UI shows the server.
 */
export function createAlertsModule(deps: AlertsModuleDeps): {
  handlers: Pick<Handlers, Extract<keyof Handlers, `alerts.${string}`>>;
  engine: AlertEngine;
  observe(observations: readonly Observation[], at?: number): void;
  close(): Promise<void>;
} {
  const { vault, ctx, events } = deps;
  const rules = (): AlertRule[] => {
    try {
      return [...vault.records().all('alert-rule').values()];
    } catch {
      return []; // locked: rules are in the vault, so nothing is evaluated until it opens
    }
  };
  const engine = new AlertEngine({
    now: () => ctx.clock.now(),
    newId: ctx.newId,
    rules,
    tags: (id) => deps.server(id)?.tags ?? null,
    onChange: (alert, fired) => {
      events.emit('alerts.changed', alert);
      if (fired && !engine.snoozed(alert)) notifyFired(alert);
    },
  });

  const notifyFired = (alert: Alert): void => {
    const rule = rules().find((r) => r.id === alert.ruleId);
    const name = deps.server(alert.serverId)?.name ?? 'A panel';
    const what = rule ? `${METRIC_LABEL[rule.metric]}: ${rule.name}` : 'Alert';
    const value = alert.value === null ? '' : ` (${Math.round(alert.value * 10) / 10})`;
    deps.notify?.({
      title: `${name}: ${what}`,
      body: `${alert.severity === 'critical' ? 'Critical' : 'Alert'} since ${new Date(alert.firedAt).toLocaleTimeString()}${value}`,
      onClick: () => events.emit('alerts.opened', { alertId: alert.id, serverId: alert.serverId }),
    });
  };

  const save = (id: string, fields: AlertRuleFields, createdAt: number | null): AlertRule => {
    const now = ctx.clock.now();
    const rule: AlertRule = { id, ...fields, createdAt: createdAt ?? now, updatedAt: now };
    vault.records().write({
      put: [
        { kind: 'alert-rule', id, data: rule },
        vault.auditRecord(
          'alert-rule.changed',
          `Alert rule "${rule.name}" ${createdAt === null ? 'added' : 'changed'}`,
        ),
      ],
    });
    engine.ruleChanged(id);
    return rule;
  };

  /** A panel alert's acknowledge/resolve, sent to its panel (undefined for PanelDeck's own alerts). */
  const panelAction = (id: string, action: 'acknowledge' | 'resolve'): Promise<Alert> | undefined => {
    const ref = parsePanelAlertId(id);
    if (ref === null || deps.panels === undefined) return undefined;
    return actOnPanelAlert(deps.panels, ref, action, ctx.clock.now()).then((alert) => {
      events.emit('alerts.changed', alert);
      return alert;
    });
  };

  return {
    engine,
    observe: (observations, at) => engine.observe(observations, at),
    handlers: {
      'alerts.rules.list': () => rules().sort((a, b) => a.name.localeCompare(b.name)),
      'alerts.rules.create': (fields) => save(ctx.newId(), fields, null),
      'alerts.rules.update': ({ id, fields }) => {
        const current = vault.records().get('alert-rule', id, 'alert rule');
        return save(id, fields, current.createdAt);
      },
      'alerts.rules.delete': ({ id }) => {
        const gone = vault.records().get('alert-rule', id, 'alert rule');
        vault.records().write({
          delete: [id],
          put: [vault.auditRecord('alert-rule.changed', `Alert rule "${gone.name}" deleted`)],
        });
        engine.ruleChanged(id);
        return { ok: true as const };
      },
      'alerts.list': async (q) => {
        const own = engine.list(q);
        if (deps.panels === undefined || (q.serverId !== undefined && !q.serverId.includes(':'))) return own;
        const theirs = (
          await panelAlerts(deps.panels, ctx.clock.now(), (p, e) =>
            ctx.logger.warn('alerts.panel.unreadable', {
              panelId: p.id,
              message: e instanceof Error ? e.message : String(e),
            }),
          )
        )
          .filter((a) => (q.state ? q.state.includes(a.state) : true))
          .filter((a) => (q.serverId ? a.serverId === q.serverId : true));
        return [...own, ...theirs].sort((a, b) => b.firedAt - a.firedAt);
      },
      'alerts.acknowledge': ({ id }) => panelAction(id, 'acknowledge') ?? engine.acknowledge(id),
      'alerts.snooze': ({ id, minutes }) => {
        if (parsePanelAlertId(id) !== null) {
          throw new AppError('UNSUPPORTED', 'A panel’s own alert cannot be snoozed in PanelDeck; acknowledge it.');
        }
        return engine.snooze(id, minutes);
      },
      'alerts.resolve': ({ id }) => panelAction(id, 'resolve') ?? engine.resolve(id),
    },
    close: () => Promise.resolve(),
  };
}

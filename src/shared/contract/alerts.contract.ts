import { z } from 'zod';
import { DisplayName, Id, Tag } from '../validators';
import { Ok, event, method } from './define';

/**
 * Alerts (issue 11): rules kept in the vault, evaluated in the core against every metrics sample, server state
 * and the certificate inventory. An alert moves triggered → acknowledged → resolved, with its history; a snooze
 * silences its notifications until a time.
 */

/** What a rule watches. Percentages are 0–100; load is the 1-minute average; certificate expiry is in days. */
export const AlertMetric = z.enum(['cpu', 'memory', 'swap', 'disk', 'load1', 'unreachable', 'certificate-expiry']);
export type AlertMetric = z.infer<typeof AlertMetric>;

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** Which servers a rule covers. */
export const AlertScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('server'), serverId: Id }),
  z.strictObject({ kind: z.literal('tag'), tag: Tag }),
]);
export type AlertScope = z.infer<typeof AlertScope>;

export const AlertRuleFields = z
  .strictObject({
    name: DisplayName,
    metric: AlertMetric,
    /** `>` or `<` the threshold; ignored for `unreachable` (the condition is the state). */
    condition: z.enum(['>', '<']).default('>'),
    threshold: z.number().finite().min(0).max(1_000_000).default(0),
    /** How long the condition must hold before the alert fires ("for 5 min"), seconds. */
    forSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(0),
    severity: AlertSeverity.default('warning'),
    scope: AlertScope.default({ kind: 'all' }),
    enabled: z.boolean().default(true),
  })
  .refine((r) => !['cpu', 'memory', 'swap', 'disk'].includes(r.metric) || r.threshold <= 100, {
    message: 'A percentage threshold is between 0 and 100.',
    path: ['threshold'],
  });
export type AlertRuleFields = z.infer<typeof AlertRuleFields>;

export const AlertRule = z.object({
  id: Id,
  name: z.string(),
  metric: AlertMetric,
  condition: z.enum(['>', '<']),
  threshold: z.number(),
  forSeconds: z.number().int(),
  severity: AlertSeverity,
  scope: AlertScope,
  enabled: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertState = z.enum(['triggered', 'acknowledged', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One alert: a rule that fired for one server (or one certificate), and what happened to it since. */
export const Alert = z.object({
  id: z.string(),
  /** The PanelDeck rule (a uuid), or for a panel's own alert `<panel account id>:<the panel's alert type>`. */
  ruleId: z.string(),
  /** The server (or panel account) it is about. */
  serverId: z.string(),
  /** What exactly: the metric, or the certificate id for an expiry alert. */
  subject: z.string(),
  severity: AlertSeverity,
  state: AlertState,
  /** The value that fired it, and the latest value seen while it was open. */
  value: z.number().nullable(),
  lastValue: z.number().nullable(),
  firedAt: z.number().int(),
  acknowledgedAt: z.number().int().nullable(),
  resolvedAt: z.number().int().nullable(),
  snoozedUntil: z.number().int().nullable(),
  history: z.array(z.object({ at: z.number().int(), state: z.string(), note: z.string().optional() })),
  /**
   * A panel's own alert (a NexusPanel account's alerts, merged into the list): which panel and what it said. Its
   * id is `<panel account id>:<the panel's alert id>`; acknowledge and resolve go to the panel. Absent for
   * PanelDeck's own alerts.
   */
  source: z
    .object({ kind: z.literal('panel'), panelId: z.string(), panelName: z.string(), message: z.string() })
    .optional(),
});
export type Alert = z.infer<typeof Alert>;

const ById = z.strictObject({ id: z.string().min(1).max(100) });

export const alertsMethods = {
  'alerts.rules.list': method({ input: z.strictObject({}), output: z.array(AlertRule), summary: 'List alert rules.' }),
  'alerts.rules.create': method({ input: AlertRuleFields, output: AlertRule, summary: 'Add an alert rule.' }),
  'alerts.rules.update': method({
    input: z.strictObject({ id: Id, fields: AlertRuleFields }),
    output: AlertRule,
    summary: 'Replace an alert rule.',
  }),
  'alerts.rules.delete': method({
    input: z.strictObject({ id: Id }),
    output: Ok,
    summary: 'Delete an alert rule (its open alerts resolve).',
  }),
  'alerts.list': method({
    input: z.strictObject({ state: z.array(AlertState).optional(), serverId: z.string().max(100).optional() }),
    output: z.array(Alert),
    summary: 'Alerts, newest first (open ones and the resolved history).',
  }),
  'alerts.acknowledge': method({ input: ById, output: Alert, summary: 'Acknowledge an alert (stops its reminders).' }),
  'alerts.snooze': method({
    input: z.strictObject({ id: z.string().min(1).max(100), minutes: z.number().int().min(1).max(10_080) }),
    output: Alert,
    summary: 'Silence an alert’s notifications for a while.',
  }),
  'alerts.resolve': method({ input: ById, output: Alert, summary: 'Close an alert by hand.' }),
};

export const alertsEvents = {
  'alerts.changed': event({
    payload: Alert,
    summary: 'An alert fired, was acknowledged, snoozed or resolved.',
  }),
  'alerts.opened': event({
    payload: z.object({ alertId: z.string(), serverId: z.string() }),
    summary: 'The user clicked an alert’s desktop notification: show its server.',
  }),
};

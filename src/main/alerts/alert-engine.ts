import type { Alert, AlertMetric, AlertRule, AlertState } from '../../shared/contract/alerts.contract';
import { AppError } from '../../shared/errors';

/** What the engine needs: the clock, ids, the rules (from the vault) and which tags a server has. */
export interface AlertEngineDeps {
  readonly now: () => number;
  readonly newId: () => string;
  readonly rules: () => readonly AlertRule[];
  /** The server's tags, or null when the id is not a server (a panel account: only `all`/`server` scopes). */
  readonly tags: (serverId: string) => readonly string[] | null;
  /** Every change of an alert; `fired` is true for a new alert (the caller notifies unless snoozed). */
  readonly onChange: (alert: Alert, fired: boolean) => void;
  /** Resolved alerts kept for the history view. Default 1,000. */
  readonly historyCap?: number;
}

/** One observation: a value (null = unknown this tick) of one metric for one server, about `subject`. */
export interface Observation {
  readonly serverId: string;
  readonly metric: AlertMetric;
  /** What exactly: the metric name, a mount point ("disk:/var"), or a certificate id. */
  readonly subject: string;
  readonly value: number | null;
}

/**
 * Evaluates alert rules against observations (metrics samples, server states, the certificate inventory): a
 * condition that holds for the rule's duration fires an alert, which stays open (triggered or acknowledged)
 * until the condition stops holding, then resolves. One open alert per rule, server and subject; a value that is
 * unknown (null) neither starts nor ends one. Pure in-memory state: the module persists and notifies.
 */
export class AlertEngine {
  readonly #d: AlertEngineDeps;
  /** rule|server|subject → since when the condition holds (not fired yet). */
  readonly #pending = new Map<string, number>();
  /** rule|server|subject → the open alert. */
  readonly #open = new Map<string, Alert>();
  readonly #resolved: Alert[] = [];

  constructor(deps: AlertEngineDeps) {
    this.#d = deps;
  }

  /** Feeds observations made at `at` (one tick of one server, or the certificate inventory). */
  observe(observations: readonly Observation[], at = this.#d.now()): void {
    const rules = this.#d.rules().filter((r) => r.enabled);
    for (const o of observations) {
      if (o.value === null) continue;
      for (const rule of rules) {
        if (rule.metric !== o.metric || !this.#inScope(rule, o.serverId)) continue;
        this.#evaluate(rule, o, at);
      }
    }
  }

  /** Alerts, newest first: open ones and the resolved history, filtered. */
  list(filter: { state?: readonly AlertState[] | undefined; serverId?: string | undefined } = {}): Alert[] {
    const all = [...this.#open.values(), ...this.#resolved];
    return all
      .filter((a) => (filter.state ? filter.state.includes(a.state) : true))
      .filter((a) => (filter.serverId ? a.serverId === filter.serverId : true))
      .sort((a, b) => b.firedAt - a.firedAt);
  }

  /** Acknowledged: someone is on it (no more reminders); it still resolves by itself. */
  acknowledge(id: string): Alert {
    const [key, alert] = this.#find(id);
    if (alert.state !== 'triggered') return alert;
    const at = this.#d.now();
    const next = this.#with(alert, { state: 'acknowledged', acknowledgedAt: at }, at, 'acknowledged');
    this.#open.set(key, next);
    this.#d.onChange(next, false);
    return next;
  }

  /** Silences notifications of this alert until now + minutes. */
  snooze(id: string, minutes: number): Alert {
    const [key, alert] = this.#find(id);
    const at = this.#d.now();
    const until = at + minutes * 60_000;
    const next = this.#with(alert, { snoozedUntil: until }, at, 'snoozed', `for ${minutes} min`);
    this.#open.set(key, next);
    this.#d.onChange(next, false);
    return next;
  }

  /** Closes an open alert by hand (it fires again only after its condition stops and starts holding again). */
  resolve(id: string): Alert {
    const [key] = this.#find(id);
    return this.#close(key, this.#d.now(), 'resolved by hand');
  }

  /** A rule was deleted or changed: its open alerts resolve and its pending conditions are forgotten. */
  ruleChanged(ruleId: string): void {
    const at = this.#d.now();
    for (const key of [...this.#pending.keys()]) if (key.startsWith(`${ruleId}|`)) this.#pending.delete(key);
    for (const key of [...this.#open.keys()]) if (key.startsWith(`${ruleId}|`)) this.#close(key, at, 'rule changed');
  }

  /** True when notifications for this alert are silenced now. */
  snoozed(alert: Alert): boolean {
    return alert.snoozedUntil !== null && alert.snoozedUntil > this.#d.now();
  }

  #evaluate(rule: AlertRule, o: Observation, at: number): void {
    const key = `${rule.id}|${o.serverId}|${o.subject}`;
    const value = o.value as number;
    const holds =
      rule.metric === 'unreachable'
        ? value > 0
        : rule.metric === 'certificate-expiry'
          ? value < rule.threshold // "expires within N days", whichever way the condition was set
          : rule.condition === '>'
            ? value > rule.threshold
            : value < rule.threshold;
    const open = this.#open.get(key);
    if (!holds) {
      this.#pending.delete(key);
      if (open) this.#close(key, at, 'condition cleared', value);
      return;
    }
    if (open) {
      this.#open.set(key, { ...open, lastValue: value });
      return;
    }
    const since = this.#pending.get(key) ?? at;
    this.#pending.set(key, since);
    if (at - since < rule.forSeconds * 1000) return;
    this.#pending.delete(key);
    const alert: Alert = {
      id: this.#d.newId(),
      ruleId: rule.id,
      serverId: o.serverId,
      subject: o.subject,
      severity: rule.severity,
      state: 'triggered',
      value,
      lastValue: value,
      firedAt: at,
      acknowledgedAt: null,
      resolvedAt: null,
      snoozedUntil: null,
      history: [{ at, state: 'triggered' }],
    };
    this.#open.set(key, alert);
    this.#d.onChange(alert, true);
  }

  #close(key: string, at: number, note: string, value?: number): Alert {
    const alert = this.#open.get(key);
    if (!alert) throw new AppError('NOT_FOUND', 'No open alert with that id.');
    this.#open.delete(key);
    const next = this.#with(
      alert,
      { state: 'resolved', resolvedAt: at, ...(value !== undefined ? { lastValue: value } : {}) },
      at,
      'resolved',
      note,
    );
    this.#resolved.unshift(next);
    this.#resolved.length = Math.min(this.#resolved.length, this.#d.historyCap ?? 1000);
    this.#d.onChange(next, false);
    return next;
  }

  #with(alert: Alert, patch: Partial<Alert>, at: number, state: string, note?: string): Alert {
    return {
      ...alert,
      ...patch,
      history: [...alert.history, note !== undefined ? { at, state, note } : { at, state }],
    };
  }

  #find(id: string): [string, Alert] {
    for (const [key, a] of this.#open) if (a.id === id) return [key, a];
    if (this.#resolved.some((a) => a.id === id)) {
      throw new AppError('CONFLICT', 'That alert is already resolved.');
    }
    throw new AppError('NOT_FOUND', 'No alert with that id.');
  }

  #inScope(rule: AlertRule, serverId: string): boolean {
    if (rule.scope.kind === 'all') return true;
    if (rule.scope.kind === 'server') return rule.scope.serverId === serverId;
    const tags = this.#d.tags(serverId);
    const want = rule.scope.tag.toLowerCase();
    return tags !== null && tags.some((t) => t.toLowerCase() === want);
  }
}

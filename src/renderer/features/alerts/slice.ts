import type { StateCreator } from 'zustand';
import type { Alert, AlertRule, AlertRuleFields } from '../../../shared/contract/alerts.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

export interface AlertsSlice {
  alerts: Alert[];
  alertRules: AlertRule[];
  alertsLoaded: boolean;
  /** Reads the rules and the alerts (open ones and the resolved history). */
  loadAlerts(): Promise<void>;
  /** Puts a changed alert (alerts.changed) in place, newest first. */
  upsertAlert(alert: Alert): void;
  saveAlertRule(fields: AlertRuleFields, id?: string): Promise<AlertRule>;
  deleteAlertRule(id: string): Promise<void>;
  acknowledgeAlert(id: string): Promise<void>;
  snoozeAlert(id: string, minutes: number): Promise<void>;
  resolveAlert(id: string): Promise<void>;
  clearAlerts(): void;
}

let generation = 0;
const byFired = (a: Alert, b: Alert): number => b.firedAt - a.firedAt;

/** Alert rules and alerts (alerts.*), kept current by alerts.changed. */
export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = (set, get) => ({
  alerts: [],
  alertRules: [],
  alertsLoaded: false,
  loadAlerts: async () => {
    const mine = ++generation;
    const [rules, alerts] = await Promise.all([client.call('alerts.rules.list', {}), client.call('alerts.list', {})]);
    if (mine !== generation) return;
    set({ alertRules: rules, alerts, alertsLoaded: true });
  },
  upsertAlert: (alert) => set((s) => ({ alerts: [alert, ...s.alerts.filter((a) => a.id !== alert.id)].sort(byFired) })),
  saveAlertRule: async (fields, id) => {
    const rule = id
      ? await client.call('alerts.rules.update', { id, fields }, { expected: ['VALIDATION'] })
      : await client.call('alerts.rules.create', fields, { expected: ['VALIDATION'] });
    set((s) => ({
      alertRules: [...s.alertRules.filter((r) => r.id !== rule.id), rule].sort((a, b) => a.name.localeCompare(b.name)),
    }));
    return rule;
  },
  deleteAlertRule: async (id) => {
    await client.call('alerts.rules.delete', { id });
    set((s) => ({ alertRules: s.alertRules.filter((r) => r.id !== id) }));
  },
  acknowledgeAlert: async (id) => get().upsertAlert(await client.call('alerts.acknowledge', { id })),
  snoozeAlert: async (id, minutes) => get().upsertAlert(await client.call('alerts.snooze', { id, minutes })),
  resolveAlert: async (id) => get().upsertAlert(await client.call('alerts.resolve', { id })),
  clearAlerts: () => {
    generation++;
    set({ alerts: [], alertRules: [], alertsLoaded: false });
  },
});

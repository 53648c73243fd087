import { useEffect } from 'react';
import type { Alert } from '../../../shared/contract/alerts.contract';
import { client } from '../../lib/client';
import { useStore } from '../../store';
import { describeRule } from './alert-view';

/** True for an alert that has just fired (its history is that one entry) and is not snoozed. */
function newlyFired(a: Alert): boolean {
  return a.state === 'triggered' && a.history.length === 1 && (a.snoozedUntil ?? 0) <= Date.now();
}

/** Shows a fired alert in the browser's notification centre when the page may; a click opens the server. */
function browserNotify(title: string, body: string, serverId: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (window.paneldeck) return; // in Electron the core shows the desktop notification itself
  const n = new Notification(title, { body, tag: `paneldeck-alert-${serverId}` });
  n.onclick = () => {
    window.focus();
    useStore.getState().openMetrics({ kind: 'server', serverId });
  };
}

/**
 * Keeps the alert list current (alerts.changed) and tells the user when one fires: an in-app toast, plus the
 * browser's Notification when it is permitted (Electron's desktop notification comes from the core). A click on
 * a desktop notification (alerts.opened) opens that server's dashboard. Drops alerts and rules when the vault locks.
 */
export function useAlertEvents(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearAlerts();
    else
      useStore
        .getState()
        .loadAlerts()
        .catch(() => undefined); // the rules name what a toast reports
  }, [unlocked]);
  useEffect(() => {
    const offChanged = client.on('alerts.changed', (alert) => {
      const s = useStore.getState();
      s.upsertAlert(alert);
      if (!newlyFired(alert)) return;
      const server = s.servers.find((x) => x.id === alert.serverId)?.name ?? 'A server';
      const rule = s.alertRules.find((r) => r.id === alert.ruleId);
      const what = rule ? `${rule.name} (${describeRule(rule)})` : alert.subject;
      const value = alert.value === null ? '' : `, now ${Math.round(alert.value * 10) / 10}`;
      const title = `Alert on ${server}`;
      s.pushToast({ level: alert.severity === 'info' ? 'info' : 'warning', title, message: `${what}${value}` });
      browserNotify(title, `${what}${value}`, alert.serverId);
    });
    const offOpened = client.on('alerts.opened', ({ serverId }) =>
      useStore.getState().openMetrics({ kind: 'server', serverId }),
    );
    return () => {
      offChanged();
      offOpened();
    };
  }, []);
}

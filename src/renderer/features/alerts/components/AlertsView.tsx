import { useEffect, useState } from 'react';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';
import { AlertList } from './AlertList';
import { RulesList } from './RulesList';
import '../alerts.css';

/** Offers the browser's notifications (outside Electron, whose core notifies) until the user answered. */
function NotificationOffer(): React.JSX.Element | null {
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' || window.paneldeck ? 'n/a' : Notification.permission,
  );
  if (permission !== 'default') return null;
  return (
    <p className="muted alerts-notify">
      Alerts show here and as a toast.{' '}
      <button
        type="button"
        className="button small"
        onClick={() => void Notification.requestPermission().then(setPermission)}
      >
        Also notify me on the desktop
      </button>
    </p>
  );
}

/** The alerts page of the Metrics section: the open alerts and their history, then the rules. */
export function AlertsView(): React.JSX.Element {
  const loadAlerts = useStore((s) => s.loadAlerts);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadAlerts().catch((e: unknown) => setError(errorMessage(e)));
  }, [loadAlerts]);
  return (
    <div className="alerts-view" data-testid="alerts-view">
      <p className="form-error" role="alert">
        {error}
      </p>
      <NotificationOffer />
      <AlertList />
      <RulesList />
    </div>
  );
}

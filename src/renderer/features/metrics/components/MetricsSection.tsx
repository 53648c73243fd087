import { useEffect } from 'react';
import { useStore } from '../../../store';
import { Tabs } from '../../../ui/Tabs';
import { AlertsView } from '../../alerts';
import { VaultGate } from '../../vault';
import { FleetOverview } from './FleetOverview';
import { ServerDashboard } from './ServerDashboard';
import '../metrics.css';

type TabId = 'fleet' | 'alerts';

/** The section's pages once the vault is open: fleet overview, alerts, or one server's dashboard. */
function MetricsContent(): React.JSX.Element {
  const page = useStore((s) => s.metricsPage);
  const openMetrics = useStore((s) => s.openMetrics);
  const openAlerts = useStore((s) => s.alerts.filter((a) => a.state === 'triggered').length);

  useEffect(() => {
    const s = useStore.getState();
    s.loadServers().catch(() => undefined);
    s.loadMetricsSettings().catch(() => undefined);
    s.loadCollectStates().catch(() => undefined);
  }, []);

  if (page.kind === 'server') return <ServerDashboard serverId={page.serverId} />;
  const tab: TabId = page.kind;
  return (
    <section className="metrics-section" aria-labelledby="metrics-title">
      <div className="section-header">
        <h1 id="metrics-title">Metrics</h1>
      </div>
      <Tabs<TabId>
        label="Metrics pages"
        idPrefix="metrics"
        tabs={[
          { id: 'fleet', label: 'Fleet' },
          { id: 'alerts', label: openAlerts > 0 ? `Alerts (${openAlerts})` : 'Alerts' },
        ]}
        current={tab}
        onChange={(id) => openMetrics({ kind: id })}
      />
      <div id="metrics-panel" role="tabpanel" aria-labelledby={`metrics-tab-${tab}`} className="metrics-panel">
        {tab === 'fleet' ? <FleetOverview /> : <AlertsView />}
      </div>
    </section>
  );
}

/**
 * The Metrics section (issue 11): every server's figures collected over SSH without an agent, the fleet at a
 * glance, each server's charts with months of history, and alerts. Server ids belong to the vault: it opens first.
 */
export function MetricsSection(): React.JSX.Element {
  return (
    <VaultGate>
      <MetricsContent />
    </VaultGate>
  );
}

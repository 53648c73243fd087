import { useState } from 'react';
import { useStore } from '../../../store';
import { formatBytes, formatPct, formatRate, pct } from '../format';
import type { RangeId } from '../metrics-types';
import { panelFleetServer } from '../fleet-view';
import { useSeries } from '../use-series';
import { CollectStateBadge } from './CollectStateBadge';
import { CoresChart } from './CoresChart';
import { FilesystemsList } from './FilesystemsList';
import { MetricChart } from './MetricChart';
import { RangePicker } from './RangePicker';

const pctFmt = (v: number): string => `${v.toFixed(0)} %`;
const loadFmt = (v: number): string => v.toFixed(2);
const bytesFmt = (v: number): string => formatBytes(v);
const rateFmt = (v: number): string => formatRate(v);

/** A figure of the dashboard's header; `value` (a number) is also on `data-value` for tests. */
function Figure({
  label,
  text,
  value,
  testId,
}: {
  label: string;
  text: string;
  value: number | null;
  testId: string;
}): React.JSX.Element {
  return (
    <div className="metrics-figure" data-testid={testId} data-value={value === null ? '' : value.toFixed(2)}>
      <span className="muted">{label}</span>
      <strong>{text}</strong>
    </div>
  );
}

/**
 * One server's dashboard: its collection state (with the reason when it is not up), the current figures, and
 * CPU (total and per core), memory, load, disk I/O, network and disk use per mount over a chosen range — live
 * follows each sample; the history ranges come from history.db's tiers. The charts share one crosshair.
 */
export function ServerDashboard({ serverId }: { serverId: string }): React.JSX.Element {
  const server = useStore((s) => s.servers.find((x) => x.id === serverId));
  // A panel's server (NexusPanel) is not in the inventory: its name comes with the fleet overview's entry.
  const panelSource = useStore((s) => s.fleet.get(serverId)?.source ?? null);
  const collect = useStore((s) => s.collectStates[serverId]);
  const enabled = useStore((s) => s.metricsSettings?.enabled ?? false);
  const openMetrics = useStore((s) => s.openMetrics);
  const [range, setRange] = useState<RangeId>('live');
  const [reload, setReload] = useState(0);
  const { points, window, latest, loading, error } = useSeries(serverId, range, reload);
  const v = latest?.values ?? {};
  const state = collect?.state ?? (enabled ? 'connecting' : 'off');
  const cpu = v.cpuBusyPct ?? null;
  const memPct = pct(v.memUsedBytes, v.memTotalBytes);

  return (
    <section className="metrics-dashboard" aria-labelledby="metrics-server-title" data-testid="server-dashboard">
      <div className="section-header">
        <button type="button" className="button ghost small" onClick={() => openMetrics({ kind: 'fleet' })}>
          ← Fleet
        </button>
        <h1 id="metrics-server-title">
          {server?.name ?? (panelSource ? panelFleetServer(serverId, panelSource).name : 'Removed server')}
        </h1>
        <CollectStateBadge state={state} reason={collect?.error?.message ?? null} />
        <span className="metrics-spacer" />
        <RangePicker value={range} onChange={setRange} />
        {range !== 'live' ? (
          <button type="button" className="button small" onClick={() => setReload((n) => n + 1)}>
            Refresh
          </button>
        ) : null}
      </div>
      {collect?.error ? (
        <p className="metrics-state-reason" role="status" data-testid="collect-reason">
          {collect.error.message}
          {collect.retryAt ? ` · retrying at ${new Date(collect.retryAt).toLocaleTimeString()}` : ''}
        </p>
      ) : !enabled ? (
        <p className="muted metrics-state-reason" role="status">
          Collection is off: turn it on in the fleet overview to chart this server.
        </p>
      ) : null}
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="metrics-figures" aria-live="off">
        <Figure label="CPU" text={formatPct(cpu)} value={cpu} testId="current-cpu" />
        <Figure
          label="Memory"
          text={`${formatBytes(v.memUsedBytes)} of ${formatBytes(v.memTotalBytes)}`}
          value={memPct}
          testId="current-memory"
        />
        <Figure
          label="Load"
          text={[v.load1, v.load5, v.load15].map((x) => (typeof x === 'number' ? x.toFixed(2) : '–')).join(' ')}
          value={v.load1 ?? null}
          testId="current-load"
        />
        <Figure
          label="Processes"
          text={String(v.processes ?? '–')}
          value={v.processes ?? null}
          testId="current-procs"
        />
        {loading ? <span className="muted">Loading…</span> : null}
      </div>
      <div className="metrics-grid">
        <MetricChart
          title="CPU busy"
          testId="chart-cpu"
          points={points}
          window={window}
          lines={[{ key: 'cpuBusyPct', name: 'busy', color: 'var(--accent)' }]}
          format={pctFmt}
          domain={[0, 100]}
        />
        <CoresChart cores={latest?.cores ?? null} />
        <MetricChart
          title="Memory"
          testId="chart-memory"
          points={points}
          window={window}
          lines={[
            { key: 'memUsedBytes', name: 'used', color: 'var(--accent)' },
            { key: 'memTotalBytes', name: 'total', color: 'var(--fg-muted)' },
            { key: 'swapUsedBytes', name: 'swap', color: 'var(--warn)' },
          ]}
          format={bytesFmt}
        />
        <MetricChart
          title="Load average"
          testId="chart-load"
          points={points}
          window={window}
          lines={[
            { key: 'load1', name: '1 min', color: 'var(--accent)' },
            { key: 'load5', name: '5 min', color: 'var(--ok)' },
            { key: 'load15', name: '15 min', color: 'var(--fg-muted)' },
          ]}
          format={loadFmt}
        />
        <MetricChart
          title="Disk I/O"
          testId="chart-disk-io"
          points={points}
          window={window}
          lines={[
            { key: 'diskReadBps', name: 'read', color: 'var(--ok)' },
            { key: 'diskWriteBps', name: 'write', color: 'var(--warn)' },
          ]}
          format={rateFmt}
        />
        <MetricChart
          title="Network"
          testId="chart-network"
          points={points}
          window={window}
          lines={[
            { key: 'netRxBps', name: 'in', color: 'var(--accent)' },
            { key: 'netTxBps', name: 'out', color: 'var(--danger)' },
          ]}
          format={rateFmt}
        />
        <FilesystemsList filesystems={latest?.filesystems ?? null} />
      </div>
    </section>
  );
}

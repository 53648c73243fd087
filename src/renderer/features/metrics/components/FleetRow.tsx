import { memo } from 'react';
import { formatPct } from '../format';
import type { FleetRowData } from '../fleet-view';
import { CollectStateBadge } from './CollectStateBadge';
import { Sparkline } from './Sparkline';

/** One server of the fleet overview; a click (or Enter on its name) opens the server's dashboard. */
export const FleetRow = memo(FleetRowView, (a, b) => {
  const x = a.row;
  const y = b.row;
  return (
    a.index === b.index &&
    a.reason === b.reason &&
    a.onOpen === b.onOpen &&
    x.server === y.server &&
    x.state === y.state &&
    x.cpu === y.cpu &&
    x.memory === y.memory &&
    x.disk === y.disk &&
    x.load1 === y.load1 &&
    sameSpark(x.spark, y.spark)
  );
});

/** Two sparklines are the same when they end at the same time with the same number of points. */
function sameSpark(a: FleetRowData['spark'], b: FleetRowData['spark']): boolean {
  return a === b || (a !== null && b !== null && a.t.length === b.t.length && a.t.at(-1) === b.t.at(-1));
}

function FleetRowView({
  row,
  index,
  reason,
  onOpen,
}: {
  row: FleetRowData;
  index: number;
  reason: string | null;
  onOpen: (serverId: string) => void;
}): React.JSX.Element {
  const { server } = row;
  return (
    <div
      className="fleet-row"
      role="row"
      aria-rowindex={index + 2}
      data-testid="fleet-row"
      data-server-id={server.id}
      onClick={() => onOpen(server.id)}
    >
      <div role="cell" className="fleet-cell fleet-name">
        <button
          type="button"
          className="metrics-link"
          onClick={(e) => {
            e.stopPropagation();
            onOpen(server.id);
          }}
        >
          {server.name}
        </button>
        <span className="muted fleet-host">
          {server.panel ? `Panel: ${server.panel}` : ''}
          {server.group ? `${server.group} · ` : ''}
          {server.tags.join(', ')}
        </span>
      </div>
      <div role="cell" className="fleet-cell fleet-state">
        <CollectStateBadge state={row.state} reason={reason} />
      </div>
      <div role="cell" className="fleet-cell fleet-figure" data-testid="fleet-cpu">
        <span>{formatPct(row.cpu)}</span>
        <Sparkline values={row.spark?.cpu} label={`${server.name} CPU, last 30 minutes`} />
      </div>
      <div role="cell" className="fleet-cell fleet-figure">
        <span>{formatPct(row.memory)}</span>
        <Sparkline values={row.spark?.mem} label={`${server.name} memory, last 30 minutes`} />
      </div>
      <div role="cell" className="fleet-cell fleet-figure">
        <span>{formatPct(row.disk)}</span>
      </div>
      <div role="cell" className="fleet-cell fleet-figure">
        <span>{row.load1 === null ? '–' : row.load1.toFixed(2)}</span>
      </div>
    </div>
  );
}

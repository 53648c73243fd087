import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTime, tickFormatter } from '../format';
import type { MetricName } from '../metrics-types';
import type { ChartPoint } from '../series-points';

/** One line of a chart: which metric, its legend name and colour. */
export interface ChartLine {
  readonly key: MetricName;
  readonly name: string;
  readonly color: string;
}

interface MetricChartProps {
  readonly title: string;
  readonly testId: string;
  readonly points: readonly ChartPoint[];
  readonly window: readonly [number, number];
  readonly lines: readonly ChartLine[];
  readonly format: (v: number) => string;
  /** Fixed y range (e.g. [0, 100] for percentages); auto from the data otherwise. */
  readonly domain?: [number, number];
}

/** The id that links the dashboard's charts: one crosshair and tooltip moves across all of them (recharts syncId). */
const SYNC_ID = 'server-metrics';

function ChartTooltip({
  active,
  label,
  payload,
  format,
}: {
  active?: boolean;
  label?: unknown;
  payload?: readonly { name?: unknown; value?: unknown; color?: string }[];
  format: (v: number) => string;
}): React.JSX.Element | null {
  if (!active || !payload?.length || typeof label !== 'number') return null;
  return (
    <div className="metrics-tooltip">
      <div className="muted">{formatTime(label)}</div>
      {payload.map((p) => (
        <div key={String(p.name)}>
          <span className="metrics-swatch" style={{ background: p.color }} /> {String(p.name)}:{' '}
          <strong>{typeof p.value === 'number' ? format(p.value) : '–'}</strong>
        </div>
      ))}
    </div>
  );
}

/**
 * A time-series chart of the dashboard: lines without dots or animation (hundreds of points, redrawn with each
 * sample), the time axis fitted to the range, and a crosshair synced with the other charts. The newest value of
 * the first line is on `data-last`, so tests and screen readers can read what the chart ends on.
 */
export function MetricChart({
  title,
  testId,
  points,
  window,
  lines,
  format,
  domain,
}: MetricChartProps): React.JSX.Element {
  const first = lines[0];
  const last = first ? points.findLast((p) => typeof p[first.key] === 'number')?.[first.key] : undefined;
  const span = window[1] - window[0];
  return (
    <figure
      className="metrics-chart"
      data-testid={testId}
      data-last={typeof last === 'number' ? last.toFixed(2) : ''}
      data-points={points.length}
      aria-label={title}
    >
      <figcaption className="metrics-chart-caption">
        <span>{title}</span>
        <span className="metrics-legend">
          {lines.map((l) => (
            <span key={l.key}>
              <span className="metrics-swatch" style={{ background: l.color }} /> {l.name}
            </span>
          ))}
        </span>
        <span className="metrics-chart-now">{typeof last === 'number' ? format(last) : '–'}</span>
      </figcaption>
      <div className="metrics-chart-body" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} syncId={SYNC_ID} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="2 4" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[window[0], window[1]]}
              allowDataOverflow
              tickFormatter={tickFormatter(span)}
              tick={{ fill: 'var(--fg-muted)', fontSize: 10 }}
              stroke="var(--border)"
              minTickGap={40}
            />
            <YAxis
              width={76}
              domain={domain ?? [0, 'auto']}
              tickFormatter={(v: number) => format(v)}
              tick={{ fill: 'var(--fg-muted)', fontSize: 10 }}
              stroke="var(--border)"
              allowDataOverflow={Boolean(domain)}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--accent)', strokeDasharray: '3 3' }}
              content={(p) => <ChartTooltip active={p.active} label={p.label} payload={p.payload} format={format} />}
            />
            {lines.map((l) => (
              <Line
                key={l.key}
                dataKey={l.key}
                name={l.name}
                stroke={l.color}
                strokeWidth={1.5}
                type="linear"
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

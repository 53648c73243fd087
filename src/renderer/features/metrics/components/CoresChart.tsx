import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPct } from '../format';

/** Per-core CPU busy % of the newest sample, one bar per core (history keeps the total only). */
export function CoresChart({ cores }: { cores: readonly (number | null)[] | null }): React.JSX.Element {
  const data = (cores ?? []).map((v, i) => ({ core: `cpu${i}`, busy: v ?? 0 }));
  return (
    <figure className="metrics-chart" data-testid="chart-cores" aria-label="CPU per core" data-cores={data.length}>
      <figcaption className="metrics-chart-caption">
        <span>CPU per core (now)</span>
        <span className="visually-hidden">{data.map((d) => `${d.core} ${formatPct(d.busy)}`).join(', ')}</span>
      </figcaption>
      {data.length === 0 ? (
        <p className="muted metrics-chart-empty">Waiting for the first sample…</p>
      ) : (
        <div className="metrics-chart-body" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="2 4" vertical={false} />
              <XAxis dataKey="core" tick={{ fill: 'var(--fg-muted)', fontSize: 10 }} stroke="var(--border)" />
              <YAxis
                width={76}
                domain={[0, 100]}
                tickFormatter={(v: number) => `${v} %`}
                tick={{ fill: 'var(--fg-muted)', fontSize: 10 }}
                stroke="var(--border)"
              />
              <Tooltip
                isAnimationActive={false}
                cursor={{ fill: 'var(--border)', fillOpacity: 0.3 }}
                formatter={(v) => formatPct(Number(v))}
              />
              <Bar dataKey="busy" name="busy" fill="var(--accent)" isAnimationActive={false} radius={2} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Certificate } from '../../../../shared/contract/certificates.contract';
import { certificateNames, daysLeft, isoDay, urgency, type Urgency } from '../inventory-view';

const DAY = 86_400_000;
/** The chart shows the soonest ones; the table below has all. */
const MAX_ROWS = 40;

const FILL: Record<Urgency, string> = {
  ok: 'var(--ok)',
  soon: 'var(--warn)',
  urgent: 'var(--danger)',
  expired: 'var(--fg-muted)',
};

interface Row {
  id: string;
  label: string;
  server: string;
  range: [number, number];
  notAfter: number;
  urgency: Urgency;
}

const tickDate = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  year: '2-digit',
  timeZone: 'UTC',
});

function TimelineTooltip({
  active,
  payload,
  now,
}: {
  active?: boolean;
  payload?: readonly { payload?: Row }[];
  now: number;
}): React.JSX.Element | null {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  const d = daysLeft(row.notAfter, now);
  return (
    <div className="cert-tooltip">
      <strong>{row.label}</strong>
      <div className="muted">{row.server}</div>
      <div>
        {isoDay(row.range[0])} → {isoDay(row.notAfter)} ({d < 0 ? 'expired' : `${d} d left`})
      </div>
    </div>
  );
}

/**
 * The expiry timeline: one bar per certificate from its start to its expiry, coloured by urgency, with "today" and
 * the 7- and 21-day notice bands, so what expires next stands out across the whole fleet.
 */
export function ExpiryTimeline({
  certificates,
  serverName,
  now,
}: {
  certificates: readonly Certificate[];
  serverName: (id: string) => string;
  now: number;
}): React.JSX.Element {
  const shown = certificates.slice(0, MAX_ROWS);
  const rows: Row[] = shown.map((c) => ({
    id: c.id,
    label: certificateNames(c)[0] ?? c.subject,
    server: serverName(c.serverId),
    range: [c.notBefore, c.notAfter],
    notAfter: c.notAfter,
    urgency: urgency(c.notAfter, now),
  }));
  // The window: from a little before the oldest start (at most 90 days back) to the last expiry, but no further
  // than ~13 months ahead, so the next weeks stay readable; longer certificates run off the right edge.
  const lo = Math.min(now - 7 * DAY, Math.max(now - 90 * DAY, Math.min(...rows.map((r) => r.range[0]))));
  const hi = Math.min(now + 400 * DAY, Math.max(now + 30 * DAY, ...rows.map((r) => r.notAfter)));
  const height = 56 + rows.length * 30;
  return (
    <figure className="cert-timeline" data-testid="cert-timeline" aria-label="Expiry timeline">
      <figcaption className="cert-timeline-caption">
        <span>Expiry timeline</span>
        <span className="cert-legend">
          <span className="cert-swatch cert-ok" /> more than 21 days
          <span className="cert-swatch cert-soon" /> ≤ 21 days
          <span className="cert-swatch cert-urgent" /> ≤ 7 days
          <span className="cert-swatch cert-expired" /> expired
        </span>
        {certificates.length > MAX_ROWS ? (
          <span className="muted">
            the {MAX_ROWS} soonest of {certificates.length}
          </span>
        ) : null}
      </figcaption>
      <ul className="visually-hidden">
        {rows.map((r) => (
          <li key={r.id}>
            {r.label} on {r.server}: valid from {isoDay(r.range[0])} to {isoDay(r.notAfter)}
          </li>
        ))}
      </ul>
      <div style={{ width: '100%', height }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 18, right: 24, bottom: 4, left: 8 }} barSize={14}>
            <CartesianGrid horizontal={false} stroke="var(--border)" />
            <XAxis
              type="number"
              domain={[lo, hi]}
              scale="time"
              tickFormatter={(v: number) => tickDate.format(v)}
              tick={{ fill: 'var(--fg-muted)', fontSize: 11 }}
              stroke="var(--border)"
              allowDataOverflow
            />
            <YAxis
              type="category"
              dataKey="label"
              width={190}
              tick={{ fill: 'var(--fg)', fontSize: 12 }}
              stroke="var(--border)"
              interval={0}
            />
            <ReferenceArea
              x1={now + 7 * DAY}
              x2={now + 21 * DAY}
              fill="var(--warn)"
              fillOpacity={0.1}
              ifOverflow="hidden"
            />
            <ReferenceArea x1={now} x2={now + 7 * DAY} fill="var(--danger)" fillOpacity={0.12} ifOverflow="hidden" />
            <ReferenceLine
              x={now}
              stroke="var(--accent)"
              strokeDasharray="4 3"
              label={{ value: 'today', position: 'top', fill: 'var(--accent)', fontSize: 11 }}
            />
            <Tooltip
              cursor={{ fill: 'var(--border)', fillOpacity: 0.3 }}
              isAnimationActive={false}
              content={(p) => <TimelineTooltip active={p.active} payload={p.payload} now={now} />}
            />
            <Bar dataKey="range" isAnimationActive={false} radius={3}>
              {rows.map((r) => (
                <Cell key={r.id} fill={FILL[r.urgency]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

import type { LiveSample, MetricName, MetricSeries, RangeId } from './metrics-types';

const MIN = 60_000;
const DAY = 86_400_000;

/** How far back each range reaches. Live shows the last 10 minutes and moves with every sample. */
export const RANGE_SPAN: Record<RangeId, number> = {
  live: 10 * MIN,
  '15m': 15 * MIN,
  '1h': 60 * MIN,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '1y': 365 * DAY,
};

/** The ranges in picker order, with their labels. */
export const RANGES: readonly { id: RangeId; label: string }[] = [
  { id: 'live', label: 'Live' },
  { id: '15m', label: '15 min' },
  { id: '1h', label: '1 h' },
  { id: '24h', label: '24 h' },
  { id: '7d', label: '7 d' },
  { id: '30d', label: '30 d' },
  { id: '1y', label: '1 y' },
];

/** The metrics the dashboard charts. */
export const CHART_METRICS: readonly MetricName[] = [
  'cpuBusyPct',
  'memUsedBytes',
  'memTotalBytes',
  'swapUsedBytes',
  'load1',
  'load5',
  'load15',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
];

/** One point of the charts: the time and each metric's value (null where unknown). */
export type ChartPoint = { t: number } & Partial<Record<MetricName, number | null>>;

/** Ranges short enough that new samples are appended as they arrive. */
export const FOLLOWS_LIVE = new Set<RangeId>(['live', '15m', '1h']);

/** A metrics.series answer as chart points (the average of each bucket). */
export function seriesPoints(s: MetricSeries): ChartPoint[] {
  return s.t.map((t, i) => {
    const p: ChartPoint = { t };
    for (const m of CHART_METRICS) p[m] = s.values[m]?.avg[i] ?? null;
    return p;
  });
}

/** A live sample as one chart point. */
export function samplePoint(s: LiveSample): ChartPoint {
  const p: ChartPoint = { t: s.at };
  for (const m of CHART_METRICS) p[m] = s.values[m] ?? null;
  return p;
}

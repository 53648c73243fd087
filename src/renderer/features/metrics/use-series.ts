import { useEffect, useRef, useState } from 'react';
import { client } from '../../lib/client';
import { errorMessage } from '../../lib/errors';
import type { LiveSample, RangeId } from './metrics-types';
import { CHART_METRICS, FOLLOWS_LIVE, RANGE_SPAN, samplePoint, seriesPoints, type ChartPoint } from './series-points';

/** What {@link useSeries} gives the dashboard. */
export interface SeriesState {
  points: ChartPoint[];
  /** The window shown, [from, to]. */
  window: [number, number];
  /** The newest sample (per-core CPU, every filesystem), null before the first. */
  latest: LiveSample | null;
  loading: boolean;
  error: string | null;
}

/**
 * One server's chart data for a range: metrics.series for the window (the core picks the tier and caps the
 * points), plus metrics.live for the newest sample; live and short ranges then append every metrics.sample of
 * this server and drop what leaves the window. Samples reach the charts straight from the client, not the store.
 */
export function useSeries(serverId: string, range: RangeId, reload: number): SeriesState {
  const key = `${serverId}|${range}|${reload}`;
  const [state, setState] = useState<SeriesState & { key: string }>(() => ({
    key: '',
    points: [],
    window: [Date.now() - RANGE_SPAN[range], Date.now()],
    latest: null,
    loading: true,
    error: null,
  }));
  const points = useRef<ChartPoint[]>([]);

  useEffect(() => {
    let alive = true;
    const span = RANGE_SPAN[range];
    const to = Date.now();
    const from = to - span;
    const fresh = (s: SeriesState & { key: string }): SeriesState & { key: string } =>
      s.key === key ? s : { key, points: [], window: [from, to], latest: null, loading: true, error: null };
    points.current = [];
    const pending: LiveSample[] = [];
    let loaded = false;
    const push = (sample: LiveSample): void => {
      if (!FOLLOWS_LIVE.has(range)) return setState((s) => ({ ...fresh(s), latest: sample }));
      const last = points.current.at(-1);
      if (last && sample.at <= last.t) return setState((s) => ({ ...fresh(s), latest: sample }));
      const lo = sample.at - span;
      const next = points.current.filter((p) => p.t >= lo);
      next.push(samplePoint(sample));
      points.current = next;
      // Live starts where its data starts and widens up to its span; the other ranges keep their full window.
      const start = range === 'live' ? Math.max(lo, next[0]?.t ?? lo) : lo;
      setState((s) => ({ ...fresh(s), points: next, window: [start, sample.at], latest: sample }));
    };
    const off = client.on('metrics.sample', (sample) => {
      if (sample.serverId !== serverId) return;
      if (loaded) push(sample);
      else pending.push(sample);
    });
    Promise.all([
      client.call(
        'metrics.series',
        { serverId, metrics: [...CHART_METRICS], from, to, maxPoints: range === 'live' ? 600 : 1000 },
        { expected: 'all' },
      ),
      client.call('metrics.live', { serverId }, { expected: 'all' }),
    ])
      .then(([series, live]) => {
        if (!alive) return;
        points.current = seriesPoints(series);
        loaded = true;
        const start = range === 'live' ? Math.max(from, points.current[0]?.t ?? live?.at ?? from) : from;
        setState((s) => ({
          ...fresh(s),
          points: points.current,
          window: [start, to],
          latest: live,
          loading: false,
        }));
        for (const sample of pending) push(sample);
      })
      .catch((e: unknown) => {
        if (!alive) return;
        loaded = true;
        setState((s) => ({ ...fresh(s), loading: false, error: errorMessage(e) }));
      });
    return () => {
      alive = false;
      off();
    };
  }, [key, serverId, range]);

  if (state.key === key) return state;
  // A new server, range or refresh: nothing of the old one is shown while the new one loads.
  return { points: [], window: state.window, latest: null, loading: true, error: null };
}

import type { z } from 'zod';
import type { ChartRange, metricsMethods } from '../../../shared/contract/metrics.contract';

/**
 * The metrics contract's shapes as the views use them, read from metrics.contract.ts itself (so the views do not
 * depend on where the contract index spreads it).
 */
type M = typeof metricsMethods;

/** One row of the fleet overview (metrics.fleet). */
export type FleetEntry = z.output<M['metrics.fleet']['output']>[number];
/** One server's series over a range (metrics.series). */
export type MetricSeries = z.output<M['metrics.series']['output']>;
/** A range of the dashboard: live (the last minutes, growing with each sample) or a history range. */
export type RangeId = 'live' | z.infer<typeof ChartRange>;

export type {
  CollectState,
  LiveSample,
  MetricName,
  MetricsSettings,
  ServerCollectState,
} from '../../../shared/contract/metrics.contract';

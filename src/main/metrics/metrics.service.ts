import type Database from 'better-sqlite3';
import type {
  LiveSample,
  MetricName,
  MetricsSettings,
  MetricsSource,
  ServerCollectState,
} from '../../shared/contract/metrics.contract';
import { AppError, isAppError } from '../../shared/errors';
import type { Observation } from '../alerts/alert-engine';
import { observationFromState, observationsFromSample } from '../alerts/observations';
import type { Logger } from '../core/logger';
import type { MetricSeries } from '../storage/history/metrics-query';
import type { MetricsRow } from '../storage/history/metrics-schema';
import { MetricsStore } from '../storage/history/metrics-store';
import type { Clock, TimerHandle } from '../vault/clock';
import type { MetricsSample, MetricsStateChange } from './metrics.types';
import { sampleToLive, sampleToRow } from './sample-mapping';

/** What the service needs of a collector (MetricsCollector; unit tests pass a scripted one). */
export interface CollectorLike {
  start(serverId: string, opts: { intervalMs: number }): Promise<void>;
  stop(serverId: string): Promise<void>;
  stopAll(): Promise<void>;
}

/** Where the clear settings live (history.db's `meta` table: HistoryDb.getMeta / setMeta). */
export interface SettingsMeta {
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
}

/** Dependencies of {@link MetricsService}. */
export interface MetricsServiceDeps {
  /** history.db (migrated): the metrics tables. */
  readonly db: Database.Database;
  readonly meta: SettingsMeta;
  /** Builds the collector, wired to the service's callbacks. */
  readonly collector: (callbacks: {
    onSample: (s: MetricsSample) => void;
    onState: (c: MetricsStateChange) => void;
  }) => CollectorLike;
  /** Every server in the inventory (throws VAULT_LOCKED while the vault is locked). */
  readonly serverIds: () => string[];
  /** True while the vault is unlocked (collection needs the servers' credentials). */
  readonly unlocked: () => boolean;
  readonly emitSample: (s: LiveSample) => void;
  readonly emitState: (s: ServerCollectState) => void;
  /** The alert engine's input (create-core passes `alertsRef`). */
  readonly observe?: ((observations: readonly Observation[], at: number) => void) | undefined;
  /** Re-reads the panels' servers (the second sample source) before each reconcile; errors are its own. */
  readonly refresh?: (() => Promise<void>) | undefined;
  /** Where a server's samples come from (a panel's server), for the fleet overview; null for the inventory's. */
  readonly source?: ((serverId: string) => MetricsSource) | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The defaults: off until the user turns it on, every 5 s, raw 48 h, 1-minute rollups 30 days, 1-hour 2 years. */
export const DEFAULT_METRICS_SETTINGS: MetricsSettings = {
  enabled: false,
  intervalSec: 5,
  rawHours: 48,
  minuteDays: 30,
  hourDays: 730,
};

const META_ENABLED = 'metrics.enabled';
const META_INTERVAL = 'metrics.intervalSec';

/** The series answer of the contract (`metrics.series`). */
export type SeriesResult = Omit<MetricSeries, 'values'> & {
  values: Record<string, { avg: number[]; min: number[]; max: number[] }>;
};

/** One server in the fleet overview (`metrics.fleet`). */
export interface FleetRow {
  serverId: string;
  state: ServerCollectState['state'];
  at: number | null;
  values: Record<string, number> | null;
  spark: { t: number[]; cpu: number[]; mem: number[] };
  source: MetricsSource;
}

/**
 * Metrics collection for the whole fleet (issue 11): while enabled and the vault is unlocked, one collector loop
 * per server in the inventory; each sample goes out live (`metrics.sample`), to the alert rules, and into
 * history.db, where every sample that arrives within one interval joins a single `writeTick` (one transaction for
 * the fleet per tick), followed by the store's cheap `maintain`. The settings are clear numbers: on/off and the
 * interval in history.db's `meta`, retention in the store's own tier table (history.db is the only place that
 * needs them, and they work while the vault is locked, like the charts).
 *
 * Start/stop requests (settings, inventory changes, lock/unlock) are serialized on one queue and each one
 * reconciles the running set with what should run, so any order of events ends in the right state.
 */
export class MetricsService {
  readonly #d: MetricsServiceDeps;
  readonly #collector: CollectorLike;
  #store: MetricsStore;
  readonly #running = new Set<string>();
  readonly #states = new Map<string, ServerCollectState>();
  readonly #live = new Map<string, LiveSample>();
  #pending = new Map<string, MetricsRow>();
  #pendingAt = 0;
  #flushTimer: TimerHandle | null = null;
  #lastTickTs = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(deps: MetricsServiceDeps) {
    this.#d = deps;
    this.#store = new MetricsStore(deps.db, { rawStepMs: this.#intervalMs() });
    this.#collector = deps.collector({
      onSample: (s) => this.#onSample(s),
      onState: (c) => this.#onState(c),
    });
  }

  /** The collection settings. */
  settings(): MetricsSettings {
    const enabled = this.#d.meta.getMeta(META_ENABLED);
    return {
      enabled: enabled === null ? DEFAULT_METRICS_SETTINGS.enabled : enabled === '1',
      intervalSec: this.#intervalSec(),
      ...this.#store.retention,
    };
  }

  /** Changes settings; collection follows (started, stopped or restarted at the new interval) before it resolves. */
  async setSettings(change: Partial<MetricsSettings>): Promise<MetricsSettings> {
    const before = this.settings();
    const next = { ...before, ...change };
    const retention = { rawHours: next.rawHours, minuteDays: next.minuteDays, hourDays: next.hourDays };
    this.#store.setRetention(retention);
    this.#d.meta.setMeta(META_ENABLED, next.enabled ? '1' : '0');
    this.#d.meta.setMeta(META_INTERVAL, String(next.intervalSec));
    if (next.intervalSec !== before.intervalSec) {
      // The raw step of the chart queries follows the interval (see MetricsStoreOptions.rawStepMs).
      this.#flush();
      this.#store = new MetricsStore(this.#d.db, { rawStepMs: next.intervalSec * 1000 });
    }
    this.#d.logger.info('metrics.settings', { enabled: next.enabled, intervalSec: next.intervalSec });
    await this.sync();
    return this.settings();
  }

  /**
   * Reconciles collection with the settings, the vault and the inventory; `restart` names servers whose target
   * may have changed (their loop is stopped and started again). Serialized: resolves when this one has run.
   */
  sync(restart: readonly string[] = []): Promise<void> {
    const run = this.#queue.then(() => this.#reconcile(restart));
    this.#queue = run.catch((e: unknown) => {
      this.#d.logger.error('metrics.sync.failed', { message: e instanceof Error ? e.message : String(e) });
    });
    return run;
  }

  /** A server was removed from the inventory: stop it and delete its history. */
  async removed(serverId: string): Promise<void> {
    await this.sync();
    this.#pending.delete(serverId);
    this.#live.delete(serverId);
    this.#states.delete(serverId);
    this.#store.removeServer(serverId);
  }

  /** Every server's collection state (`off` when it is not collected). */
  states(): ServerCollectState[] {
    return this.#d.serverIds().map((id) => this.#stateOf(id));
  }

  /**
   * A chart of one server's metrics (MetricsStore.series). The batch still open (at most one interval) is not in
   * it: the charts append the live `metrics.sample` events, and flushing here would split the fleet's tick.
   */
  series(i: { serverId: string; metrics: MetricName[]; from: number; to: number; maxPoints: number }): SeriesResult {
    if (i.to <= i.from)
      throw new AppError('VALIDATION', 'The end of a range must be after its start.', { field: 'to' });
    const s = this.#store.series(i.serverId, i.metrics, i.from, i.to, i.maxPoints);
    const values: SeriesResult['values'] = {};
    for (const [name, points] of Object.entries(s.values)) if (points) values[name] = points;
    return { ...s, values };
  }

  /**
   * The fleet overview: each server's newest stored figures, its state and sparklines over the last
   * `sparkMinutes` (CPU busy %, memory used as % of total).
   */
  fleet(sparkMinutes: number): FleetRow[] {
    const ids = this.#d.serverIds();
    const latest = this.#store.latest(ids, {
      spark: ['cpuBusyPct', 'memUsedBytes', 'memTotalBytes'],
      sparkMinutes,
    });
    return latest.map((l) => {
      const used = l.spark.values.memUsedBytes ?? [];
      const total = l.spark.values.memTotalBytes ?? [];
      return {
        serverId: l.serverId,
        state: this.#stateOf(l.serverId).state,
        at: l.ts,
        values: l.values,
        spark: {
          t: l.spark.t,
          cpu: l.spark.values.cpuBusyPct ?? [],
          mem: used.map((u, k) => ((total[k] ?? 0) > 0 ? (u / total[k]!) * 100 : 0)),
        },
        source: this.#d.source?.(l.serverId) ?? null,
      };
    });
  }

  /** The newest sample of a server, kept in memory (null before its first one, and after it stopped). */
  live(serverId: string): LiveSample | null {
    return this.#live.get(serverId) ?? null;
  }

  /** Stops every loop (ends them on the servers), writes what is pending. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.sync();
    this.#flush();
  }

  async #reconcile(restart: readonly string[]): Promise<void> {
    const want = new Set<string>();
    if (!this.#closed && this.settings().enabled && this.#d.unlocked()) {
      await this.#d.refresh?.();
      try {
        for (const id of this.#d.serverIds()) want.add(id);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'VAULT_LOCKED') throw e;
      }
    }
    const stopping = [...this.#running].filter((id) => !want.has(id) || restart.includes(id));
    await Promise.all(stopping.map((id) => this.#collector.stop(id)));
    for (const id of stopping) {
      this.#running.delete(id);
      if (!want.has(id)) this.#off(id);
    }
    if (this.#running.size === 0 && want.size === 0) this.#flush();
    const intervalMs = this.#intervalMs();
    for (const id of want) {
      this.#running.add(id);
      // Resolves at once; a server it cannot reach is retried by the collector with backoff.
      await this.#collector.start(id, { intervalMs });
    }
  }

  #onSample(s: MetricsSample): void {
    if (!this.#running.has(s.serverId)) return;
    const live = sampleToLive(s);
    this.#live.set(s.serverId, live);
    this.#d.emitSample(live);
    this.#observe(observationsFromSample(s), s.at);
    const row = sampleToRow(s);
    if (row === null) return;
    // One row per server per tick: a server that is already in this batch (it came early) closes the batch.
    if (this.#pending.has(s.serverId)) this.#flush();
    if (this.#pending.size === 0) {
      this.#flushTimer = this.#d.clock.setTimer(() => {
        this.#flushTimer = null;
        this.#flush();
      }, this.#intervalMs());
    }
    this.#pending.set(s.serverId, row);
    this.#pendingAt = Math.max(this.#pendingAt, s.at);
  }

  #onState(c: MetricsStateChange): void {
    if (!this.#running.has(c.serverId)) return;
    const state: ServerCollectState = {
      serverId: c.serverId,
      state: c.state,
      at: c.at,
      error: c.error ? { code: c.error.code, message: c.error.message } : null,
      retryAt: c.retryAt ?? null,
    };
    this.#states.set(c.serverId, state);
    this.#d.emitState(state);
    const o = observationFromState(c.serverId, c.state);
    if (o !== null) this.#observe([o], c.at);
  }

  /** Writes the pending batch as one tick of the fleet, then rolls up and prunes (cheap when nothing closed). */
  #flush(): void {
    if (this.#flushTimer !== null) this.#d.clock.clearTimer(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pending.size === 0) return;
    const rows = [...this.#pending.values()];
    // Strictly increasing whole seconds: a batch closed early never lands on the previous tick's second.
    const ts = Math.max(this.#pendingAt, this.#lastTickTs + 1000);
    this.#pending = new Map();
    this.#pendingAt = 0;
    this.#write(ts, rows);
    this.#lastTickTs = ts;
    try {
      this.#store.maintain(this.#d.clock.now());
    } catch (e) {
      this.#d.logger.error('metrics.maintain.failed', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One transaction; a row the store refuses (VALIDATION names it) is dropped, not the fleet's tick. */
  #write(ts: number, rows: MetricsRow[]): void {
    let left = rows;
    while (left.length > 0) {
      try {
        this.#store.writeTick(ts, left);
        return;
      } catch (e) {
        const index = isAppError(e) && e.code === 'VALIDATION' ? e.details?.['index'] : undefined;
        this.#d.logger.warn('metrics.write.refused', {
          message: e instanceof Error ? e.message : String(e),
          ...(isAppError(e) && e.details?.['field'] !== undefined ? { field: e.details['field'] } : {}),
        });
        if (typeof index !== 'number') return;
        left = left.filter((_, k) => k !== index);
      }
    }
  }

  #observe(observations: readonly Observation[], at: number): void {
    try {
      this.#d.observe?.(observations, at);
    } catch (e) {
      this.#d.logger.error('metrics.alerts.failed', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  #off(serverId: string): void {
    this.#live.delete(serverId);
    const prev = this.#states.get(serverId);
    if (prev === undefined || prev.state === 'off') return;
    const off: ServerCollectState = { serverId, state: 'off', at: this.#d.clock.now(), error: null, retryAt: null };
    this.#states.set(serverId, off);
    this.#d.emitState(off);
  }

  #stateOf(serverId: string): ServerCollectState {
    return (
      this.#states.get(serverId) ?? { serverId, state: 'off', at: this.#d.clock.now(), error: null, retryAt: null }
    );
  }

  #intervalSec(): number {
    const v = Number(this.#d.meta.getMeta(META_INTERVAL) ?? NaN);
    return Number.isInteger(v) && v >= 1 && v <= 300 ? v : DEFAULT_METRICS_SETTINGS.intervalSec;
  }

  #intervalMs(): number {
    return this.#intervalSec() * 1000;
  }
}

import type { NexusMetricsSample } from '../drivers/nexuspanel/nexuspanel-metrics';
import type { NexusMetricsStream } from '../drivers/nexuspanel/nexuspanel-live';
import { isAppError } from '../../shared/errors';
import type { CollectorLike } from './metrics.service';
import type { MetricsSample, MetricsStateChange } from './metrics.types';

/**
 * A panel's server as a metrics server: `key` is `<panel account id>:<the panel's server id>`, the id it has in
 * history.db, the live events, the fleet overview and the alerts (see MetricsServerId in the contract).
 */
export interface PanelServerRef {
  readonly key: string;
  readonly panelId: string;
  readonly panelName: string;
  readonly serverId: string;
  readonly serverName: string;
}

/** The key of a panel's server: `<panel account id>:<the panel's server id>`. */
export function panelServerKey(panelId: string, serverId: string): string {
  return `${panelId}:${serverId}`;
}

/** True for a panel server's key (inventory ids are bare uuids, without a colon). */
export function isPanelServerKey(id: string): boolean {
  return id.includes(':');
}

/** The panel's metrics stream, as the NexusPanel driver opens it. */
export type OpenPanelStream = (
  panelId: string,
  serverId: string,
  onSample: (sample: NexusMetricsSample) => void,
) => Promise<NexusMetricsStream>;

/**
 * A panel server's sample under its metrics key (the driver labels it with the panel's own server id). NexusPanel
 * never reports disk I/O: the driver leaves it null, which history.db cannot store (sampleToRow skips such a
 * sample, meant for a collector's first one), so it becomes 0 here, like the other figures the panel does not
 * report (NEXUS_UNREPORTED: swap, load, uptime, processes). CPU and network stay as the panel sent them.
 */
export function panelSample(key: string, s: NexusMetricsSample): MetricsSample {
  return { ...s, serverId: key, diskReadBps: s.diskReadBps ?? 0, diskWriteBps: s.diskWriteBps ?? 0 };
}

/**
 * The second sample source of the metrics module: one WebSocket metrics stream per panel server (NexusPanel's
 * `metricsStream`), shaped like the SSH collector (CollectorLike) so the service treats both alike. States:
 * `connecting` when started, `up` once the stream is open, `unreachable` when it cannot open or closes; a stream
 * that ended is opened again on the service's next sync (settings change, unlock, inventory or panel change).
 */
export class PanelMetricsSource implements CollectorLike {
  readonly #open: OpenPanelStream;
  readonly #refs: (key: string) => PanelServerRef | undefined;
  readonly #onSample: (s: MetricsSample) => void;
  readonly #onState: (c: MetricsStateChange) => void;
  readonly #now: () => number;
  readonly #streams = new Map<string, { stream: Promise<NexusMetricsStream | null>; stopped: boolean }>();

  constructor(d: {
    open: OpenPanelStream;
    refs: (key: string) => PanelServerRef | undefined;
    onSample: (s: MetricsSample) => void;
    onState: (c: MetricsStateChange) => void;
    now: () => number;
  }) {
    this.#open = d.open;
    this.#refs = d.refs;
    this.#onSample = d.onSample;
    this.#onState = d.onState;
    this.#now = d.now;
  }

  /**
   * Opens the server's stream. The panel streams at its own pace: samples closer together than 9/10 of the
   * collection interval are dropped, so a panel server adds one row per fleet tick like an SSH one.
   */
  start(key: string, opts: { intervalMs: number }): Promise<void> {
    const ref = this.#refs(key);
    if (ref === undefined || this.#streams.has(key)) return Promise.resolve();
    this.#onState({ serverId: key, state: 'connecting', at: this.#now() });
    const entry = { stream: Promise.resolve<NexusMetricsStream | null>(null), stopped: false };
    let last: number | null = null;
    entry.stream = this.#open(ref.panelId, ref.serverId, (s) => {
      if (entry.stopped) return;
      const now = this.#now();
      if (last !== null && now - last < opts.intervalMs * 0.9) return;
      if (last === null) this.#onState({ serverId: key, state: 'up', at: now });
      last = now;
      this.#onSample(panelSample(key, s));
    }).then(
      (stream) => {
        void stream.closed.then(() => {
          if (this.#streams.get(key) === entry) this.#streams.delete(key);
          if (!entry.stopped) this.#unreachable(key, 'PANEL_STREAM_CLOSED', 'The panel closed the metrics stream.');
        });
        if (entry.stopped) stream.close();
        return stream;
      },
      (e: unknown) => {
        if (this.#streams.get(key) === entry) this.#streams.delete(key);
        if (!entry.stopped) {
          // The AppError's message is written for users (no secrets); anything else stays generic.
          const code = isAppError(e) ? e.code : 'UNREACHABLE';
          this.#unreachable(key, code, isAppError(e) ? e.message : 'The panel’s metrics stream did not open.');
        }
        return null;
      },
    );
    this.#streams.set(key, entry);
    return Promise.resolve();
  }

  async stop(key: string): Promise<void> {
    const entry = this.#streams.get(key);
    if (entry === undefined) return;
    this.#streams.delete(key);
    entry.stopped = true;
    const stream = await entry.stream;
    if (stream !== null) {
      stream.close();
      await stream.closed;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#streams.keys()].map((k) => this.stop(k)));
  }

  #unreachable(key: string, code: string, message: string): void {
    const state = code === 'AUTH_FAILED' ? 'auth_failed' : 'unreachable';
    this.#onState({ serverId: key, state, at: this.#now(), error: { code, message } });
  }
}

/** Routes panel server keys to the panel source and every other id to the SSH collector (left as it is). */
export function splitCollector(ssh: CollectorLike, panels: CollectorLike): CollectorLike {
  const pick = (id: string): CollectorLike => (isPanelServerKey(id) ? panels : ssh);
  return {
    start: (id, opts) => pick(id).start(id, opts),
    stop: (id) => pick(id).stop(id),
    stopAll: async () => {
      await Promise.all([ssh.stopAll(), panels.stopAll()]);
    },
  };
}

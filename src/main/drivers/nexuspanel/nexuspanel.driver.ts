import type { Dispatcher } from 'undici';
import type { PanelDriver, PanelDriverFactory, PanelDriverOptions, PanelIdentityInfo } from '../capabilities';
import { jsonObject as obj, nonEmpty as str } from '../http/json-values';
import { NexusPanelApi, type NexusRow } from './nexuspanel.client';
import { metricsStreamOver, terminalOver, type NexusMetricsStream, type NexusTerminal } from './nexuspanel-live';
import {
  currentToSample,
  readCurrentMetrics,
  readHistory,
  type NexusCurrentMetrics,
  type NexusMetricsSample,
  type NexusHistory,
  type NexusHistoryRange,
  type NexusStreamSample,
} from './nexuspanel-metrics';
import { NexusPanelResources, type ProcessSort } from './nexuspanel-resources';
import { idOf, numberIn } from './nexuspanel-values';
import { AppError } from '../../../shared/errors';
import { definedOptions } from '../http/defined-options';
import { apiProbe, cachedProbe } from '../http/panel-probe';

/** Test-only extras of the factory options (a custom dispatcher, a movable clock for token expiry). */
export interface NexusPanelDriverOptions extends PanelDriverOptions {
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
  readonly tokenSkewMs?: number;
}

/** What GET /servers/:id/info answers (seed "Get System Info"). */
export interface NexusSystemInfo {
  readonly hostname: string | null;
  readonly os: string | null;
  readonly platform: string | null;
  readonly platformVersion: string | null;
  readonly kernelVersion: string | null;
  readonly architecture: string | null;
  readonly cpuCount: number | null;
  readonly totalMemory: number | null;
  readonly uptimeSec: number | null;
}

/** The result of "Test connection" on a server. */
export interface NexusConnectionTest {
  readonly connected: boolean;
  readonly latencyMs: number | null;
  readonly osInfo: string | null;
}

/** The NexusPanel driver: a PanelDriver plus the server-side extras (metrics, processes, live stream, terminal). */
export interface NexusPanelDriver extends PanelDriver {
  readonly kind: 'nexuspanel';
  readonly api: NexusPanelApi;
  readonly resources: NexusPanelResources;
  /** One server as the panel holds it. */
  getServer(serverId: string): Promise<NexusRow>;
  /** POST /servers/:id/test-connection (read-only on PanelDeck's side, so not a plan). */
  testConnection(serverId: string): Promise<NexusConnectionTest>;
  systemInfo(serverId: string): Promise<NexusSystemInfo>;
  /** The running processes of a server, sorted by the panel (`limit` optional). */
  processes(serverId: string, opts?: { sort?: ProcessSort; limit?: number }): Promise<NexusRow[]>;
  /** The server's metrics now, in PanelDeck's sample shape (network rates need `prev`). */
  currentMetrics(serverId: string): Promise<{ sample: NexusMetricsSample; raw: NexusCurrentMetrics }>;
  metricsHistory(serverId: string, range: NexusHistoryRange): Promise<NexusHistory>;
  /** Opens the WebSocket metrics stream; resolves when it is open. */
  metricsStream(
    serverId: string,
    onSample: (sample: NexusMetricsSample, raw: NexusStreamSample) => void,
  ): Promise<NexusMetricsStream>;
  /** Opens the WebSocket terminal; resolves when it is open. */
  openTerminal(serverId: string, size: { cols: number; rows: number }): Promise<NexusTerminal>;
  /** Ends the panel session (POST /auth/logout); the next call signs in again. */
  logout(): Promise<void>;
}

function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const HISTORY_METRICS = new Set(['cpu', 'memory', 'disk', 'network']);
const HISTORY_INTERVALS = new Set(['1m', '5m', '1h', '1d']);

/**
 * Builds the NexusPanel driver for one panel account (issue 11; seed nexuspanel-api.md): sign-in with the
 * account's username and password, its resources for the Panels section, and the server extras the metrics and
 * terminal views use. Ids and sizes are validated before anything is sent.
 */
export const createNexusPanelDriver = ((o: NexusPanelDriverOptions): NexusPanelDriver => {
  const api = new NexusPanelApi({
    baseUrl: o.baseUrl,
    username: o.username ?? '',
    password: o.secret,
    pins: o.pins,
    ...definedOptions(o, ['dispatcher', 'timeoutMs', 'retry', 'pageSize', 'onHttpEvent', 'now', 'tokenSkewMs']),
  });
  const resources = new NexusPanelResources(api, o.panelId, o.secret);
  const server = (id: string): string => `/api/v1/servers/${idOf(id, 'serverId')}`;

  async function current(serverId: string): Promise<{ sample: NexusMetricsSample; raw: NexusCurrentMetrics }> {
    const data = await api.call({ method: 'GET', path: `${server(serverId)}/metrics` }, 'Current metrics');
    const raw = readCurrentMetrics(data);
    return { sample: currentToSample(serverId, raw), raw };
  }

  return {
    kind: 'nexuspanel',
    capabilities: ['metrics', 'users'],
    api,
    resources,
    async identify(): Promise<PanelIdentityInfo> {
      const who = await api.signIn();
      return {
        identity: who.email !== null ? `${who.username} <${who.email}>` : who.username,
        role: who.role,
        version: null,
        supports: ['servers', 'metrics', 'processes', 'alerts', 'terminal', ...(who.role === 'admin' ? ['users'] : [])],
      };
    },
    probe: cachedProbe(async () => apiProbe((api.user ?? (await api.signIn())).role === 'admin')),
    async getServer(serverId) {
      return obj((await api.call({ method: 'GET', path: server(serverId) }, 'Reading a server'))['server']);
    },
    async testConnection(serverId) {
      const a = await api.post(`${server(serverId)}/test-connection`, null, undefined, 'Testing a connection');
      return { connected: a['connected'] === true, latencyMs: numOrNull(a['latency_ms']), osInfo: str(a['os_info']) };
    },
    async systemInfo(serverId) {
      const d = await api.call({ method: 'GET', path: `${server(serverId)}/info` }, 'System information');
      return {
        hostname: str(d['hostname']),
        os: str(d['os']),
        platform: str(d['platform']),
        platformVersion: str(d['platform_version']),
        kernelVersion: str(d['kernel_version']),
        architecture: str(d['architecture']),
        cpuCount: numOrNull(d['cpu_count']),
        totalMemory: numOrNull(d['total_memory']),
        uptimeSec: numOrNull(d['uptime']),
      };
    },
    async processes(serverId, opts = {}) {
      const sort = opts.sort ?? 'cpu';
      if (!['cpu', 'memory', 'name'].includes(sort)) {
        throw new AppError('VALIDATION', 'Sort processes by cpu, memory or name.', { field: 'sort' });
      }
      const limit = opts.limit !== undefined ? numberIn(opts.limit, 'limit', 1, 100_000) : undefined;
      const path = `${server(serverId)}/processes`;
      return api.all(path, 'processes', 'The process list', { sort, ...(limit !== undefined ? { limit } : {}) });
    },
    currentMetrics: current,
    async metricsHistory(serverId, range) {
      if (!HISTORY_METRICS.has(range.metric))
        throw new AppError('VALIDATION', 'Pick cpu, memory, disk or network.', { field: 'metric' });
      if (range.interval !== undefined && !HISTORY_INTERVALS.has(range.interval)) {
        throw new AppError('VALIDATION', 'The interval is 1m, 5m, 1h or 1d.', { field: 'interval' });
      }
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.from >= range.to) {
        throw new AppError('VALIDATION', 'The range must start before it ends.', { field: 'from' });
      }
      const data = await api.call(
        {
          method: 'GET',
          path: `${server(serverId)}/metrics/history`,
          query: {
            metric_type: range.metric,
            start_time: new Date(range.from).toISOString(),
            end_time: new Date(range.to).toISOString(),
            ...(range.interval ? { interval: range.interval } : {}),
          },
        },
        'Metrics history',
      );
      return readHistory(data, range.metric);
    },
    async metricsStream(serverId, onSample) {
      server(serverId);
      // The stream carries percentages: the sizes (memory, filesystems) come from one current reading.
      const base = await current(serverId).then(
        (c) => c.raw,
        (e: unknown) => {
          if (e instanceof AppError && (e.code === 'UNSUPPORTED' || e.code === 'NOT_FOUND')) return null;
          throw e;
        },
      );
      const ws = await api.socket('metrics', idOf(serverId, 'serverId'));
      return metricsStreamOver(ws, serverId, base, onSample);
    },
    async openTerminal(serverId, size) {
      const cols = numberIn(size.cols, 'cols', 1, 1000);
      const rows = numberIn(size.rows, 'rows', 1, 1000);
      const ws = await api.socket('terminal', idOf(serverId, 'serverId'));
      return terminalOver(ws, { cols, rows });
    },
    logout: () => api.logout(),
    async close() {
      // Ends the session on the panel, but never holds a shutdown up for long.
      await api.logout(AbortSignal.timeout(5_000)).catch(() => undefined);
      await api.close();
    },
  };
}) satisfies PanelDriverFactory;

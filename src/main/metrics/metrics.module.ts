import type { Handlers } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Observation } from '../alerts/alert-engine';
import type { ConnectionManager } from '../ssh/connection-manager';
import type { SshTarget } from '../ssh/ssh.types';
import type { HistoryDb } from '../storage/history/history-db';
import type { Clock } from '../vault/clock';
import { MetricsCollector, type MetricsCollectorDeps } from './metrics-collector.service';
import { MetricsService, type CollectorLike } from './metrics.service';
import { PanelMetricsSource, splitCollector, type OpenPanelStream, type PanelServerRef } from './panel-metrics';

/** The metrics.* handlers. */
export type MetricsHandlers = Pick<Handlers, Extract<keyof Handlers, `metrics.${string}`>>;

/** A server as the module needs it: what its SSH target depends on (restarted when one of those changes). */
export interface MetricsServerRef {
  readonly id: string;
  readonly credentialId: string | null;
  readonly jumpHostIds: readonly string[];
}

/** What the metrics module needs from the rest of the core. */
export interface MetricsModuleDeps {
  /** history.db: the metrics tables and the `meta` settings. */
  readonly history: Pick<HistoryDb, 'db' | 'getMeta' | 'setMeta'>;
  /** The pooled SSH connections (the collector's long-lived exec channel). */
  readonly manager: Pick<ConnectionManager, 'execStream'>;
  /** The SSH target of a server (VaultSshSource.target: VAULT_LOCKED while locked). */
  readonly target: (serverId: string) => SshTarget;
  /** Every server in the inventory (throws VAULT_LOCKED while locked). */
  readonly servers: () => readonly MetricsServerRef[];
  readonly vault: { readonly unlocked: boolean };
  readonly events: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The alert engine's input (create-core: `alertsRef`). */
  readonly observe?: ((observations: readonly Observation[], at: number) => void) | undefined;
  /** Collector tuning (backoff, watchdog): tests and benches; the app uses the defaults. */
  readonly collector?: Pick<MetricsCollectorDeps, 'backoff' | 'watchdog' | 'stopGraceMs'> | undefined;
  /**
   * The second sample source: every panel server that reports metrics (NexusPanel accounts' servers, read through
   * their drivers; throws or rejects while locked) and how to open one's metrics stream.
   */
  readonly panelServers?: (() => Promise<readonly PanelServerRef[]>) | undefined;
  readonly openPanelStream?: OpenPanelStream | undefined;
  /** Replaces the collector (unit tests script one); default: a MetricsCollector on `manager`. */
  readonly makeCollector?: ConstructorParameters<typeof MetricsService>[0]['collector'] | undefined;
}

/**
 * The metrics feature module (issue 11; DESIGN.md "feature modules"): the collector, history.db's metrics store
 * and the alerts wired together behind the metrics.* contract. Collection follows the settings, the vault (all
 * loops stop on lock, start again on unlock) and the inventory (`inventory.changed`: a new server starts, a
 * removed one stops and its history is deleted, one whose address, credential or jump hosts changed restarts).
 */
export function createMetricsModule(deps: MetricsModuleDeps): {
  handlers: MetricsHandlers;
  service: MetricsService;
  close(): Promise<void>;
} {
  const sshCollector =
    deps.makeCollector ??
    ((cb): CollectorLike =>
      new MetricsCollector({
        manager: deps.manager,
        target: deps.target,
        clock: deps.clock,
        logger: deps.logger,
        onSample: cb.onSample,
        onState: cb.onState,
        ...deps.collector,
      }));
  // Panel servers as last read (refreshed before each reconcile, while collection is on and the vault open).
  let panelRefs = new Map<string, PanelServerRef>();
  const openPanelStream = deps.openPanelStream;
  const makeCollector: ConstructorParameters<typeof MetricsService>[0]['collector'] =
    openPanelStream === undefined
      ? sshCollector
      : (cb) =>
          splitCollector(
            sshCollector(cb),
            new PanelMetricsSource({
              open: openPanelStream,
              refs: (key) => panelRefs.get(key),
              onSample: cb.onSample,
              onState: cb.onState,
              now: () => deps.clock.now(),
            }),
          );
  const refresh = async (): Promise<void> => {
    if (deps.panelServers === undefined) return;
    try {
      panelRefs = new Map((await deps.panelServers()).map((r) => [r.key, r]));
    } catch (e) {
      // A panel that cannot be read keeps its servers as last read (their streams report their own state).
      deps.logger.warn('metrics.panels.unreadable', { message: e instanceof Error ? e.message : String(e) });
    }
  };
  const service = new MetricsService({
    db: deps.history.db,
    meta: deps.history,
    collector: makeCollector,
    refresh,
    source: (id) => {
      const r = panelRefs.get(id);
      return r === undefined
        ? null
        : { kind: 'panel', panelId: r.panelId, panelName: r.panelName, serverName: r.serverName };
    },
    serverIds: () => [...deps.servers().map((s) => s.id), ...panelRefs.keys()],
    unlocked: () => deps.vault.unlocked,
    emitSample: (s) => deps.events.emit('metrics.sample', s),
    emitState: (s) => deps.events.emit('metrics.state', s),
    observe: deps.observe,
    clock: deps.clock,
    logger: deps.logger,
  });

  /** Servers whose SSH target involves `id` (as the server itself, a jump host, or its credential). */
  const affected = (kind: 'server' | 'credential', id: string): string[] => {
    try {
      return deps
        .servers()
        .filter((s) => (kind === 'server' ? s.id === id || s.jumpHostIds.includes(id) : s.credentialId === id))
        .map((s) => s.id);
    } catch {
      return [];
    }
  };

  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name === 'vault.changed') {
      void service.sync().catch(() => undefined); // logged by the service
    } else if (name === 'inventory.changed') {
      const c = payload as { kind: 'server' | 'credential'; id: string; change: 'created' | 'updated' | 'deleted' };
      if (c.kind === 'server' && c.change === 'deleted') void service.removed(c.id).catch(() => undefined);
      else if (c.change === 'created') void service.sync().catch(() => undefined);
      else void service.sync(affected(c.kind, c.id)).catch(() => undefined);
    }
  });
  void service.sync().catch(() => undefined);

  return {
    service,
    handlers: {
      'metrics.settings.get': () => service.settings(),
      'metrics.settings.set': (i) => service.setSettings(i),
      'metrics.states': () => service.states(),
      'metrics.series': (i) => service.series(i),
      'metrics.fleet': (i) => service.fleet(i.sparkMinutes),
      'metrics.live': (i) => service.live(i.serverId),
    },
    async close() {
      unsubscribe();
      await service.close();
    },
  };
}

import type { MethodName } from '../../shared/contract';
import type { Transport } from '../../shared/contract/app.contract';
import type { KdfParams } from '../../shared/contract/vault.contract';
import type { Observation } from '../alerts/alert-engine';
import { createAlertsModule } from '../alerts/alerts.module';
import { observationsFromCertificates } from '../alerts/observations';
import { createCertificatesModule } from '../certificates/certificates.module';
import { createDatabasesModule } from '../databases/databases.module';
import type { CredentialsService } from '../inventory/credentials.service';
import { createInventoryModule } from '../inventory/inventory.module';
import { createMetricsModule } from '../metrics/metrics.module';
import { createOperationsModule } from '../operations';
import { createAppModule } from '../services/app.module';
import type { FileDialogs } from '../services/app.service';
import type { Capability } from '../drivers/capabilities';
import { createPanelsModule } from '../panels/panels.module';
import type { PanelsService, PanelTuning } from '../panels/panels.service';
import { createSitesModule } from '../sites/sites.module';
import type { ConnectionManager } from '../ssh/connection-manager';
import type { SshOptions } from '../ssh/ssh.types';
import { createTerminalModule } from '../terminal/terminal.module';
import { systemClock, type Clock } from '../vault/clock';
import type { KeychainStore } from '../vault/keychain';
import { createVaultModule } from '../vault/vault.module';
import type { VaultService } from '../vault/vault.service';
import { Dispatcher, type Handlers } from './dispatcher';
import { EventBus } from './event-bus';
import { Logger, Redactor, stderrSink, type LogSink } from './logger';
import type { ServiceContext } from './service-context';
import { newId } from '../vault/crypto';
import { AppError } from '../../shared/errors';
import type { NexusPanelDriver } from '../drivers/nexuspanel';
import type { PanelAlertSource } from '../alerts/panel-alerts';
import { panelServerKey, type PanelServerRef } from '../metrics/panel-metrics';

export interface CoreOptions {
  readonly dataDir: string;
  readonly electronVersion?: string | null;
  readonly logSink?: LogSink;
  /** Validate results and event payloads against the contract (tests, development). */
  readonly strict?: boolean;
  /** Vault internals tests replace: time, the Argon2id cost (never below the contract floor), the OS keychain. */
  readonly clock?: Clock;
  readonly kdf?: KdfParams;
  readonly keychain?: KeychainStore;
  /** Home directory for ~/.ssh/config and ~/.ssh/known_hosts (tests). */
  readonly homeDir?: string;
  /** SSH tuning (tests: short idle grace, an agent socket, no keepalive); defaults in DEFAULT_SSH_OPTIONS. */
  readonly ssh?: Partial<SshOptions>;
  /** Opens a URL in the user's browser (Electron's shell.openExternal); absent where there is none (web host, CLI). */
  readonly openExternal?: (url: string) => Promise<void>;
  /** Shows a desktop notification (Electron's Notification; onClick when it is clicked): certificate expiry, alerts. Absent in the web host/CLI. */
  readonly notify?: (n: { title: string; body: string; onClick?: () => void }) => void;
  /** ACME: extra CA certificates for directories' own HTTPS by directory URL (pebble in tests), check interval. */
  readonly acme?: {
    readonly directoryCas?: Readonly<Record<string, string>>;
    readonly renewalIntervalMs?: number;
  };
  /** Native open/save dialogs (Electron's dialog module); absent where there are none: the calls answer UNSUPPORTED. */
  readonly dialogs?: FileDialogs;
  /** Panels' HTTP clients: retry/poll intervals and timeouts (tests shorten them; the app uses the defaults). */
  readonly panels?: PanelTuning;
  /** Tests only: faults to inject (a vhost nginx refuses). Never set by the app, the CLI or the web host. */
  readonly testFaults?: {
    readonly nginx?: 'invalid-directive';
    /** A site plan's step with this id never starts; onHold runs instead (crash tests SIGKILL the core then). */
    readonly holdBeforeStep?: { readonly stepId: string; readonly onHold: () => void };
  };
}

/** The assembled core: one dispatcher, one event bus, the services behind them. */
export interface Core {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly dataDir: string;
  /** The vault: the Electron shell calls `vault.lock('suspend')` on suspend and screen lock. */
  readonly vault: VaultService;
  /** Credentials, for the SSH layer's `recordUse` (not part of the contract). */
  readonly credentials: CredentialsService;
  /**
   * The SSH connection pool behind terminals and forwards, for diagnostics and tests (`stats()`: which connections
   * and jump chains are open). Nothing connects until a terminal or forward asks: creating the core stays cheap.
   */
  readonly ssh: ConnectionManager;
  /** Releases every resource: terminals, forwards, SSH connections, then the vault file. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds the core for any transport: creates the feature modules (each folder's `(deps) => {handlers, close}`),
 * merges their handlers into one dispatcher and closes them in reverse order. Nothing else lives here; the
 * `Handlers` type keeps every contract method wired to exactly one handler (DESIGN.md rule 2).
 */
export function createCore(options: CoreOptions): Core {
  const redactor = new Redactor();
  const logger = new Logger({ sink: options.logSink ?? stderrSink, redactor });
  const events = new EventBus({ validate: options.strict ?? false });
  const clock = options.clock ?? systemClock;
  const homeDir = options.homeDir;
  // Services take time, the logger and ids directly (not through the vault).
  const ctx: ServiceContext = { clock, logger, newId };

  const app = createAppModule({
    dataDir: options.dataDir,
    electronVersion: options.electronVersion ?? null,
    logger,
    homeDir,
    dialogs: options.dialogs,
    openExternal: options.openExternal,
  });
  const vaultModule = createVaultModule({
    dataDir: options.dataDir,
    logger,
    events,
    clock: options.clock,
    kdf: options.kdf,
    keychain: options.keychain,
    homeDir,
    newId,
  });
  const { vault, audit } = vaultModule;
  const inventory = createInventoryModule({ vault, events, ctx, homeDir });
  const { servers, credentials } = inventory;
  // Panel accounts stand beside servers in the fleet tables and open web terminals (built below: they need the plan store).
  let panelsRef: PanelsService | null = null;
  const panelsNow = (): PanelsService => {
    if (panelsRef === null) throw new AppError('UNSUPPORTED', 'Panels are not available yet.');
    return panelsRef;
  };
  const terminal = createTerminalModule({
    vault,
    credentials,
    hostKeys: inventory.hostKeys,
    events,
    ctx,
    ssh: options.ssh,
    panels: {
      title: (panelId, serverId) => panelsNow().terminalTitle(panelId, serverId),
      open: (panelId, serverId, size) => panelsNow().openTerminal(panelId, serverId, size),
    },
  });
  const { manager, sshSource } = terminal;
  const operations = createOperationsModule({
    dataDir: options.dataDir,
    sealer: vault.sealer,
    events,
    logger,
    clock: options.clock,
    audit,
  });
  const serverIds = (): string[] => servers.list({}).map((s) => s.id);
  let alertsRef: { observe(o: readonly Observation[], at?: number): void } | null = null;
  const fleetIds = (capability: Capability) => (): string[] => [
    ...serverIds(),
    ...(panelsRef?.idsWith(capability) ?? []),
  ];
  const sites = createSitesModule({
    panel: (id) => (panelsRef?.has(id) ? panelsRef.driver(id) : null),
    manager,
    server: (id) => sshSource.server(id),
    target: (id) => sshSource.target(id),
    serverIds: fleetIds('sites'),
    operations: operations.service,
    registry: operations.registry,
    now: () => clock.now(),
    fault: options.testFaults?.nginx,
    holdBeforeStep: options.testFaults?.holdBeforeStep,
  });
  const databases = createDatabasesModule({
    drivers: sites.drivers,
    plans: sites.plans,
    registry: operations.registry,
    credentials,
    serverIds: fleetIds('databases'),
    serverName: (id) => sshSource.server(id).name,
  });
  const certificates = createCertificatesModule({
    drivers: sites.drivers,
    plans: sites.plans,
    registry: operations.registry,
    operations: operations.service,
    store: operations.history.certificates,
    vault,
    events,
    logger,
    clock,
    serverIds: fleetIds('certificates'),
    notify: options.notify,
    acmeDirectoryCas: options.acme?.directoryCas,
    renewalIntervalMs: options.acme?.renewalIntervalMs,
    onChecked: (entries, now) => alertsRef?.observe(observationsFromCertificates(entries, now), now),
  });
  const panelsModule = createPanelsModule({
    vault,
    ctx,
    plans: sites.plans,
    events,
    tuning: options.panels,
  });
  panelsRef = panelsModule.panels;
  // NexusPanel accounts: their servers feed the metrics (a second sample source) and their alerts join the list.
  const nexusAccounts = () => {
    try {
      return panelsModule.panels.list().filter((p) => p.kind === 'nexuspanel');
    } catch {
      return []; // locked
    }
  };
  const nexus = (panelId: string): NexusPanelDriver => panelsModule.panels.driver(panelId) as NexusPanelDriver;
  const panelServers = async (): Promise<PanelServerRef[]> => {
    const lists = await Promise.all(
      nexusAccounts().map(async (p) => {
        try {
          const rows = await nexus(p.id).resources.all('servers');
          return rows.map((r) => {
            const serverId = String(r['id']);
            const serverName = typeof r['name'] === 'string' && r['name'] !== '' ? r['name'] : serverId;
            return { key: panelServerKey(p.id, serverId), panelId: p.id, panelName: p.name, serverId, serverName };
          });
        } catch (e) {
          logger.warn('metrics.panel.unreadable', {
            panelId: p.id,
            message: e instanceof Error ? e.message : String(e),
          });
          return [];
        }
      }),
    );
    return lists.flat();
  };
  const panelAlertSource: PanelAlertSource = {
    panels: () => nexusAccounts().map((p) => ({ id: p.id, name: p.name })),
    alerts: (panelId) => nexus(panelId).resources.all('alerts'),
    act: async (panelId, alertId, action) => {
      const api = nexus(panelId).api;
      const path = `${(await api.alertRoutes()).alerts}/${encodeURIComponent(alertId)}/${action}`;
      await api.post(path, null, null, action === 'acknowledge' ? 'Acknowledging an alert' : 'Resolving an alert');
    },
  };
  const alerts = createAlertsModule({
    vault,
    ctx,
    events,
    server: (id) => {
      try {
        const s = servers.get(id);
        return { name: s.name, tags: s.tags };
      } catch {
        return null;
      }
    },
    notify: options.notify,
    panels: panelAlertSource,
  });
  alertsRef = alerts;
  const metrics = createMetricsModule({
    history: operations.history,
    manager,
    target: (id) => sshSource.target(id),
    servers: () => servers.list({}),
    vault,
    events,
    clock,
    logger,
    observe: (o, at) => alertsRef?.observe(o, at),
    panelServers,
    openPanelStream: (panelId, serverId, onSample) => nexus(panelId).metricsStream(serverId, onSample),
  });

  const syncMetricsAfter = <T>(out: T): T => {
    void metrics.service.sync().catch(() => undefined); // logged by the service
    return out;
  };
  const handlers: Handlers = {
    ...app.handlers,
    ...vaultModule.handlers,
    ...inventory.handlers,
    ...terminal.handlers,
    ...operations.handlers,
    ...sites.handlers,
    ...databases.handlers,
    ...certificates.handlers,
    ...panelsModule.handlers,
    ...alerts.handlers,
    ...metrics.handlers,
    // A panel account added, changed or removed: its servers join or leave the metrics (no event says so).
    'panels.add': async (i, c) => syncMetricsAfter(await panelsModule.handlers['panels.add'](i, c)),
    'panels.update': async (i, c) => syncMetricsAfter(await panelsModule.handlers['panels.update'](i, c)),
    'panels.remove': async (i, c) => syncMetricsAfter(await panelsModule.handlers['panels.remove'](i, c)),
  };

  const dispatcher = new Dispatcher(handlers, {
    logger,
    validateOutput: options.strict ?? false,
    onCall: (method) => {
      if (!PASSIVE_CALLS.has(method)) vault.touch();
    },
  });
  let closing: Promise<void> | undefined;
  return {
    dispatcher,
    events,
    logger,
    dataDir: options.dataDir,
    vault,
    credentials,
    ssh: manager,
    close() {
      // Shells and forwards first, then what runs on the pool (renewals, operations), then the pool, then the vault.
      closing ??= (async () => {
        await terminal.closeSessions();
        await metrics.close(); // ends the remote loops, before the pool and history.db close
        await certificates.close();
        await panelsModule.close();
        await operations.close();
        await terminal.close();
        vault.close();
      })();
      return closing;
    },
  };
}

/**
 * Calls that do not mean a person is using the app, so they must not postpone auto-lock: status polls,
 * health checks, and the terminal's flow-control acks (a `tail -f` left running is not activity).
 */
const PASSIVE_CALLS: ReadonlySet<MethodName> = new Set<MethodName>([
  'vault.status',
  'app.info',
  'app.health',
  'terminal.ack',
  'terminal.list',
  'terminal.replay',
  'forwards.list',
  // Dashboards refresh these on their own (the fleet overview, live charts, state badges).
  'metrics.states',
  'metrics.fleet',
  'metrics.live',
]);

export type { Transport };

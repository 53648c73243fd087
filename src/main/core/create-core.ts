import type { MethodName } from '../../shared/contract';
import type { Transport } from '../../shared/contract/app.contract';
import type { KdfParams } from '../../shared/contract/vault.contract';
import { CredentialsService } from '../inventory/credentials.service';
import { HostKeysService } from '../inventory/host-keys.service';
import { ServersService } from '../inventory/servers.service';
import { SshConfigService } from '../inventory/ssh-config.service';
import { TransferService } from '../inventory/transfer.service';
import { AppService } from '../services/app.service';
import { ConnectionManager } from '../ssh/connection-manager';
import type { SshOptions } from '../ssh/ssh.types';
import { DEFAULT_SSH_OPTIONS } from '../ssh/ssh.types';
import { UiPrompter } from '../ssh/ui-prompter';
import { ForwardsService } from '../terminal/forwards.service';
import { SnippetsService } from '../terminal/snippets.service';
import { TerminalService } from '../terminal/terminal.service';
import { VaultSshSource } from '../terminal/vault-ssh-source';
import { AuditService } from '../vault/audit.service';
import type { Clock } from '../vault/clock';
import type { KeychainStore } from '../vault/keychain';
import { VaultService } from '../vault/vault.service';
import { AppError } from '../../shared/errors';
import { Dispatcher, type Handlers } from './dispatcher';
import { EventBus } from './event-bus';
import { Logger, Redactor, stderrSink, type LogSink } from './logger';

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
 * Builds the core for any transport. Services take their dependencies in the constructor; the handler map
 * wires each contract method to exactly one service method (DESIGN.md rule 2).
 */
export function createCore(options: CoreOptions): Core {
  const redactor = new Redactor();
  const logger = new Logger({ sink: options.logSink ?? stderrSink, redactor });
  const events = new EventBus({ validate: options.strict ?? false });
  const app = new AppService({ dataDir: options.dataDir, electronVersion: options.electronVersion ?? null });
  const vault = new VaultService({
    dataDir: options.dataDir,
    logger,
    events,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.kdf ? { kdf: options.kdf } : {}),
    ...(options.keychain ? { keychain: options.keychain } : {}),
  });
  const servers = new ServersService({ vault, events });
  const credentials = new CredentialsService({ vault, events });
  const sshConfig = new SshConfigService({
    vault,
    credentials,
    events,
    ...(options.homeDir ? { homeDir: options.homeDir } : {}),
  });
  const transfer = new TransferService({ vault, events });
  const audit = new AuditService(vault);

  const hostKeys = new HostKeysService({
    vault,
    logger,
    ...(options.homeDir ? { homeDir: options.homeDir } : {}),
  });
  const sshSource = new VaultSshSource({ vault, credentials });
  const promptTimeoutMs = options.ssh?.promptTimeoutMs ?? DEFAULT_SSH_OPTIONS.promptTimeoutMs;
  const prompter = new UiPrompter({ emit: (name, payload) => events.emit(name, payload), promptTimeoutMs });
  const manager = new ConnectionManager({
    credentials: sshSource,
    hostKeys,
    prompter,
    logger,
    ...(options.ssh ? { options: options.ssh } : {}),
  });
  const terminals = new TerminalService({ manager, source: sshSource, events, logger });
  const snippets = new SnippetsService({ vault, terminals });
  const forwards = new ForwardsService({ manager, source: sshSource, events, logger });

  const handlers: Handlers = {
    'app.info': (_input, ctx) => app.info(ctx),
    'app.health': () => app.health(),
    'app.activity': () => ({ ok: true }),
    'app.openExternal': (i) => openExternal(options.openExternal, i.url, logger),

    'vault.status': () => vault.status(),
    'vault.create': (i) => vault.create(i.password),
    'vault.unlock': (i) => vault.unlock(i.password),
    'vault.unlockWithKeychain': () => vault.unlockWithKeychain(),
    'vault.lock': () => vault.lock('user'),
    'vault.changePassword': (i) => vault.changePassword(i.current, i.next),
    'vault.setKeychain': (i) => vault.setKeychain(i.enabled),
    'vault.setAutoLock': (i) => vault.setAutoLock(i.minutes),
    'vault.export': (i) => transfer.export(i.path, i.password),
    'vault.importPreview': (i) => transfer.preview(i.path, i.password),
    'vault.import': (i) => transfer.import(i.path, i.password, i.onConflict),
    'audit.list': (i) => audit.list(i),

    'servers.list': (i) => servers.list(i),
    'servers.get': (i) => servers.get(i.id),
    'servers.create': (i) => servers.create(i),
    'servers.update': (i) => servers.update(i.id, i.patch),
    'servers.delete': (i) => servers.delete(i.id),
    'inventory.facets': () => servers.facets(),
    'credentials.list': (i) => credentials.list(i),
    'credentials.create': (i) => credentials.create(i),
    'credentials.update': (i) => credentials.update(i.id, i.patch),
    'credentials.delete': (i) => credentials.delete(i.id, i.force),
    'credentials.reveal': (i) => credentials.reveal(i.id, i.purpose),
    'keys.generate': (i) => credentials.generateKey(i),
    'keys.import': (i) => credentials.importKey(i),
    'keys.exportPrivate': (i) => credentials.exportPrivate(i.id),
    'sshConfig.preview': (i) => sshConfig.preview(i),
    'sshConfig.import': (i) => sshConfig.import(i),

    'terminal.open': (i) => terminals.open(i),
    'terminal.write': (i) => terminals.write(i.sessionId, i.data),
    'terminal.ack': (i) => terminals.ack(i.sessionId, i.bytes),
    'terminal.replay': (i) => terminals.replay(i.sessionId),
    'terminal.resize': (i) => terminals.resize(i.sessionId, i.cols, i.rows),
    'terminal.close': (i) => terminals.close(i.sessionId),
    'terminal.list': () => terminals.list(),
    'ssh.hostKey.answer': (i) => {
      prompter.answerHostKey(i.promptId, i.trust);
      return { ok: true };
    },
    'ssh.hostKey.replace': (i) => manager.replaceHostKey(i.host, i.port, i.fingerprint),
    'ssh.keyboard.answer': (i) => {
      prompter.answerKeyboard(i.promptId, i.answers);
      return { ok: true };
    },
    'hostKeys.list': (i) => hostKeys.list(i),
    'hostKeys.remove': (i) => hostKeys.remove(i.id),
    'hostKeys.importKnownHosts': (i) => hostKeys.importKnownHosts(i),
    'snippets.list': (i) => snippets.list(i),
    'snippets.create': (i) => snippets.create(i),
    'snippets.update': (i) => snippets.update(i.id, i.patch),
    'snippets.delete': (i) => snippets.delete(i.id),
    'snippets.run': (i) => snippets.run(i.id, i.sessionIds),
    'forwards.start': (i) => forwards.start(i),
    'forwards.stop': (i) => forwards.stop(i.id),
    'forwards.list': () => forwards.list(),
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
      closing ??= (async () => {
        terminals.closeAll();
        await forwards.stopAll();
        await manager.closeAll();
        vault.close();
      })();
      return closing;
    },
  };
}

/**
 * Hands a link to the desktop's browser. The contract already allows only http(s) URLs without credentials; the
 * scheme is checked again here because this is the last step before another program gets the string.
 * Logs the scheme only: the URL itself can carry tokens or private host names.
 */
async function openExternal(open: CoreOptions['openExternal'], url: string, logger: Logger): Promise<{ opened: true }> {
  if (!open) throw new AppError('UNSUPPORTED', 'This PanelDeck has no browser to open links in.');
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('VALIDATION', 'Only http:// and https:// links can be opened.');
  }
  await open(parsed.href);
  logger.info('app.openExternal', { scheme: parsed.protocol });
  return { opened: true };
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
]);

export type { Transport };

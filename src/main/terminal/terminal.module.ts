import type { EventBus } from '../core/event-bus';
import type { FeatureModule } from '../core/feature-module';
import type { ServiceContext } from '../core/service-context';
import type { CredentialsService } from '../inventory/credentials.service';
import type { HostKeysService } from '../inventory/host-keys.service';
import { ConnectionManager } from '../ssh/connection-manager';
import { DEFAULT_SSH_OPTIONS, type SshOptions } from '../ssh/ssh.types';
import { UiPrompter } from '../ssh/ui-prompter';
import type { VaultService } from '../vault/vault.service';
import { ForwardsService } from './forwards.service';
import { SnippetsService } from './snippets.service';
import { TerminalService, type PanelTerminals } from './terminal.service';
import { VaultSshSource } from './vault-ssh-source';

/** What the terminal module needs. */
export interface TerminalModuleDeps {
  readonly vault: VaultService;
  readonly credentials: CredentialsService;
  readonly hostKeys: HostKeysService;
  readonly events: EventBus;
  readonly ctx: ServiceContext;
  readonly ssh?: Partial<SshOptions> | undefined;
  /** Panel web terminals (terminal.openPanel); the panels module is built later, so this is looked up lazily. */
  readonly panels?: PanelTerminals | undefined;
}

type TerminalMethods =
  | 'terminal.open'
  | 'terminal.openPanel'
  | 'terminal.write'
  | 'terminal.ack'
  | 'terminal.replay'
  | 'terminal.resize'
  | 'terminal.close'
  | 'terminal.list'
  | 'terminal.busy'
  | 'ssh.hostKey.answer'
  | 'ssh.hostKey.replace'
  | 'ssh.keyboard.answer'
  | 'snippets.list'
  | 'snippets.create'
  | 'snippets.update'
  | 'snippets.delete'
  | 'snippets.run'
  | 'forwards.start'
  | 'forwards.stop'
  | 'forwards.list';

/**
 * The SSH side of the app: the connection pool (shared with the drivers), prompts, terminals, snippets and port
 * forwards. `closeSessions` ends shells and forwards; `close` also drops the pool (after the drivers are done).
 */
export function createTerminalModule(deps: TerminalModuleDeps): FeatureModule<TerminalMethods> & {
  readonly manager: ConnectionManager;
  readonly sshSource: VaultSshSource;
  closeSessions(): Promise<void>;
  close(): Promise<void>;
} {
  const { events } = deps;
  const logger = deps.ctx.logger;
  const sshSource = new VaultSshSource({ vault: deps.vault, ctx: deps.ctx, credentials: deps.credentials });
  const promptTimeoutMs = deps.ssh?.promptTimeoutMs ?? DEFAULT_SSH_OPTIONS.promptTimeoutMs;
  const prompter = new UiPrompter({ emit: (name, payload) => events.emit(name, payload), promptTimeoutMs });
  const manager = new ConnectionManager({
    credentials: sshSource,
    hostKeys: deps.hostKeys,
    prompter,
    logger,
    ...(deps.ssh ? { options: deps.ssh } : {}),
  });
  const terminals = new TerminalService({ manager, source: sshSource, events, logger, panels: deps.panels });
  const snippets = new SnippetsService({ vault: deps.vault, ctx: deps.ctx, terminals });
  const forwards = new ForwardsService({ manager, source: sshSource, events, logger });
  const closeSessions = async (): Promise<void> => {
    terminals.closeAll();
    await forwards.stopAll();
  };
  return {
    manager,
    sshSource,
    closeSessions,
    handlers: {
      'terminal.open': (i) => terminals.open(i),
      'terminal.openPanel': (i) => terminals.openPanel(i),
      'terminal.write': (i) => terminals.write(i.sessionId, i.data),
      'terminal.ack': (i) => terminals.ack(i.sessionId, i.bytes),
      'terminal.replay': (i) => terminals.replay(i.sessionId),
      'terminal.resize': (i) => terminals.resize(i.sessionId, i.cols, i.rows),
      'terminal.close': (i) => terminals.close(i.sessionId),
      'terminal.list': () => terminals.list(),
      'terminal.busy': (i) => terminals.busy(i.sessionId),
      'ssh.hostKey.answer': (i) => {
        prompter.answerHostKey(i.promptId, i.trust);
        return { ok: true };
      },
      'ssh.hostKey.replace': (i) => manager.replaceHostKey(i.host, i.port, i.fingerprint),
      'ssh.keyboard.answer': (i) => {
        prompter.answerKeyboard(i.promptId, i.answers, i.remember === true);
        return { ok: true };
      },
      'snippets.list': (i) => snippets.list(i),
      'snippets.create': (i) => snippets.create(i),
      'snippets.update': (i) => snippets.update(i.id, i.patch),
      'snippets.delete': (i) => snippets.delete(i.id),
      'snippets.run': (i) => snippets.run(i.id, i.sessionIds),
      'forwards.start': (i) => forwards.start(i),
      'forwards.stop': (i) => forwards.stop(i.id),
      'forwards.list': () => forwards.list(),
    },
    async close() {
      await closeSessions();
      await manager.closeAll();
    },
  };
}

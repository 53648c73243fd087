import { callCwd } from '../core/user-files';
import type { EventBus } from '../core/event-bus';
import type { FeatureModule } from '../core/feature-module';
import type { ServiceContext } from '../core/service-context';
import type { VaultService } from '../vault/vault.service';
import { CredentialsService } from './credentials.service';
import { HostKeysService } from './host-keys.service';
import { ServersService } from './servers.service';
import { SshConfigService } from './ssh-config.service';

/** What the inventory module needs. */
export interface InventoryModuleDeps {
  readonly vault: VaultService;
  readonly events: EventBus;
  readonly ctx: ServiceContext;
  readonly homeDir?: string | undefined;
}

type InventoryMethods =
  | 'servers.list'
  | 'servers.get'
  | 'servers.create'
  | 'servers.update'
  | 'servers.delete'
  | 'inventory.facets'
  | 'credentials.list'
  | 'credentials.create'
  | 'credentials.update'
  | 'credentials.delete'
  | 'credentials.reveal'
  | 'keys.generate'
  | 'keys.import'
  | 'keys.exportPrivate'
  | 'sshConfig.preview'
  | 'sshConfig.import'
  | 'hostKeys.list'
  | 'hostKeys.remove'
  | 'hostKeys.importKnownHosts';

/** Servers, credentials, SSH keys, trusted host keys and the ~/.ssh imports. */
export function createInventoryModule(deps: InventoryModuleDeps): FeatureModule<InventoryMethods> & {
  readonly servers: ServersService;
  readonly credentials: CredentialsService;
  readonly hostKeys: HostKeysService;
} {
  const home = deps.homeDir ? { homeDir: deps.homeDir } : {};
  const { vault, events } = deps;
  const ctx = deps.ctx;
  const servers = new ServersService({ vault, ctx, events });
  const credentials = new CredentialsService({ vault, ctx, events });
  const sshConfig = new SshConfigService({ vault, ctx, credentials, events, ...home });
  const hostKeys = new HostKeysService({ vault, ctx, ...home });
  return {
    servers,
    credentials,
    hostKeys,
    handlers: {
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
      'sshConfig.preview': (i, ctx) => sshConfig.preview({ ...i, cwd: callCwd(ctx) }),
      'sshConfig.import': (i, ctx) => sshConfig.import({ ...i, cwd: callCwd(ctx) }),
      'hostKeys.list': (i) => hostKeys.list(i),
      'hostKeys.remove': (i) => hostKeys.remove(i.id),
      'hostKeys.importKnownHosts': (i, ctx) => hostKeys.importKnownHosts({ ...i, cwd: callCwd(ctx) }),
    },
  };
}

import type { KdfParams } from '../../shared/contract/vault.contract';
import { callCwd } from '../core/user-files';
import type { EventBus } from '../core/event-bus';
import type { FeatureModule } from '../core/feature-module';
import type { Logger } from '../core/logger';
import { TransferService } from '../inventory/transfer.service';
import { AuditService } from './audit.service';
import type { Clock } from './clock';
import type { KeychainStore } from './keychain';
import { VaultService } from './vault.service';

/** What the vault module needs. */
export interface VaultModuleDeps {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly events: EventBus;
  readonly clock?: Clock | undefined;
  readonly kdf?: KdfParams | undefined;
  readonly keychain?: KeychainStore | undefined;
  readonly homeDir?: string | undefined;
  readonly newId: () => string;
}

type VaultMethods =
  | 'vault.status'
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.unlockWithKeychain'
  | 'vault.lock'
  | 'vault.changePassword'
  | 'vault.setKeychain'
  | 'vault.setAutoLock'
  | 'vault.export'
  | 'vault.importPreview'
  | 'vault.import'
  | 'audit.list';

/** The vault.* and audit.* namespaces: the encrypted vault, its export/import and the audit trail. */
export function createVaultModule(deps: VaultModuleDeps): FeatureModule<VaultMethods> & {
  readonly vault: VaultService;
  readonly audit: AuditService;
  close(): void;
} {
  const vault = new VaultService({
    dataDir: deps.dataDir,
    logger: deps.logger,
    events: deps.events,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.kdf ? { kdf: deps.kdf } : {}),
    ...(deps.keychain ? { keychain: deps.keychain } : {}),
  });
  const transfer = new TransferService({
    vault,
    ctx: { clock: vault.clock, logger: deps.logger, newId: deps.newId },
    events: deps.events,
    ...(deps.homeDir ? { homeDir: deps.homeDir } : {}),
  });
  const audit = new AuditService(vault);
  return {
    vault,
    audit,
    handlers: {
      'vault.status': () => vault.status(),
      'vault.create': (i) => vault.create(i.password),
      'vault.unlock': (i) => vault.unlock(i.password),
      'vault.unlockWithKeychain': () => vault.unlockWithKeychain(),
      'vault.lock': () => vault.lock('user'),
      'vault.changePassword': (i) => vault.changePassword(i.current, i.next),
      'vault.setKeychain': (i) => vault.setKeychain(i.enabled),
      'vault.setAutoLock': (i) => vault.setAutoLock(i.minutes),
      'vault.export': (i, ctx) => transfer.export(i.path, i.password, { overwrite: i.overwrite, cwd: callCwd(ctx) }),
      'vault.importPreview': (i, ctx) => transfer.preview(i.path, i.password, callCwd(ctx)),
      'vault.import': (i, ctx) => transfer.import(i.path, i.password, i.onConflict, callCwd(ctx)),
      'audit.list': (i) => audit.list(i),
    },
    close: () => vault.close(),
  };
}

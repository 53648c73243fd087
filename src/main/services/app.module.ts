import { AppError } from '../../shared/errors';
import type { FeatureModule } from '../core/feature-module';
import type { Logger } from '../core/logger';
import { AppService, type FileDialogs } from './app.service';

/** What the app module needs: identity, and the desktop shell's hooks where there is one. */
export interface AppModuleDeps {
  readonly dataDir: string;
  readonly electronVersion: string | null;
  readonly logger: Logger;
  readonly homeDir?: string | undefined;
  readonly dialogs?: FileDialogs | undefined;
  readonly openExternal?: ((url: string) => Promise<void>) | undefined;
}

type AppMethods = 'app.info' | 'app.health' | 'app.activity' | 'app.openExternal' | 'app.pickFile' | 'app.pickSaveFile';

/** The app.* namespace: identity, health, activity pings, links and native file dialogs. */
export function createAppModule(deps: AppModuleDeps): FeatureModule<AppMethods> {
  const app = new AppService({
    dataDir: deps.dataDir,
    electronVersion: deps.electronVersion,
    dialogs: deps.dialogs,
    homeDir: deps.homeDir,
  });
  return {
    handlers: {
      'app.info': (_input, ctx) => app.info(ctx),
      'app.health': () => app.health(),
      'app.activity': () => ({ ok: true }),
      'app.openExternal': (i) => openExternal(deps.openExternal, i.url, deps.logger),
      'app.pickFile': (i) => app.pickFile(i),
      'app.pickSaveFile': (i) => app.pickSaveFile(i),
    },
  };
}

/**
 * Hands a link to the desktop's browser. The contract already allows only http(s) URLs without credentials; the
 * scheme is checked again here because this is the last step before another program gets the string.
 * Logs the scheme only: the URL itself can carry tokens or private host names.
 */
async function openExternal(
  open: AppModuleDeps['openExternal'],
  url: string,
  logger: Logger,
): Promise<{ opened: true }> {
  if (!open) throw new AppError('UNSUPPORTED', 'This PanelDeck has no browser to open links in.');
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('VALIDATION', 'Only http:// and https:// links can be opened.');
  }
  await open(parsed.href);
  logger.info('app.openExternal', { scheme: parsed.protocol });
  return { opened: true };
}

import os from 'node:os';
import path from 'node:path';

/**
 * The default data directory, per platform, as Electron's `app.getPath('userData')` would give it.
 * PANELDECK_DATA_DIR overrides it (tests, the CLI's --data-dir, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.PANELDECK_DATA_DIR) return path.resolve(env.PANELDECK_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'PanelDeck');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'PanelDeck');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'PanelDeck');
}

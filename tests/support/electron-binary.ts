import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the Electron binary is, or why there is none — without `require('electron')`, which would try to
 * download it (and fails on machines without internet; see TOOLCHAIN.md).
 */
export function findElectronBinary(root = process.cwd()): { path: string } | { reason: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const name = fs.existsSync(pathFile)
    ? fs.readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron';
  const candidate = override ? path.join(override, name) : path.join(pkg, 'dist', name);
  if (fs.existsSync(candidate)) return { path: candidate };
  return {
    reason:
      `Electron binary not installed (${path.relative(root, candidate)} missing): this machine cannot download it. ` +
      'Run `npx install-electron` where the network allows, or set ELECTRON_OVERRIDE_DIST_PATH.',
  };
}

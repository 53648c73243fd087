import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../support/electron-binary';

const found = findElectronBinary();

test.describe('Electron launch', () => {
  // The one documented skip: the Electron binary cannot be downloaded on machines without internet.
  test.skip('reason' in found, 'reason' in found ? found.reason : '');

  test('opens the window with the shell and app.info over IPC', async ({}, testInfo) => {
    const executablePath = 'path' in found ? found.path : '';
    const app = await electron.launch({
      executablePath,
      args: [path.resolve('out/main/index.js')],
      env: { ...process.env, PANELDECK_DATA_DIR: testInfo.outputPath('data') },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByRole('navigation', { name: 'Sections' })).toBeVisible();
      await win.getByRole('button', { name: /About/ }).click();
      await expect(win.locator('[data-field="Connected through"]')).toHaveText('electron');
      // Isolated, sandboxed, no Node: the page sees the bridge and nothing of Node or Electron.
      const page = await win.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        bridge: (window as unknown as { paneldeck?: { transport: string } }).paneldeck?.transport,
      }));
      expect(page).toEqual({ require: 'undefined', process: 'undefined', bridge: 'electron' });
    } finally {
      await app.close();
    }
  });
});

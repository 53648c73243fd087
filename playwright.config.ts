import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './tests/e2e/chromium-flags';

// Keep Chromium's profile, caches and config out of $HOME (TOOLCHAIN.md).
const xdg = path.join(os.tmpdir(), 'paneldeck-e2e-xdg');
process.env.XDG_CONFIG_HOME ??= path.join(xdg, 'config');
process.env.XDG_DATA_HOME ??= path.join(xdg, 'data');
process.env.XDG_CACHE_HOME ??= path.join(xdg, 'cache');

/**
 * Browser e2e: the real app (renderer + core) served by the loopback WebSocket host, driven in Debian's
 * Chromium. The Electron-launch spec is its own project so it can report its skip separately.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_FLAGS],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /electron-launch\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron-launch\.spec\.ts$/ },
  ],
});

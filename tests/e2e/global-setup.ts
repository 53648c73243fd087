import { build } from 'vite';

/**
 * Builds the renderer once for every e2e worker (the hosts serve out/web), with the test hooks the specs read
 * (window.__paneldeck, the terminal probe); a production build has none.
 */
export default async function globalSetup(): Promise<void> {
  process.env.PANELDECK_TEST_HOOKS = '1';
  if (process.env.PANELDECK_E2E_SKIP_BUILD === '1') return;
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
}

import { build } from 'vite';

/** Builds the renderer once for every e2e worker (the hosts serve out/web). */
export default async function globalSetup(): Promise<void> {
  if (process.env.PANELDECK_E2E_SKIP_BUILD === '1') return;
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
}

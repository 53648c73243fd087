import { startServerHost, type ServerHost } from '../integration/peers/server-host';
import { test as base } from './fixtures';

/**
 * The e2e `test` plus `serverHost`: a whole Debian server (sshd, nginx, PHP-FPM, MariaDB, PostgreSQL at their
 * standard paths, tests/integration/peers/server-host.ts), one per worker, started on first use. Needs root.
 */
export const test = base.extend<object, { serverHost: ServerHost }>({
  serverHost: [
    async ({}, use) => {
      const host = await startServerHost({ startTimeoutMs: 120_000 });
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
});

export { expect } from './fixtures';

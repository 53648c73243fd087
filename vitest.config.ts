import { defineConfig } from 'vitest/config';

/** The panel driver suites: loopback HTTP(S) servers only (no SSH peer), light enough to run beside the unit lane. */
const HTTP_PANELS =
  'tests/integration/{cloudpanel-api*,ghostcp*,website-factory,nexuspanel*,skypanel,panels-core}.test.ts';

/** The vault crash trials (SIGKILL mid-write, 100 times). */
const CRASH = 'tests/integration/vault-crash.test.ts';

/**
 * Four projects (crash: the vault's SIGKILL trials): fast unit tests; the panel HTTP suites against loopback panel servers; and integration tests
 * against real peers (sshd, MariaDB, nginx, ...) started by the tests.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'panels',
          include: [HTTP_PANELS],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The vault's crash-consistency trials: no peer, CPU-bound; npm test runs them after the static checks.
          name: 'crash',
          include: [CRASH],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [HTTP_PANELS, CRASH],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real servers on loopback: one file at a time keeps the 2-core machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});

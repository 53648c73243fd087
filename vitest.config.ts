import { defineConfig } from 'vitest/config';

/** The panel driver suites: loopback HTTP(S) servers only (no SSH peer), light enough to run beside the unit lane. */
const HTTP_PANELS =
  'tests/integration/{cloudpanel-api*,ghostcp*,website-factory,nexuspanel,nexuspanel-metrics,skypanel,panels-core}.test.ts';

/**
 * Three projects: fast unit tests; the panel HTTP suites against loopback panel servers; and integration tests
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
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [HTTP_PANELS],
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

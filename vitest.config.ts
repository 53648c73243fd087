import { defineConfig } from 'vitest/config';

/** Two projects: fast unit tests, and integration tests against real peers (sshd, MariaDB, ...) started by the tests. */
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
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
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

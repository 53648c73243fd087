import { startPebble, type PebblePeer } from '../integration/peers/pebble';
import { test as serverTest } from './server-fixtures';

/**
 * The whole-server `test` plus `pebble`: a private ACME CA (tests/integration/peers/pebble.ts) whose HTTP-01
 * validation reaches the server host's real nginx, one per worker. Every test's core trusts pebble's API CA for
 * pebble's directory only, through dev-web's test-only PANELDECK_TEST_ACME_DIRECTORY_CAS.
 */
export const test = serverTest.extend<object, { pebble: PebblePeer }>({
  pebble: [
    async ({ serverHost }, use) => {
      const peer = await startPebble({ httpAddress: serverHost.address });
      await use(peer);
      await peer.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  coreEnv: async ({ pebble }, use) => {
    await use({ PANELDECK_TEST_ACME_DIRECTORY_CAS: JSON.stringify({ [pebble.directoryUrl]: pebble.apiCa }) });
  },
});

export { expect, operation, setUpServer } from './server-fixtures';

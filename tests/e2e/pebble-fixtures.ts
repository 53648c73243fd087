import type { Page } from '@playwright/test';
import { startPebble, type PebblePeer } from '../integration/peers/pebble';
import type { ServerHost } from '../integration/peers/server-host';
import { expect, test as serverTest } from './server-fixtures';
import { MASTER, nav } from './terminal-helpers';

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

/** Fresh vault, the server's root key imported as a credential, and the server added as `name` (root, key auth). */
export async function setUpServer(page: Page, host: ServerHost, name = 'web-1'): Promise<void> {
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByLabel('Confirm master password').fill(MASTER);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();

  await nav(page).getByRole('button', { name: /Vault/ }).click();
  await page
    .getByRole('button', { name: /New credential|Add the first credential/ })
    .first()
    .click();
  const cred = page.getByRole('dialog', { name: 'New credential' });
  await cred.getByLabel('Kind').selectOption('ssh-key');
  await cred.getByLabel('Name', { exact: true }).fill('web-root-key');
  await cred.getByText('Import a private key').click();
  await cred.getByRole('textbox', { name: 'Private key' }).fill(host.rootKey);
  await cred.getByRole('button', { name: 'Add credential' }).click();
  const ready = page.getByRole('dialog', { name: /is ready/ });
  await ready.getByRole('button', { name: 'Done' }).click();
  await expect(ready).toHaveCount(0);

  await nav(page)
    .getByRole('button', { name: /Servers/ })
    .click();
  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Host', { exact: true }).fill(host.address);
  await dialog.getByLabel('Port', { exact: true }).fill(String(host.sshPort));
  await dialog.getByLabel('User', { exact: true }).fill('root');
  await dialog.getByLabel('Authentication').selectOption('key');
  await dialog.getByLabel('Credential').selectOption({ label: 'web-root-key' });
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toHaveCount(0);
}

export { expect };

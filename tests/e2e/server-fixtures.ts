import type { Page } from '@playwright/test';
import { startServerHost, type ServerHost } from '../integration/peers/server-host';
import { expect, test as base } from './fixtures';
import { MASTER, nav } from './terminal-helpers';

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

/** The drawer entry of the newest operation whose title matches. */
export function operation(page: Page, title: RegExp) {
  return page.getByTestId('operations-drawer').getByTestId('operation').filter({ hasText: title }).first();
}

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

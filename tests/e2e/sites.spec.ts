import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, operation, setUpServer, test } from './server-fixtures';
import { nav } from './terminal-helpers';

/*
 * Sites from the UI against a whole real server (the `serverHost` worker fixture: sshd + nginx at Debian's
 * paths, needs root): create a static site through the plan preview, follow the operation in the drawer, see the
 * site in the fleet table and answering through nginx, then delete it with the typed confirmation.
 * Every wait is on something the app shows or the server answers (DESIGN.md rule 9).
 */

const DOMAIN = 'shop-e2e.example.com';

/** A screenshot for the docs (docs/screenshots). */
async function docShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('docs', 'screenshots', `${name}.png`) });
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test.describe('Sites against a real nginx server', () => {
  test.beforeEach(({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
  });
  test.afterEach(({ core }, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) console.error(core.logs.slice(-40).join('\n'));
  });

  test('create a static site from the plan preview, follow it, see it answer, delete it', async ({
    app,
    serverHost,
  }) => {
    test.setTimeout(120_000);
    await app.setViewportSize({ width: 1280, height: 960 });
    await setUpServer(app, serverHost);

    // Opening Sites reads every server: the first connection asks to trust the host key.
    await nav(app).getByRole('button', { name: /Sites/ }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Sites' })).toBeVisible();
    const trust = app.getByRole('dialog', { name: 'Trust this server?' });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(serverHost.hostKeyFingerprint);
    await trust.getByRole('button', { name: 'Trust' }).click();
    await expect(trust).toHaveCount(0);
    // The stock server has only nginx's catch-all default (no server name): the empty state says what to do.
    await expect(app.getByRole('heading', { name: 'No sites on your servers yet' })).toBeVisible();

    // Create: the form validates as you type with the contract's schemas.
    await app.getByRole('button', { name: 'Create site' }).first().click();
    const create = app.getByRole('dialog', { name: 'Create site' });
    await create.getByLabel('Server').selectOption({ label: `web-1 (${serverHost.address})` });
    await create.getByLabel('Domain').fill('shop..example.com');
    await expect(create.getByText('A domain cannot have an empty label (two dots).')).toBeVisible();
    await create.getByLabel('Domain').fill(DOMAIN);
    await expect(create.getByText('A domain cannot have an empty label (two dots).')).toHaveCount(0);
    await create.getByRole('button', { name: 'Preview' }).click();

    // The plan: the vhost's diff and the exact commands, nginx -t among them.
    const review = app.getByRole('dialog', { name: `Create ${DOMAIN}: review the plan` });
    const plan = review.getByTestId('plan-preview');
    await expect(plan.getByTestId('plan-diff').first()).toContainText(`+++ b/etc/nginx/sites-available/${DOMAIN}.conf`);
    await expect(plan.getByTestId('plan-diff').first()).toContainText(`server_name ${DOMAIN}`);
    await expect(plan.getByTestId('plan-commands')).toContainText('$ nginx -t');
    await plan.getByTestId('plan-diff').first().scrollIntoViewIfNeeded();
    await docShot(app, 'sites-plan-preview');

    // Apply: the drawer opens on the operation and follows it to the end.
    await review.getByRole('button', { name: 'Apply' }).click();
    await expect(review).toHaveCount(0);
    const created = operation(app, new RegExp(`Create static site ${DOMAIN.replace(/\./g, '\\.')}`));
    await expect(created.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(created.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await expect(created.getByTestId('operation-step').first()).toBeVisible();
    await docShot(app, 'operations-drawer');

    // The fleet table lists it, and nginx serves it.
    const row = app.locator(`[data-testid="site-row"][data-domain="${DOMAIN}"]`);
    await expect(row).toContainText('web-1');
    await expect(row).toContainText('Static');
    await expect(row).toContainText('PanelDeck');
    const page = await serverHost.fetch(DOMAIN, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('PanelDeck site');

    // Disable, then enable again: each a previewed plan and an operation; the table follows.
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);
    for (const [verb, state] of [
      ['Disable', 'Disabled'],
      ['Enable', 'Enabled'],
    ] as const) {
      await row.getByRole('button', { name: `${verb} ${DOMAIN}` }).click();
      const toggle = app.getByRole('dialog', { name: `${verb} ${DOMAIN}?` });
      await expect(toggle.getByTestId('plan-commands')).toContainText('nginx');
      await toggle.getByRole('button', { name: `${verb} site` }).click();
      await expect(toggle).toHaveCount(0);
      await expect(operation(app, new RegExp(`^.*${verb} site`)).getByTestId('operation-state')).toHaveText(
        'Succeeded',
      );
      await expect(row).toContainText(state);
      await app.getByTestId('operations-toggle').click();
    }
    expect((await serverHost.fetch(DOMAIN, '/')).body).toContain('PanelDeck site');

    // Delete: the button stays off until the domain is typed; the plan shows the file going away.
    await row.getByRole('button', { name: `Delete ${DOMAIN}` }).click();
    const del = app.getByRole('dialog', { name: `Delete ${DOMAIN}?` });
    await expect(del.getByRole('button', { name: 'Preview deletion' })).toBeDisabled();
    await del.getByLabel('Type the domain').fill(DOMAIN);
    await del.getByRole('button', { name: 'Preview deletion' }).click();
    await expect(del.getByTestId('plan-diff').first()).toContainText(`--- a/etc/nginx/sites-available/${DOMAIN}.conf`);
    await del.getByRole('button', { name: 'Delete site' }).click();
    await expect(del).toHaveCount(0);
    const deleted = operation(app, new RegExp(`Delete site ${DOMAIN.replace(/\./g, '\\.')}`));
    await expect(deleted.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 60_000 });

    // Gone from the table (after the reload the end of the operation triggers), and nginx no longer serves it.
    await expect(row).toHaveCount(0);
    const after = await serverHost.fetch(DOMAIN, '/');
    expect(after.body).not.toContain('PanelDeck site');

    // A server that cannot be read is a row saying why, not a silent gap in the fleet table.
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);
    await nav(app)
      .getByRole('button', { name: /Servers/ })
      .click();
    await app.getByRole('button', { name: 'Add server' }).first().click();
    const add = app.getByRole('dialog', { name: 'Add server' });
    await add.getByLabel('Name', { exact: true }).fill('offline-1');
    await add.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await add.getByLabel('Port', { exact: true }).fill(String(await closedPort()));
    await add.getByLabel('User', { exact: true }).fill('root');
    await add.getByLabel('Credential').selectOption({ label: 'web-root-key' });
    await add.getByRole('button', { name: 'Add server' }).click();
    await expect(add).toHaveCount(0);
    await nav(app).getByRole('button', { name: /Sites/ }).click();
    await expect(app.getByTestId('site-problem')).toContainText('offline-1');
    await expect(app.getByTestId('sites-count')).toContainText('1 server could not be read');
    await app.locator('#site-server').selectOption({ label: 'web-1' });
    await expect(app.getByText('No site matches these filters.')).toBeVisible();
    await expect(app.getByTestId('site-problem')).toHaveCount(0);
  });
});

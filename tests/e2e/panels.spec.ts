import path from 'node:path';
import type { Page } from '@playwright/test';
import { startCloudPanelServer, type CloudPanelServer } from '../integration/panels/cloudpanel-api-server';
import { GHOST_ACCOUNTS, startGhostCpServer, type GhostCpServer } from '../integration/panels/ghostcp-server';
import { totp } from '../integration/panels/ghostcp-totp';
import { startWebsiteFactoryServer } from '../integration/panels/website-factory-server';
import { selfSignedCert } from '../integration/panels/tls-cert';
import { expect, test } from './fixtures';
import { operation } from './server-fixtures';
import { MASTER, nav } from './terminal-helpers';

/*
 * The Panels section against the loopback panel servers written from the seed documents
 * (tests/integration/panels/*-server.ts): add a panel in the UI (a self-signed HTTPS CloudPanel: the trust dialog
 * shows the certificate's fingerprint, which is trusted), test the connection, browse its resources, create a site
 * on it from the Sites section, follow the operation to the end in the drawer, and find it in the fleet sites
 * table with its source. Every wait is on something the app shows or the server logged (DESIGN.md rule 9).
 */

/** A screenshot for the docs (docs/screenshots). */
async function docShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('docs', 'screenshots', `${name}.png`) });
}

async function createVault(page: Page): Promise<void> {
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByLabel('Confirm master password').fill(MASTER);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();
}

/** Fills the "Add panel" dialog with a new credential typed in, and adds the panel. */
async function addPanel(
  page: Page,
  p: { kind: string; name: string; url: string; username?: string; secret: string },
): Promise<void> {
  await nav(page)
    .getByRole('button', { name: /Panels/ })
    .click();
  await page.getByRole('button', { name: 'Add panel' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add panel' });
  await dialog.getByLabel('Kind').selectOption({ label: p.kind });
  await dialog.getByLabel('Name', { exact: true }).fill(p.name);
  await dialog.getByLabel('Address').fill(p.url);
  if (p.username !== undefined) await dialog.getByLabel('User name').fill(p.username);
  const secret = dialog.getByLabel(p.username === undefined ? 'API key' : 'Password', { exact: true });
  await expect(secret).toHaveAttribute('type', 'password');
  await secret.fill(p.secret);
  await dialog.getByRole('button', { name: 'Add panel' }).click();
  await expect(dialog).toHaveCount(0);
}

/** Creates a static site on `target` from the Sites section and follows its operation to the end. */
async function createSiteOn(page: Page, target: string, domain: string): Promise<void> {
  await nav(page).getByRole('button', { name: /Sites/ }).click();
  await page.getByRole('button', { name: 'Create site' }).first().click();
  const create = page.getByRole('dialog', { name: 'Create site' });
  const picker = create.getByLabel('Server or panel');
  await expect(picker.locator('optgroup[label="Panels"] option', { hasText: target })).toHaveCount(1);
  await picker.selectOption({ label: target });
  await create.getByLabel('Kind').selectOption('static');
  await create.getByLabel('Domain').fill(domain);
  await create.getByRole('button', { name: 'Preview' }).click();
  const review = page.getByRole('dialog', { name: `Create ${domain}: review the plan` });
  await expect(review.getByTestId('plan-commands')).toContainText('POST');
  await review.getByRole('button', { name: 'Apply' }).click();
  await expect(review).toHaveCount(0);
  const op = operation(page, new RegExp(domain.replace(/\./g, '\\.')));
  await expect(op.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 60_000 });
  await expect(op.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await page.getByTestId('operations-toggle').click();
  await expect(page.getByTestId('operations-drawer')).toHaveCount(0);
}

test.describe('Panels: hosting panels over their HTTP API', () => {
  let cloudpanel: CloudPanelServer;
  let ghost: GhostCpServer;
  const cert = selfSignedCert();

  test.beforeEach(async ({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
    cloudpanel = await startCloudPanelServer({ tls: { key: cert.key, cert: cert.cert } });
    ghost = await startGhostCpServer();
  });
  test.afterEach(async ({ core }, testInfo) => {
    await cloudpanel.close();
    await ghost.close();
    if (testInfo.status !== testInfo.expectedStatus) console.error(core.logs.slice(-40).join('\n'));
  });

  test('add a self-signed CloudPanel and a 2FA GhostCP, create a site on each, find both in the fleet', async ({
    app,
  }) => {
    test.setTimeout(180_000);
    await app.setViewportSize({ width: 1280, height: 960 });
    cloudpanel.seedSites(30);
    await createVault(app);

    await nav(app)
      .getByRole('button', { name: /Panels/ })
      .click();
    await expect(app.getByRole('heading', { name: 'No panels yet' })).toBeVisible();
    await addPanel(app, { kind: 'CloudPanel API', name: 'cp-e2e', url: cloudpanel.url, secret: 'cp_admin_test_key' });

    // First contact: the certificate is self-signed; the trust dialog shows what openssl says of it.
    const trust = app.getByRole('dialog', { name: "Trust this panel's certificate?" });
    await expect(trust.getByTestId('tls-fingerprint')).toHaveText(cert.fingerprint);
    await expect(trust.getByTestId('tls-host')).toHaveText(`127.0.0.1:${cloudpanel.port}`);
    await expect(trust.getByTestId('tls-reason')).toContainText('SELF_SIGNED');
    await docShot(app, 'panels-tls-trust');
    // Nothing reached the panel before the certificate was trusted (no request was logged).
    expect(cloudpanel.log).toHaveLength(0);
    await trust.getByRole('button', { name: 'Trust' }).click();
    await expect(trust).toHaveCount(0);

    // The connection test answers: identity, role, what PanelDeck can do there.
    const row = app.locator('[data-testid="panel-row"][data-name="cp-e2e"]');
    await expect(row.getByTestId('panel-status')).toContainText('Connected');
    await expect(row).toContainText('CloudPanel API');
    const identity = app.getByTestId('panel-identity');
    await expect(identity.locator('[data-field="role"]')).toHaveText('admin');
    await expect(identity.locator('[data-field="supports"]')).toContainText('sites');

    // Its resources as tabs: the sites table is paginated (30 sites, 25 a page) and searchable.
    const sites = app.getByTestId('resource-sites');
    await expect(sites.getByTestId('resource-row')).toHaveCount(25);
    await expect(sites.getByTestId('resource-page')).toHaveText('Page 1 of 2');
    await sites.getByRole('button', { name: 'Next' }).click();
    await expect(sites.getByTestId('resource-row')).toHaveCount(5);
    await sites.getByRole('searchbox').fill('site-0007');
    await expect(sites.getByTestId('resource-row')).toHaveCount(1);
    await expect(sites.getByTestId('resource-row')).toContainText('site-0007.example.com');
    await sites.getByRole('searchbox').fill('');
    await expect(sites.getByTestId('resource-row')).toHaveCount(25);
    await docShot(app, 'panels-section');

    // The generated create form: a value the driver refuses before sending lands on its field, and nothing is sent.
    await app.getByRole('tab', { name: 'Databases' }).click();
    const dbs = app.getByTestId('resource-databases');
    await dbs.getByRole('button', { name: 'Create database' }).click();
    const dbCreate = app.getByRole('dialog', { name: 'Create database on cp-e2e' });
    await dbCreate.getByLabel('Database name').fill('shop');
    await dbCreate.getByLabel('Site (domain)').fill('site-0001.example.com');
    await dbCreate.getByLabel('New user (optional)', { exact: true }).fill('shopuser');
    const dbPassword = dbCreate.getByLabel('Password of the new user (optional)');
    await expect(dbPassword).toHaveAttribute('type', 'password');
    await dbCreate.getByRole('button', { name: 'Preview' }).click();
    await expect(dbPassword).toHaveAccessibleDescription(/Give the new user a password\./);
    expect(cloudpanel.log.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/databases'))).toHaveLength(0);
    await dbCreate.getByRole('button', { name: 'Cancel' }).click();
    await expect(dbCreate).toHaveCount(0);

    // Delete from the panel's own table: the plan first, then the operation; the table follows.
    await app.getByRole('tab', { name: 'Sites' }).click();
    await sites.getByRole('searchbox').fill('site-0030');
    await expect(sites.getByTestId('resource-row')).toHaveCount(1);
    await sites.getByRole('button', { name: 'Delete site-0030.example.com' }).click();
    const del = app.getByRole('dialog', { name: 'Delete site-0030.example.com?' });
    await expect(del.getByTestId('plan-commands')).toContainText('DELETE');
    await del.getByRole('button', { name: 'Delete site' }).click();
    await expect(del).toHaveCount(0);
    await expect(operation(app, /site-0030/).getByTestId('operation-state')).toHaveText('Succeeded', {
      timeout: 60_000,
    });
    await expect(sites.getByText('No sites match “site-0030”.')).toBeVisible();
    expect(cloudpanel.effects).toContain('site.delete site-0030.example.com');
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);

    // A site on the panel, from the Sites section: the target picker lists the panel under "Panels".
    await createSiteOn(app, 'cp-e2e (CloudPanel API)', 'shop-cp.example.com');
    expect(cloudpanel.effects).toContain('site.create shop-cp.example.com');

    // The fleet table shows it beside the others, with the panel's name and its source.
    const fleetRow = app.locator('[data-testid="site-row"][data-domain="shop-cp.example.com"]');
    await expect(fleetRow.getByTestId('site-server')).toHaveText('cp-e2e');
    await expect(fleetRow.getByTestId('site-source')).toHaveText('CloudPanel API');

    // GhostCP with 2FA: the connection test asks for the code from the authenticator app.
    const { username, password, totpSecret } = GHOST_ACCOUNTS.otp;
    await addPanel(app, { kind: 'GhostCP', name: 'ghost-e2e', url: ghost.url, username, secret: password });
    const otp = app.getByRole('dialog', { name: 'Two-factor code for ghost-e2e' });
    await otp.getByLabel('Code').fill('000000');
    await otp.getByRole('button', { name: 'Sign in' }).click();
    await expect(otp.getByLabel('Code')).toHaveAttribute('aria-invalid', 'true', { timeout: 30_000 });
    await expect(otp.getByText('Invalid two-factor authentication code')).toBeVisible();
    await otp.getByLabel('Code').fill(totp(totpSecret));
    await otp.getByRole('button', { name: 'Sign in' }).click();
    // GhostCP allows 5 sign-ins a minute: the client paces itself ahead of that limit (X-RateLimit-Remaining).
    await expect(otp).toHaveCount(0, { timeout: 60_000 });
    const ghostRow = app.locator('[data-testid="panel-row"][data-name="ghost-e2e"]');
    await expect(ghostRow.getByTestId('panel-status')).toContainText('Connected');
    await expect(app.getByTestId('panel-identity').locator('[data-field="identity"]')).toContainText(username);
    await expect(app.getByRole('tab', { name: 'Web domains' })).toBeVisible();

    await createSiteOn(app, 'ghost-e2e (GhostCP)', 'blog-ghost.example.com');
    expect(ghost.effects.some((e) => e.includes('blog-ghost.example.com'))).toBe(true);

    // Both panels' sites in the one fleet table, each with its panel and source.
    const ghostSite = app.locator('[data-testid="site-row"][data-domain="blog-ghost.example.com"]');
    await expect(ghostSite.getByTestId('site-server')).toHaveText('ghost-e2e');
    await expect(ghostSite.getByTestId('site-source')).toHaveText('GhostCP');
    await expect(fleetRow.getByTestId('site-source')).toHaveText('CloudPanel API');
    await app.locator('#site-server').selectOption({ label: 'ghost-e2e' });
    await expect(app.getByTestId('site-row')).toHaveCount(1);
    await app.locator('#site-server').selectOption({ label: 'cp-e2e' });
    await expect(app.getByTestId('site-row')).toHaveCount(30);
    await app.locator('#site-server').selectOption({ label: 'All servers and panels' });
    await docShot(app, 'panels-fleet-sites');

    // A changed certificate is refused, with both fingerprints; nothing is sent to the panel. (A connection opened
    // before the change may stay in use, as in any HTTPS client: saving the panel makes a fresh client, and its
    // first contact, the connection test that follows the save, meets the new certificate.)
    const next = selfSignedCert();
    cloudpanel.setCert({ key: next.key, cert: next.cert });
    await nav(app)
      .getByRole('button', { name: /Panels/ })
      .click();
    await app.getByRole('button', { name: 'Edit cp-e2e' }).click();
    const edit = app.getByRole('dialog', { name: 'Edit cp-e2e' });
    const sent = cloudpanel.log.length;
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toHaveCount(0);
    const changed = app.getByRole('dialog', { name: 'Certificate changed: connection refused' });
    await expect(changed.getByTestId('tls-old-fingerprint')).toHaveText(cert.fingerprint);
    await expect(changed.getByTestId('tls-new-fingerprint')).toHaveText(next.fingerprint);
    expect(cloudpanel.log).toHaveLength(sent);
    await docShot(app, 'panels-tls-changed');
    await changed.getByRole('button', { name: 'Stay disconnected' }).click();
    await expect(row.getByTestId('panel-status')).toContainText('Failed');
  });

  test('bulk-create sites on a Website Factory hub from a CSV: bad rows refused before sending, per-row results', async ({
    app,
  }) => {
    test.setTimeout(120_000);
    const hub = await startWebsiteFactoryServer();
    try {
      await app.setViewportSize({ width: 1280, height: 960 });
      await createVault(app);
      await addPanel(app, {
        kind: 'Website Factory hub',
        name: 'factory-e2e',
        url: hub.url,
        username: 'operator',
        secret: 'hub-password-1',
      });
      const row = app.locator('[data-testid="panel-row"][data-name="factory-e2e"]');
      await expect(row.getByTestId('panel-status')).toContainText('Connected');
      await expect(app.getByTestId('panel-identity').locator('[data-field="supports"]')).toContainText('bulk-sites');

      await app.getByRole('button', { name: 'Bulk create from CSV' }).click();
      const bulk = app.getByRole('dialog', { name: 'Bulk create sites on factory-e2e' });
      await bulk
        .getByLabel('Or paste the CSV')
        .fill(
          [
            'domain,brand_name',
            'alpha-bulk.example.com,Alpha',
            'bad..example.com,Broken',
            'beta-bulk.example.com,Beta',
            'gamma-bulk.example.com,Gamma',
          ].join('\n'),
        );
      await bulk.getByRole('button', { name: 'Check rows' }).click();
      const preview = bulk.getByTestId('bulk-preview');
      await expect(preview).toContainText('3 valid rows of 4');
      await expect(preview.getByTestId('bulk-row').nth(1)).toContainText('bad..example.com');
      await expect(preview.getByTestId('bulk-row').nth(1).locator('.field-error')).toContainText('domain:');
      await docShot(app, 'panels-bulk-preview');

      await bulk.getByRole('button', { name: 'Create 3 valid sites…' }).click();
      const review = app.getByRole('dialog', { name: 'Bulk create sites on factory-e2e: review the plan' });
      await review.getByRole('button', { name: 'Create 3 sites' }).click();
      const results = app.getByTestId('bulk-results');
      await expect(results.getByTestId('bulk-state')).toHaveText('succeeded', { timeout: 60_000 });
      await expect(results).toContainText('3 created, 0 failed, 1 rejected before sending');
      await expect(results).toContainText('bad..example.com');
      // The hub received the three good rows and never the bad one.
      const domains = hub.store.sites.map((x) => x.domain);
      expect(domains).toEqual(
        expect.arrayContaining(['alpha-bulk.example.com', 'beta-bulk.example.com', 'gamma-bulk.example.com']),
      );
      expect(hub.log.some((r) => r.body.includes('bad..example.com'))).toBe(false);
      await app
        .getByRole('dialog', { name: 'Bulk create sites on factory-e2e' })
        .getByRole('button', { name: 'Close', exact: true })
        .last()
        .click();

      // They join the fleet table with the hub's name and kind.
      await nav(app).getByRole('button', { name: /Sites/ }).click();
      const site = app.locator('[data-testid="site-row"][data-domain="beta-bulk.example.com"]');
      await expect(site.getByTestId('site-server')).toHaveText('factory-e2e');
      await expect(site.getByTestId('site-source')).toHaveText('Website Factory hub');

      // Rename the panel (tested again right away), then remove it: its sites leave the fleet table.
      await nav(app)
        .getByRole('button', { name: /Panels/ })
        .click();
      await app.getByRole('button', { name: 'Edit factory-e2e' }).click();
      const edit = app.getByRole('dialog', { name: 'Edit factory-e2e' });
      await expect(edit.getByLabel('Kind')).toBeDisabled();
      await edit.getByLabel('Name', { exact: true }).fill('factory-renamed');
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit).toHaveCount(0);
      const renamed = app.locator('[data-testid="panel-row"][data-name="factory-renamed"]');
      await expect(renamed.getByTestId('panel-status')).toContainText('Connected');
      await app.getByRole('button', { name: 'Remove factory-renamed' }).click();
      const remove = app.getByRole('dialog', { name: 'Remove factory-renamed?' });
      await remove.getByRole('button', { name: 'Remove panel' }).click();
      await expect(remove).toHaveCount(0);
      await expect(app.getByRole('heading', { name: 'No panels yet' })).toBeVisible();
      await nav(app).getByRole('button', { name: /Sites/ }).click();
      await expect(app.getByRole('heading', { name: 'Add a server or a panel first' })).toBeVisible();
    } finally {
      await hub.close();
    }
  });
});

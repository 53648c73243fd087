import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/*
 * The small things a new user meets in the first hour (issue 8, items 15 and 16): busy feedback, narrow windows,
 * styling, the audit trail, plurals, the favicon, sections that are not there yet, and panel kinds by name.
 */

const MASTER = 'correct-Horse-battery-staple-42';
const nav = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

async function createVault(page: Page): Promise<void> {
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByLabel('Confirm master password').fill(MASTER);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();
}

async function addServer(page: Page, name: string, tags: string[] = []): Promise<void> {
  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Host', { exact: true }).fill(`${name}.example.com`);
  await dialog.getByLabel('User', { exact: true }).fill('deploy');
  const tagInput = dialog.getByLabel('Tags');
  for (const t of tags) {
    await tagInput.fill(t);
    await tagInput.press('Enter');
    await expect(dialog.getByRole('button', { name: `Remove tag ${t}` })).toBeVisible();
  }
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('server-row').filter({ hasText: name })).toBeVisible();
}

/** Asserts that `inner` is rendered, visible and lies wholly inside `outer`'s box. */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  await expect(inner).toBeVisible();
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) throw new Error('no layout box');
  expect(a.x).toBeGreaterThanOrEqual(b.x);
  expect(a.y).toBeGreaterThanOrEqual(b.y);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 0.5);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 0.5);
}

test.describe('first-hour polish', () => {
  test('the page loads without a single 404, the favicon included', async ({ page, core }) => {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    // The browser's own icon request comes after the page has loaded: it is the marker that loading is over.
    const iconLoaded = page.waitForResponse((r) => /icon/.test(new URL(r.url()).pathname));
    await page.goto(core.url);
    await expect(nav(page)).toBeVisible();
    await expect(page.locator('link[rel="icon"]')).toHaveCount(1);
    const icon = await iconLoaded;
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/png');
    expect(icon.url()).toBe(await page.locator('link[rel="icon"]').evaluate((l) => (l as HTMLLinkElement).href));
    expect(failed).toEqual([]);
  });

  test('RSA key generation says "Generating…" until the key is ready', async ({ page, core }) => {
    // Hold the core's answer to keys.generate until the busy state has been seen: no race with a fast machine.
    let release: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      const generateIds = new Set<number>();
      ws.onMessage((m) => {
        if (typeof m === 'string') {
          const frame = JSON.parse(m) as { id?: number; method?: string };
          if (frame.method === 'keys.generate' && frame.id !== undefined) generateIds.add(frame.id);
        }
        server.send(m);
      });
      server.onMessage((m) => {
        if (typeof m === 'string') {
          const frame = JSON.parse(m) as { kind?: string; id?: number };
          if (frame.kind === 'reply' && frame.id !== undefined && generateIds.has(frame.id)) {
            void held.then(() => ws.send(m));
            return;
          }
        }
        ws.send(m);
      });
    });
    await page.goto(core.url);
    await createVault(page);
    await nav(page).getByRole('button', { name: /Vault/ }).click();
    await page
      .getByRole('button', { name: /New credential|Add the first credential/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'New credential' });
    await dialog.getByLabel('Kind').selectOption('ssh-key');
    await dialog.getByLabel('Name', { exact: true }).fill('old-servers');
    await dialog.getByLabel('Key type').selectOption('rsa');
    await dialog.getByRole('button', { name: 'Generate key' }).click();
    const busy = dialog.getByRole('button', { name: 'Generating…' });
    await expect(busy).toBeDisabled();
    await expect(busy).toHaveAttribute('aria-busy', 'true');
    await expect(dialog.getByRole('status')).toContainText('4096-bit RSA');
    release!();
    await expect(page.getByRole('dialog', { name: /Key “old-servers” is ready/ })).toBeVisible();
  });

  test('at 760 px every server row keeps Connect and Delete inside it; counts agree with their number', async ({
    app,
  }, testInfo) => {
    await createVault(app);
    await addServer(app, 'a-rather-long-server-name-for-narrow-windows', ['production', 'frankfurt', 'web']);
    await expect(app.getByTestId('servers-count')).toHaveText('1 server');
    await addServer(app, 'db-2');
    await expect(app.getByTestId('servers-count')).toHaveText('2 servers');
    await app.setViewportSize({ width: 760, height: 900 });
    for (const row of await app.getByTestId('server-row').all()) {
      await expectInside(row.getByRole('button', { name: /^Connect to / }), row);
      await expectInside(row.getByRole('button', { name: /^Delete / }), row);
    }
    await app.screenshot({ path: testInfo.outputPath('servers-760.png') });
  });

  test('the Settings "Terminal" box is drawn like the app\'s other boxes, not the browser\'s groove', async ({
    app,
  }) => {
    await nav(app)
      .getByRole('button', { name: /Settings/ })
      .click();
    const terminal = app.getByRole('group', { name: 'Terminal' });
    const theme = app.getByRole('group', { name: 'Theme' });
    await expect(terminal).toBeVisible();
    const style = (l: Locator) =>
      l.evaluate((el) => {
        const s = getComputedStyle(el);
        return { style: s.borderTopStyle, width: s.borderTopWidth, color: s.borderTopColor, radius: s.borderRadius };
      });
    const t = await style(terminal);
    expect(t.style).toBe('solid');
    expect(t).toEqual(await style(theme));
  });

  test('the audit trail shows server changes and credential deletion', async ({ app }) => {
    await createVault(app);
    await addServer(app, 'audit-web');
    await app.getByRole('button', { name: 'Edit audit-web' }).click();
    const edit = app.getByRole('dialog', { name: /Edit/ });
    await edit.getByLabel('Port', { exact: true }).fill('2222');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toHaveCount(0);
    await app.getByRole('button', { name: 'Delete audit-web' }).click();
    await app.getByRole('button', { name: 'Delete server' }).click();
    await expect(app.getByTestId('server-row')).toHaveCount(0);

    await nav(app).getByRole('button', { name: /Vault/ }).click();
    await app
      .getByRole('button', { name: /New credential|Add the first credential/ })
      .first()
      .click();
    const cred = app.getByRole('dialog', { name: 'New credential' });
    await cred.getByLabel('Name', { exact: true }).fill('audit-token');
    await cred.getByLabel('Password', { exact: true }).fill('Sekr1t-audit-e2e');
    await cred.getByRole('button', { name: 'Add credential' }).click();
    await expect(cred).toHaveCount(0);
    await app.getByRole('button', { name: 'Delete audit-token' }).click();
    await app.getByRole('dialog', { name: 'Delete audit-token?' }).getByRole('button', { name: 'Delete' }).click();
    await expect(app.getByTestId('credential-row')).toHaveCount(0);

    await app.getByRole('tab', { name: 'Audit' }).click();
    const table = app.getByRole('table', { name: 'Audit trail' });
    await expect(table.getByRole('row').filter({ hasText: 'Server added' })).toContainText('Server "audit-web" added');
    await expect(table.getByRole('row').filter({ hasText: 'Server changed' })).toContainText('port');
    await expect(table.getByRole('row').filter({ hasText: 'Server deleted' })).toContainText('audit-web');
    await expect(table.getByRole('row').filter({ hasText: 'Credential deleted' })).toContainText('audit-token');
    await expect(table).not.toContainText('Sekr1t-audit-e2e');
  });

  test('"Add panel" names kinds for people; SSH kinds take no URL, HTTP kinds ask for one', async ({ app }) => {
    await createVault(app);
    await app.getByRole('button', { name: 'Add server' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'Add server' });
    await dialog.getByLabel('Name', { exact: true }).fill('panel-box');
    await dialog.getByLabel('Host', { exact: true }).fill('panel-box.example.com');
    await dialog.getByLabel('User', { exact: true }).fill('deploy');
    await dialog.getByRole('button', { name: 'Add panel' }).click();
    const kind = dialog.getByLabel('Panel 1 kind');
    const labels = await kind.locator('option').allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining([
        'Linux server over SSH',
        'CloudPanel (clpctl over SSH)',
        'HestiaCP (over SSH)',
        'CloudPanel API',
        'Website Factory hub',
      ]),
    );
    expect(labels.some((l) => /^[a-z]+(-[a-z]+)+$/.test(l))).toBe(false); // no raw slugs

    // An HTTP kind without its address: the form says what is missing, by the kind's name.
    await kind.selectOption({ label: 'CloudPanel API' });
    await expect(dialog.getByLabel('Panel 1 address')).toBeVisible();
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog.getByRole('group', { name: 'Panel 1' }).getByRole('alert')).toHaveText(
      "CloudPanel API needs the panel's address (https://host:port).",
    );

    // An SSH kind: no address field at all, and the server saves.
    await kind.selectOption({ label: 'Linux server over SSH' });
    await expect(dialog.getByLabel('Panel 1 address')).toHaveCount(0);
    await expect(dialog.getByTestId('panel-ssh-note')).toHaveText("Uses this server's SSH login");
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(app.getByTestId('server-row').filter({ hasText: 'panel-box' })).toContainText('Linux server over SSH');
  });
});

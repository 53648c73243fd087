import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';

const MASTER = 'correct-Horse-battery-staple-42';
const SECRET = 'Db-Root-Pa55word-7f3c9e';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

async function createVault(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Create your vault' })).toBeVisible();
  await page.getByLabel('Master password', { exact: true }).fill(MASTER);
  await page.getByLabel('Confirm master password').fill(MASTER);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();
}

async function addPasswordCredential(page: Page, name: string, secret: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Vault/ }).click();
  await page
    .getByRole('button', { name: /New credential|Add the first credential/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await expect(dialog.getByLabel('Kind')).toBeFocused();
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('User name').fill('root');
  await dialog.getByLabel('Password', { exact: true }).fill(secret);
  await dialog.getByLabel('Password', { exact: true }).press('Enter'); // forms submit with Enter
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('credential-row').filter({ hasText: name })).toBeVisible();
}

async function addServer(page: Page, s: { name: string; host: string; tags: string[]; credential?: string }) {
  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
  await dialog.getByLabel('Name', { exact: true }).fill(s.name);
  await dialog.getByLabel('Host', { exact: true }).fill(s.host);
  await dialog.getByLabel('User', { exact: true }).fill('deploy');
  if (s.credential) {
    await dialog.getByLabel('Authentication').selectOption('password');
    await dialog.getByLabel('Credential').selectOption({ label: `${s.credential} (root)` });
  }
  const tags = dialog.getByLabel('Tags');
  for (const t of s.tags) {
    await tags.fill(t);
    await tags.press('Enter');
    await expect(dialog.getByRole('button', { name: `Remove tag ${t}` })).toBeVisible();
  }
  await dialog.getByLabel('Group').fill('Production');
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('server-row').filter({ hasText: s.name })).toBeVisible();
}

test.describe('vault and servers UI', () => {
  test('create, add credential and servers, lock, unlock, filter, reveal, audit', async ({ app }, testInfo) => {
    // First run: the create form, with a meter that reacts to what is typed.
    await expect(app.getByRole('heading', { level: 1, name: 'Create your vault' })).toBeVisible();
    const meter = app.getByTestId('strength-meter');
    await app.getByLabel('Master password', { exact: true }).fill('password1');
    await expect(meter).toHaveAttribute('data-score', '0');
    await expect(meter).toContainText('Very weak');
    await app.getByLabel('Master password', { exact: true }).fill(MASTER);
    await expect(meter).toHaveAttribute('data-score', /[34]/);
    await expect(meter).toContainText(/Strong|Very strong/);
    await shot(app, testInfo, 'create-vault');
    await createVault(app);
    await expect(app.getByText('No servers yet')).toBeVisible();
    await shot(app, testInfo, 'servers-empty');

    await addPasswordCredential(app, 'db-root', SECRET);
    await shot(app, testInfo, 'credentials');

    await app
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /Servers/ })
      .click();
    await addServer(app, { name: 'web-1', host: 'web1.example.com', tags: ['prod', 'web'], credential: 'db-root' });
    await addServer(app, { name: 'db-1', host: '10.0.0.12', tags: ['prod', 'db'] });
    await expect(app.getByTestId('server-row')).toHaveCount(2);
    await expect(app.getByTestId('server-row').filter({ hasText: 'web-1' })).toContainText('db-root');
    await shot(app, testInfo, 'servers-list');
    await app.emulateMedia({ colorScheme: 'dark' });
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    await shot(app, testInfo, 'servers-list-dark');
    await app.emulateMedia({ colorScheme: 'light' });
    await app.getByRole('button', { name: 'Edit web-1' }).click();
    const editor = app.getByRole('dialog', { name: 'Edit web-1' });
    await expect(editor.getByLabel('Credential')).toHaveValue(/.+/);
    await expect(editor.getByRole('button', { name: 'Remove tag web' })).toBeVisible();
    await shot(app, testInfo, 'server-editor');
    await app.keyboard.press('Escape');
    await expect(editor).toHaveCount(0);

    // Lock with the sidebar button: the unlock screen replaces the list, and the list is gone from the page.
    await app.getByRole('button', { name: /Lock vault/ }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Vault locked' })).toBeVisible();
    await expect(app.getByTestId('server-row')).toHaveCount(0);
    await expect(app.getByRole('button', { name: /Vault locked/ })).toBeVisible();
    await shot(app, testInfo, 'unlock');

    // A wrong password is an inline error next to the field, not a toast.
    const password = app.getByLabel('Master password');
    await password.fill('not-the-password');
    await password.press('Enter');
    await expect(app.getByText('Wrong master password')).toBeVisible();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(app.locator('.toast')).toHaveCount(0);
    await shot(app, testInfo, 'unlock-wrong-password');
    await password.fill(MASTER);
    await app.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(app.getByTestId('server-row')).toHaveCount(2);

    // Find by tag, then by free text.
    await app.getByLabel('Tag').selectOption('web');
    await expect(app.getByTestId('server-row')).toHaveCount(1);
    await expect(app.getByTestId('server-row')).toContainText('web-1');
    await expect(app.getByTestId('servers-count')).toHaveText('1 of 2 servers match');
    await app.getByLabel('Tag').selectOption('');
    await expect(app.getByTestId('server-row')).toHaveCount(2);
    await app.getByLabel('Search servers').fill('10.0.0.12');
    await expect(app.getByTestId('server-row')).toHaveCount(1);
    await expect(app.getByTestId('server-row')).toContainText('db-1');
    await shot(app, testInfo, 'servers-filtered');

    // Reveal shows the secret; the audit trail lists the reveal.
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Vault/ }).click();
    await expect(app.getByTestId('revealed-secret')).toHaveCount(0);
    await app.getByRole('button', { name: 'Reveal secret of db-root' }).click();
    await expect(app.getByTestId('revealed-secret')).toHaveText(SECRET);
    await shot(app, testInfo, 'credential-revealed');
    await app.getByRole('button', { name: 'Hide secret of db-root' }).click();
    await expect(app.getByTestId('revealed-secret')).toHaveCount(0);
    await app.getByRole('tab', { name: 'Audit' }).click();
    const audit = app.getByRole('table', { name: 'Audit trail' });
    await expect(audit.locator('tr[data-action="secret.revealed"]')).toHaveCount(1);
    await expect(audit.locator('tbody tr').first()).toHaveAttribute('data-action', 'secret.revealed'); // newest first
    await app.getByLabel('Action').selectOption('vault.unlock-failed');
    await expect(audit.locator('tbody tr')).toHaveCount(1);
    await shot(app, testInfo, 'audit');

    // Ctrl+L locks from anywhere.
    await app.keyboard.press('Control+l');
    await expect(app.getByRole('heading', { level: 1, name: 'Vault locked' })).toBeVisible();
  });

  test('a secret is nowhere in the page or its storage until Reveal is clicked', async ({ app }) => {
    await createVault(app);
    await addPasswordCredential(app, 'api-admin', SECRET);

    const leaks = async (): Promise<string[]> =>
      app.evaluate((secret) => {
        const places: string[] = [];
        if (document.documentElement.outerHTML.includes(secret)) places.push('DOM');
        for (const el of document.querySelectorAll('input, textarea')) {
          if ((el as HTMLInputElement).value.includes(secret)) places.push(`value of ${el.id || el.tagName}`);
        }
        for (const [name, store] of [
          ['localStorage', localStorage],
          ['sessionStorage', sessionStorage],
        ] as const) {
          for (let i = 0; i < store.length; i++) {
            const key = store.key(i) ?? '';
            if (key.includes(secret) || (store.getItem(key) ?? '').includes(secret)) places.push(name);
          }
        }
        return places;
      }, SECRET);

    expect(await leaks()).toEqual([]);
    // Walk the places a secret could surface: servers (credential picker), the audit, import/export, back.
    const nav = app.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('button', { name: /Servers/ }).click();
    await app.getByRole('button', { name: 'Add server' }).first().click();
    await app.getByRole('dialog', { name: 'Add server' }).getByLabel('Authentication').selectOption('password');
    await expect(app.getByRole('dialog').getByLabel('Credential')).toContainText('api-admin');
    expect(await leaks()).toEqual([]);
    await app.keyboard.press('Escape');
    await expect(app.getByRole('dialog')).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Add server' }).first()).toBeFocused(); // focus returns
    await nav.getByRole('button', { name: /Vault/ }).click();
    await app.getByRole('tab', { name: 'Audit' }).click();
    await expect(app.getByRole('table', { name: 'Audit trail' })).toBeVisible();
    expect(await leaks()).toEqual([]);
    await app.getByRole('tab', { name: 'Credentials' }).click();
    expect(await leaks()).toEqual([]);

    await app.getByRole('button', { name: 'Reveal secret of api-admin' }).click();
    await expect(app.getByTestId('revealed-secret')).toHaveText(SECRET);
    expect(await leaks()).toContain('DOM');
    expect(await leaks()).not.toContain('localStorage');
    expect(await leaks()).not.toContain('sessionStorage');
  });
});

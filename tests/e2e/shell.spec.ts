import fs from 'node:fs';
import { expect, test } from './fixtures';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };

test.describe('app shell over the WebSocket host', () => {
  test('draws the sidebar and the empty states', async ({ app }) => {
    const nav = app.getByRole('navigation', { name: 'Sections' });
    await expect(nav.getByRole('button')).toHaveText([
      /Servers/,
      /Terminal/,
      /Metrics/,
      /Sites/,
      /Databases/,
      /Certificates/,
      /Panels/,
      /Vault/,
      /Settings/,
      /About/,
    ]);
    // Metrics became a real section (issue 11): its servers are the vault's, so it asks for the vault first.
    await nav.getByRole('button', { name: /Metrics/ }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Create your vault' })).toBeVisible();
  });

  test('About shows app.info from the core', async ({ app, core }, testInfo) => {
    await app.getByRole('button', { name: /About/ }).click();
    const info = app.getByTestId('app-info');
    await expect(info.locator('[data-field="Version"]')).toHaveText(pkg.version);
    await expect(info.locator('[data-field="Data directory"]')).toHaveText(core.dataDir);
    await expect(info.locator('[data-field="Connected through"]')).toHaveText('loopback WebSocket host');
    await expect(app.getByTestId('app-health')).toContainText('data directory: writable');
    await app.screenshot({ path: testInfo.outputPath('about.png'), fullPage: true });
  });

  test('a contract error becomes a toast in words, its code behind Details', async ({ app }, testInfo) => {
    const code = await app.evaluate(async () => {
      const pd = (window as unknown as { __paneldeck: { call(m: string, i: unknown): Promise<unknown> } }).__paneldeck;
      try {
        await pd.call('app.info', { unexpected: true });
        return 'no error';
      } catch (e) {
        return (e as { code: string }).code;
      }
    });
    expect(code).toBe('VALIDATION');
    const toast = app.getByRole('alert');
    await expect(toast).toContainText('Unrecognized key');
    // People read a sentence; the method name and the code wait behind Details for a bug report.
    await expect(toast.locator('strong')).not.toContainText('app.info');
    await expect(toast.locator('code')).toBeHidden();
    await toast.getByText('Details').click();
    await expect(toast.locator('code')).toContainText('VALIDATION');
    await expect(toast.locator('code')).toContainText('app.info');
    await app.screenshot({ path: testInfo.outputPath('error-toast.png') });
    await app.keyboard.press('Escape');
    await expect(toast).toHaveCount(0);
  });

  test('keyboard: arrows move through sections, Enter opens, Ctrl+Shift+digit jumps', async ({ app }) => {
    const nav = app.getByRole('navigation', { name: 'Sections' });
    // The new-vault form focuses its password field once the vault status arrives: let that happen first, or
    // it can take the focus away from the sidebar in the middle of the test.
    await expect(app.getByLabel('Master password', { exact: true })).toBeFocused();
    await nav.getByRole('button', { name: /Servers/ }).focus();
    await app.keyboard.press('ArrowDown');
    await expect(nav.getByRole('button', { name: /Terminal/ })).toBeFocused();
    await app.keyboard.press('End');
    await expect(nav.getByRole('button', { name: /About/ })).toBeFocused();
    await app.keyboard.press('ArrowDown');
    await expect(nav.getByRole('button', { name: /Servers/ })).toBeFocused();
    await app.keyboard.press('ArrowUp');
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { level: 1, name: /About PanelDeck/ })).toBeVisible();
    await app.keyboard.press('Control+Shift+3');
    await expect(nav.getByRole('button', { name: /Metrics/ })).toHaveAttribute('aria-current', 'page');
  });

  test('theme follows the OS and can be switched by hand', async ({ app }, testInfo) => {
    const html = app.locator('html');
    await app.emulateMedia({ colorScheme: 'dark' });
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await app.emulateMedia({ colorScheme: 'light' });
    await expect(html).toHaveAttribute('data-theme', 'light');
    await app.getByRole('button', { name: /Settings/ }).click();
    await app.getByRole('radio', { name: 'Dark' }).check();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await app.screenshot({ path: testInfo.outputPath('settings-dark.png') });
    await app.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });
});

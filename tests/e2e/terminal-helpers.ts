import type { Page } from '@playwright/test';
import type { SshdPeer } from '../integration/peers/sshd';
import { expect } from './fixtures';

/*
 * Shared steps of the terminal e2e specs. Terminal text is read through `window.__paneldeckTerminals`
 * (src/renderer/features/terminal/test-hook.ts); every wait is on something the app shows or the buffer holds.
 */

export const MASTER = 'correct-Horse-battery-staple-42';

export const nav = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

/** Fresh vault with a password credential and a server `name` pointing at `port` (default: the sshd peer's). */
export async function setUp(page: Page, sshd: SshdPeer, name = 'sshd-peer'): Promise<void> {
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
  await cred.getByLabel('Name', { exact: true }).fill('tester-password');
  await cred.getByLabel('User name').fill(sshd.user);
  await cred.getByLabel('Password', { exact: true }).fill(sshd.password);
  await cred.getByLabel('Password', { exact: true }).press('Enter');
  await expect(cred).toHaveCount(0);
  await addServer(page, sshd, name);
}

/** Adds a server with the stored password credential (on `port`, default the peer's). */
export async function addServer(page: Page, sshd: SshdPeer, name: string, port = sshd.port): Promise<void> {
  await nav(page)
    .getByRole('button', { name: /Servers/ })
    .click();
  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Host', { exact: true }).fill(sshd.host);
  await dialog.getByLabel('Port', { exact: true }).fill(String(port));
  await dialog.getByLabel('User', { exact: true }).fill(sshd.user);
  await dialog.getByLabel('Authentication').selectOption('password');
  await dialog.getByLabel('Credential').selectOption({ label: `tester-password (${sshd.user})` });
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toHaveCount(0);
}

/** The pane ids of the active tab's panes, in DOM order. */
export async function paneIds(page: Page): Promise<string[]> {
  return page.getByTestId('term-pane').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.paneId ?? ''));
}

/** Waits until a line of the pane's buffer matches `re`; returns that line's index (the last match). */
export async function waitForLine(page: Page, paneId: string, re: RegExp): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, source, flags]) => {
      const lines = window.__paneldeckTerminals?.lines(id) ?? [];
      const r = new RegExp(source, flags);
      for (let i = lines.length - 1; i >= 0; i--) if (r.test(lines[i] ?? '')) return { index: i }; // 0 is falsy
      return false;
    },
    [paneId, re.source, re.flags] as const,
  );
  return ((await handle.jsonValue()) as { index: number }).index;
}

/** The pane's buffer, scrollback included. */
export async function lines(page: Page, paneId: string): Promise<string[]> {
  return page.evaluate((id) => window.__paneldeckTerminals?.lines(id) ?? [], paneId);
}

/** Types a command into the focused terminal (real key events into xterm's textarea). */
export async function run(page: Page, command: string): Promise<void> {
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Connects from the Servers list, trusts the key; resolves with the pane id once the prompt shows. */
export async function connectAndTrust(page: Page, name = 'sshd-peer'): Promise<string> {
  await page.getByRole('button', { name: `Connect to ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust this server?' });
  await dialog.getByRole('button', { name: 'Trust' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('term-tab').first()).toHaveAttribute('data-state', 'connected');
  const [paneId] = await paneIds(page);
  if (!paneId) throw new Error('no terminal pane');
  await waitForLine(page, paneId, /\$\s*$/); // the shell prompt
  return paneId;
}

/** Focuses the xterm of the pane (its hidden textarea takes the keys). */
export async function focusPane(page: Page, paneId: string): Promise<void> {
  await page.locator(`[data-pane-id="${paneId}"] .xterm-helper-textarea`).focus();
}

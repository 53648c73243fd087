import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  addServer,
  connectAndTrust,
  focusPane,
  lines,
  nav,
  paneIds,
  run,
  setUp,
  waitForLine,
} from './terminal-helpers';

/*
 * Terminal usability against a real OpenSSH server (issue 8: keys, failed panes, tab overflow, reload, busy close,
 * broadcast into splits, focus after the shortcuts sheet, snippets while scrolled back, search count).
 */

const sectionIs = (page: Page, name: RegExp) =>
  expect(nav(page).getByRole('button', { name })).toHaveAttribute('aria-current', 'page');

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Waits until the pane shows a prompt again after `command` printed `marker` (a program in front, then gone). */
async function startForeground(page: Page, paneId: string): Promise<void> {
  // The marker comes from the foreground program itself, so the program runs once it is on screen.
  await run(page, `sh -c 'echo fg-$((6*7)); exec sleep 300'`);
  await waitForLine(page, paneId, /^fg-42$/);
}

test.describe('terminal usability', () => {
  test.beforeEach(({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
  });

  test('Ctrl+digits and Alt+letters reach the shell; Ctrl+Shift+digit switches sections, also from a terminal', async ({
    app,
    sshd,
  }) => {
    await setUp(app, sshd);
    await expect(nav(app).getByRole('button', { name: /Sites/ })).toHaveAttribute('title', 'Sites (Ctrl+Shift+4)');
    const paneId = await connectAndTrust(app);

    // Raw mode shows the bytes the terminal sends: Ctrl+4 = ^\ (FS, SIGQUIT in cooked mode), Ctrl+3 = ESC,
    // Ctrl+8 = DEL, Alt+b = ESC b (readline's backward-word).
    await run(app, 'stty raw -echo; echo raw-$((1+1)); head -c 5 | cat -v; stty sane; echo; echo keys-$((2+2))');
    await waitForLine(app, paneId, /raw-2/);
    for (const key of ['Control+4', 'Control+3', 'Control+8', 'Alt+b']) await app.keyboard.press(key);
    await waitForLine(app, paneId, /^keys-4$/);
    expect((await lines(app, paneId)).some((l) => l.includes('^\\^[^?^[b'))).toBe(true);
    await sectionIs(app, /Terminal/); // checked after the shell's answer: no section switch came with the keys

    // The app's chord, pressed in the terminal: the section changes and the shell gets nothing.
    await app.keyboard.press('Control+Shift+4');
    await sectionIs(app, /Sites/);
    await app.keyboard.press('Control+Shift+2');
    await sectionIs(app, /Terminal/);
    await focusPane(app, paneId);
    await run(app, 'echo after-$((2+3))');
    const at = await waitForLine(app, paneId, /^after-5$/);
    expect((await lines(app, paneId))[at - 1]).toMatch(/\$ echo after-\$\(\(2\+3\)\)$/);
  });

  test('the shortcuts sheet shows the section chord, and closing it gives the keys back to the terminal', async ({
    app,
    sshd,
  }) => {
    await setUp(app, sshd);
    const paneId = await connectAndTrust(app);
    await app.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const sheet = app.getByRole('dialog', { name: 'Terminal shortcuts' });
    await expect(sheet).toContainText('Ctrl+Shift+1…9');
    await app.keyboard.press('Escape');
    await expect(sheet).toHaveCount(0);
    await expect(app.locator(`[data-pane-id="${paneId}"] .xterm-helper-textarea`)).toBeFocused();
    await run(app, 'echo typed-$((5*5))');
    await waitForLine(app, paneId, /^typed-25$/);
    await expect(sheet).toHaveCount(0); // Enter went to the shell, not to the "?" button
  });

  test('broadcast reaches every pane of a split tab', async ({ app, sshd }) => {
    await setUp(app, sshd);
    const left = await connectAndTrust(app);
    await app.keyboard.press('Control+Shift+D');
    await expect(app.getByTestId('term-pane')).toHaveCount(2);
    const right = (await paneIds(app)).find((id) => id !== left) ?? '';
    await waitForLine(app, right, /\$\s*$/);
    await app.getByRole('button', { name: 'Broadcast', exact: true }).click();
    await expect(app.getByTestId('broadcast-bar')).toBeVisible();
    await focusPane(app, right);
    await run(app, 'echo bc-$((6*7))');
    await waitForLine(app, right, /^bc-42$/);
    await waitForLine(app, left, /^bc-42$/);
  });

  test('typing into a pane without a connection is refused once, saying why', async ({ app, sshd }) => {
    await setUp(app, sshd);
    await addServer(app, sshd, 'nowhere', await closedPort());
    await app.getByRole('button', { name: 'Connect to nowhere' }).click();
    const pane = app.getByTestId('term-pane');
    await expect(pane).toHaveAttribute('data-status', /reconnecting|closed/);
    const [paneId] = await paneIds(app);
    await focusPane(app, paneId ?? '');
    await app.keyboard.type('abc');
    await app.keyboard.press('Enter');
    // A round trip through the core: any terminal.write sent with the keys has had its answer by now.
    await app.evaluate(() =>
      (window as unknown as { __paneldeck: { call(m: string, i: unknown): Promise<unknown> } }).__paneldeck.call(
        'app.info',
        {},
      ),
    );
    const toasts = app.locator('.toast').filter({ hasText: 'Input not sent' });
    await expect(toasts).toHaveCount(1);
    await expect(toasts).toContainText('is not connected');
    await expect(toasts).not.toContainText('not reading input fast enough');
  });

  test('many tabs: numbered names, the active one stays in sight, and the "⌄" list reaches all', async ({
    app,
    sshd,
  }) => {
    await app.setViewportSize({ width: 900, height: 600 });
    await setUp(app, sshd);
    await connectAndTrust(app);
    const tabs = app.getByTestId('term-tab');
    for (let n = 2; n <= 8; n++) {
      await app.keyboard.press('Control+Shift+T');
      await expect(tabs).toHaveCount(n);
      await expect(tabs.nth(n - 1)).toHaveAttribute('data-state', 'connected');
    }
    await expect(app.getByRole('tab')).toHaveText([
      'sshd-peer',
      ...Array.from({ length: 7 }, (_, i) => `sshd-peer (${i + 2})`),
    ]);
    const active = app.getByRole('tab', { selected: true });
    await expect(active).toHaveText('sshd-peer (8)');
    await expect(active).toBeInViewport({ ratio: 1 });
    // A readable tab, not a sliver: the whole name shows.
    expect(await active.locator('.term-tab-title').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);

    await app.getByRole('button', { name: 'All tabs (8)' }).click();
    const list = app.getByRole('menu', { name: 'All tabs' });
    await expect(list.getByRole('menuitem')).toHaveCount(8);
    await app.screenshot({ path: path.join('docs', 'screenshots', 'terminal-tab-overflow.png') });
    await list.getByRole('menuitem', { name: /^sshd-peer connected$/ }).click();
    await expect(active).toHaveText('sshd-peer');
    await expect(active).toBeInViewport({ ratio: 1 });
  });

  test('a reload brings the shells back in their tabs and splits', async ({ app, sshd }) => {
    await setUp(app, sshd);
    const first = await connectAndTrust(app);
    await app.keyboard.press('Control+Shift+E');
    await expect(app.getByTestId('term-pane')).toHaveCount(2);
    const second = (await paneIds(app)).find((id) => id !== first) ?? '';
    await waitForLine(app, second, /\$\s*$/);
    const tab = app.getByRole('tab').first();
    await tab.dblclick();
    await app.getByRole('textbox', { name: /Rename tab/ }).fill('pair');
    await app.keyboard.press('Enter');
    await expect(tab).toHaveText('pair');
    const before = await app.evaluate(() => window.__paneldeckTerminals?.panes() ?? []);

    await app.reload();
    await nav(app)
      .getByRole('button', { name: /Terminal/ })
      .click();
    await expect(app.getByTestId('term-pane')).toHaveCount(2);
    await expect(app.getByRole('tab')).toHaveText(['pair']);
    const after = await app.evaluate(() => window.__paneldeckTerminals?.panes() ?? []);
    expect(after.map((p) => p.sessionId)).toEqual(before.map((p) => p.sessionId));
    expect(new Set(after.map((p) => p.tabId)).size).toBe(1);
    // Stacked as before (split down): the second pane is below the first.
    const boxes = await app
      .getByTestId('term-pane')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(boxes[1]).toBeGreaterThan(boxes[0] ?? 0);
  });

  test('closing a tab or pane with a program running asks first; "don’t ask again" stops asking', async ({
    app,
    sshd,
  }) => {
    await setUp(app, sshd);
    const first = await connectAndTrust(app);
    // An idle shell closes at once.
    await app.keyboard.press('Control+Shift+D');
    await expect(app.getByTestId('term-pane')).toHaveCount(2);
    const idle = (await paneIds(app)).find((id) => id !== first) ?? '';
    await waitForLine(app, idle, /\$\s*$/);
    await app.keyboard.press('Control+Shift+W');
    await expect(app.getByTestId('term-pane')).toHaveCount(1);

    // A busy one asks (keyboard); Cancel keeps it running.
    await focusPane(app, first);
    await startForeground(app, first);
    await app.keyboard.press('Control+Shift+W');
    const ask = app.getByRole('dialog', { name: 'Close “sshd-peer”?' });
    await expect(ask).toContainText(/“(sh|sleep)” is still running in this tab/);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(ask).toHaveCount(0);
    await expect(app.getByTestId('term-tab')).toHaveCount(1);
    await focusPane(app, first);
    await app.keyboard.press('Control+C');
    await run(app, 'echo still-$((3+4))');
    await waitForLine(app, first, /^still-7$/);

    // The × asks too; "don't ask again" closes it and turns the question off.
    await startForeground(app, first);
    await app.getByRole('button', { name: 'Close tab sshd-peer' }).click();
    await ask.getByRole('checkbox', { name: /Don’t ask again/ }).check();
    await ask.getByRole('button', { name: 'Close tab' }).click();
    await expect(app.getByTestId('term-tab')).toHaveCount(0);

    await nav(app)
      .getByRole('button', { name: /Servers/ })
      .click();
    await app.getByRole('button', { name: 'Connect to sshd-peer' }).click();
    await expect(app.getByTestId('term-tab')).toHaveAttribute('data-state', 'connected');
    const [again] = await paneIds(app);
    await waitForLine(app, again ?? '', /\$\s*$/);
    await startForeground(app, again ?? '');
    await app.keyboard.press('Control+Shift+W');
    await expect(app.getByTestId('term-tab')).toHaveCount(0);
    await nav(app)
      .getByRole('button', { name: /Settings/ })
      .click();
    await expect(app.getByLabel('Ask before closing a terminal that is running a program')).not.toBeChecked();
  });

  test('search counts its matches; a snippet run while scrolled back brings the output into view', async ({
    app,
    sshd,
  }) => {
    await setUp(app, sshd);
    const paneId = await connectAndTrust(app);
    await run(app, 'for i in 1 2 3; do echo needle-$i; done; seq 1 300');
    await waitForLine(app, paneId, /^300$/);

    await app.keyboard.press('Control+Shift+F');
    await app.getByRole('textbox', { name: 'Find in terminal' }).fill('needle-');
    // Three printed lines and the command line itself.
    await expect(app.getByTestId('search-count')).toHaveText(/^[1-4] of 4$/);
    await app.keyboard.press('Escape');

    await app.getByTestId('term-pane').hover();
    await app.mouse.wheel(0, -3000);
    await app.waitForFunction((id) => {
      const s = window.__paneldeckTerminals?.scroll(id);
      return !!s && s.viewportY < s.baseY;
    }, paneId);

    await app.getByRole('button', { name: 'Snippets' }).click();
    await app.getByRole('button', { name: 'New', exact: true }).click();
    const form = app.getByRole('form', { name: 'New snippet' });
    await form.getByLabel('Name').fill('nine');
    await form.getByLabel('Command').fill('echo snip-$((3*3))');
    await form.getByRole('button', { name: 'Save' }).click();
    await app.getByRole('button', { name: 'Run nine' }).click();
    await waitForLine(app, paneId, /^snip-9$/);
    const s = await app.evaluate((id) => window.__paneldeckTerminals?.scroll(id), paneId);
    expect(s?.viewportY).toBe(s?.baseY);
  });
});

import { startNexusServer, type NexusServer } from '../integration/panels/nexuspanel-server';
import { expect, test } from './fixtures';
import { focusPane, MASTER, nav, paneIds, run, waitForLine } from './terminal-helpers';

/*
 * A NexusPanel server's web terminal in a Terminal tab (issue 11): a NexusPanel account added in the UI against
 * the loopback NexusPanel (tests/integration/panels/nexuspanel-server.ts, whose terminal is a stand-in echo shell
 * over WebSocket), "Open terminal" on a server's row, a command typed into the xterm tab and its answer read back
 * from the terminal's buffer. Every wait is on something the app shows or the buffer holds.
 */

test.describe('Panels: a NexusPanel server terminal in an xterm tab', () => {
  let nexus: NexusServer;

  test.beforeEach(async ({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
    nexus = await startNexusServer();
    nexus.seedServers(2);
  });
  test.afterEach(async ({ core }, testInfo) => {
    await nexus.close();
    if (testInfo.status !== testInfo.expectedStatus) console.error(core.logs.slice(-40).join('\n'));
  });

  test("opens a server's terminal from its row; a typed command is echoed, also after a reload", async ({ app }) => {
    await app.getByLabel('Master password', { exact: true }).fill(MASTER);
    await app.getByLabel('Confirm master password').fill(MASTER);
    await app.getByRole('button', { name: 'Create vault' }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();

    await nav(app)
      .getByRole('button', { name: /Panels/ })
      .click();
    await app.getByRole('button', { name: 'Add panel' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'Add panel' });
    await dialog.getByLabel('Kind').selectOption({ label: 'NexusPanel' });
    await dialog.getByLabel('Name', { exact: true }).fill('nexus-e2e');
    await dialog.getByLabel('Address').fill(nexus.url);
    await dialog.getByLabel('User name').fill('admin');
    await dialog.getByLabel('Password', { exact: true }).fill('Admin-Pass-123');
    await dialog.getByRole('button', { name: 'Add panel' }).click();
    await expect(dialog).toHaveCount(0);

    const row = app.locator('[data-testid="panel-row"][data-name="nexus-e2e"]');
    await expect(row.getByTestId('panel-status')).toContainText('Connected');
    await expect(app.getByTestId('panel-identity').locator('[data-field="supports"]')).toContainText('terminal');
    await app.getByRole('tab', { name: 'Servers' }).click();
    const servers = app.getByTestId('resource-servers');
    await expect(servers.getByTestId('resource-row')).toHaveCount(2);
    await servers.getByRole('button', { name: 'Open terminal on Web Server 002' }).click();

    const tab = app.getByTestId('term-tab').first();
    await expect(tab).toContainText('Web Server 002');
    await expect(tab).toHaveAttribute('data-state', 'connected');
    const [paneId] = await paneIds(app);
    if (!paneId) throw new Error('no terminal pane');
    await waitForLine(app, paneId, /^\$\s*$/); // the stand-in shell's prompt
    await focusPane(app, paneId);
    await run(app, 'echo hi-e2e');
    await waitForLine(app, paneId, /^hi-e2e\s*$/);

    // A reloaded window gets the same web terminal back in its tab (terminal.list says it is a panel's).
    await app.reload();
    await nav(app)
      .getByRole('button', { name: /Terminal/ })
      .click();
    await expect(app.getByTestId('term-tab')).toHaveCount(1);
    await expect(app.getByTestId('term-tab').first()).toHaveAttribute('data-state', 'connected');
    const [again] = await paneIds(app);
    if (!again) throw new Error('no re-attached pane');
    await waitForLine(app, again, /re-attached after a reload; recent output above/);
    await app.getByTestId('term-pane').click();
    await run(app, 'echo still-there');
    await waitForLine(app, again, /^still-there\s*$/);
    // One WebSocket all along: the reload re-attached to it rather than opening another.
    const upgrades = nexus.log.filter((r) => r.headers.upgrade === 'websocket');
    expect(upgrades.map((r) => `${r.status} ${r.path}`)).toEqual(['101 /api/v1/servers/2/terminal']);
  });
});

import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, setUpServer, test } from './server-fixtures';
import { MASTER, nav } from './terminal-helpers';

/*
 * Metrics from the UI against a whole real server (the `serverHost` worker fixture, needs root): collection turned
 * on in the fleet overview, the host key trusted when the collector first connects, the dashboard's CPU figure and
 * chart rising under real load started on the server, an alert rule made in the UI firing on that load (toast,
 * list), acknowledged, and resolving once the load stops; then a fleet of 200 servers in the windowed overview.
 * Every wait is on something the app shows (DESIGN.md rule 9).
 */

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

/** The number a figure or chart carries in its data attribute (NaN while it has none). */
async function numberAttr(page: Page, testId: string, attr: string): Promise<number> {
  const v = await page.getByTestId(testId).getAttribute(attr);
  return v === null || v === '' ? Number.NaN : Number(v);
}

type PdClient = { call(m: string, i: unknown): Promise<unknown> };

test.describe('Metrics against a real server', () => {
  test.beforeEach(({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
  });
  test.afterEach(({ core }, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) console.error(core.logs.slice(-60).join('\n'));
  });

  test('collect, see CPU rise under real load on the dashboard, and an alert rule fire and resolve', async ({
    app,
    serverHost,
  }) => {
    test.setTimeout(180_000);
    await app.setViewportSize({ width: 1400, height: 1000 });
    await setUpServer(app, serverHost);

    // The fleet overview: the server is there, collection is off until the user turns it on.
    await nav(app)
      .getByRole('button', { name: /Metrics/ })
      .click();
    await expect(app.getByRole('heading', { level: 1, name: 'Metrics' })).toBeVisible();
    const row = app.getByTestId('fleet-row').filter({ hasText: 'web-1' });
    await expect(row.getByTestId('collect-state')).toHaveAttribute('data-state', 'off');
    const collect = app.getByRole('checkbox', { name: 'Collect metrics' });
    await expect(collect).not.toBeChecked();
    const interval = app.getByLabel('Interval (seconds)');
    await interval.fill('1');
    await interval.press('Enter');
    await expect(interval).toHaveValue('1');
    await collect.check();
    await expect(collect).toBeChecked();

    // The collector's first connection asks to trust the host key, like any other.
    const trust = app.getByRole('dialog', { name: 'Trust this server?' });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(serverHost.hostKeyFingerprint);
    await trust.getByRole('button', { name: 'Trust' }).click();
    await expect(trust).toHaveCount(0);
    await expect(row.getByTestId('collect-state')).toHaveAttribute('data-state', 'up', { timeout: 30_000 });

    // A rule made in the UI: CPU above 80 % for 3 s on this server.
    await app.getByRole('tab', { name: /Alerts/ }).click();
    await app.getByRole('button', { name: 'New rule' }).click();
    const editor = app.getByRole('dialog', { name: 'New alert rule' });
    await editor.getByLabel('Name').fill('CPU hot');
    await editor.getByLabel('Metric').selectOption('cpu');
    await editor.getByLabel('Condition').selectOption('>');
    await editor.getByLabel('Threshold (%)').fill('80');
    await editor.getByLabel('For (seconds)').fill('3');
    await editor.getByLabel('Severity').selectOption('critical');
    await editor.getByLabel('Applies to').selectOption('server');
    await editor.getByLabel('Server', { exact: true }).selectOption({ label: 'web-1' });
    await editor.getByRole('button', { name: 'Add rule' }).click();
    await expect(editor).toHaveCount(0);
    await expect(app.getByTestId('alert-rule').filter({ hasText: 'CPU hot' })).toContainText('CPU busy > 80 % for 3 s');

    // The dashboard: live figures and charts; the idle server is well below the threshold.
    await app.getByRole('tab', { name: /Fleet/ }).click();
    await row.getByRole('button', { name: 'web-1' }).click();
    const dashboard = app.getByTestId('server-dashboard');
    await expect(dashboard.getByRole('heading', { level: 1, name: 'web-1' })).toBeVisible();
    await expect(dashboard.getByTestId('collect-state')).toHaveAttribute('data-state', 'up');
    // A figure before the load (not asserted low: /proc/stat is the whole machine's, which other work may fill).
    await expect.poll(() => numberAttr(app, 'current-cpu', 'data-value'), { timeout: 30_000 }).not.toBeNaN();
    await expect(app.getByTestId('chart-cores')).not.toHaveAttribute('data-cores', '0');
    await expect(app.getByTestId('filesystem').first()).toBeVisible();

    // Real load on the server: one busy loop per CPU.
    const cpus = Number((await serverHost.execOk(['nproc'])).trim());
    const pids = (
      await serverHost.execOk([
        'sh',
        '-c',
        'i=0; while [ "$i" -lt "$1" ]; do (while :; do :; done) </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done',
        'load',
        String(cpus),
      ])
    )
      .trim()
      .split('\n');
    try {
      await expect.poll(() => numberAttr(app, 'current-cpu', 'data-value'), { timeout: 30_000 }).toBeGreaterThan(85);
      await expect.poll(() => numberAttr(app, 'chart-cpu', 'data-last'), { timeout: 10_000 }).toBeGreaterThan(85);
      // The rule fires: an in-app toast names the server and the rule.
      await expect(app.getByRole('status').filter({ hasText: 'Alert on web-1' })).toContainText('CPU hot', {
        timeout: 30_000,
      });
      // The crosshair on the CPU chart shows every chart's tooltip at that moment (synced charts).
      const cpuChart = app.getByTestId('chart-cpu').locator('.recharts-wrapper');
      const box = await cpuChart.boundingBox();
      if (box) await app.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await expect(app.getByTestId('chart-memory').locator('.recharts-tooltip-wrapper')).toBeVisible();
      await docShot(app, 'metrics-dashboard');

      // The alert list: triggered, then acknowledged by hand.
      await dashboard.getByRole('button', { name: '← Fleet' }).click();
      await app.getByRole('tab', { name: /Alerts/ }).click();
      const alert = app.getByTestId('alert').filter({ hasText: 'CPU hot' });
      await expect(alert).toHaveAttribute('data-state', 'triggered');
      await alert.getByRole('button', { name: 'Acknowledge' }).click();
      await expect(alert).toHaveAttribute('data-state', 'acknowledged');
      await alert.getByLabel('Snooze').selectOption('60');
      await expect(alert).toContainText('snoozed until');
      await docShot(app, 'metrics-alerts');

      // Resolved by hand while the load still runs: it moves to the history and does not fire again meanwhile
      // (the engine waits for the condition to clear first).
      await alert.getByRole('button', { name: 'Resolve' }).click();
      await expect(app.getByTestId('alerts-empty')).toHaveText('No open alert.');
      await app.getByRole('button', { name: 'All', exact: true }).click();
      const resolved = app.getByTestId('alert').filter({ hasText: 'CPU hot' });
      await expect(resolved).toHaveAttribute('data-state', 'resolved');
      await resolved.getByText(/^Fired /).click();
      await expect(resolved.getByRole('listitem').filter({ hasText: 'resolved by hand' })).toBeVisible();
    } finally {
      await serverHost.exec(['kill', ...pids]);
    }
  });

  test('the fleet overview of 200 servers: states, filters, sorting, windowed rows', async ({ app }) => {
    test.setTimeout(120_000);
    await app.setViewportSize({ width: 1400, height: 900 });
    await app.getByLabel('Master password', { exact: true }).fill(MASTER);
    await app.getByLabel('Confirm master password').fill(MASTER);
    await app.getByRole('button', { name: 'Create vault' }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Servers' })).toBeVisible();

    // 200 servers through the client: nothing listens on their port, so they are unreachable.
    const port = await closedPort();
    await app.evaluate(async (port) => {
      const pd = (window as unknown as { __paneldeck: PdClient }).__paneldeck;
      const cred = (await pd.call('credentials.create', { name: 'fleet', kind: 'password', secret: 'x' })) as {
        id: string;
      };
      for (let i = 0; i < 200; i++) {
        const n = String(i).padStart(3, '0');
        await pd.call('servers.create', {
          name: `node-${n}`,
          host: '127.0.0.1',
          port,
          user: 'root',
          auth: 'password',
          credentialId: cred.id,
          tags: [i % 2 === 0 ? 'web' : 'db'],
          group: i < 50 ? 'eu' : 'us',
        });
      }
    }, port);

    await nav(app)
      .getByRole('button', { name: /Metrics/ })
      .click();
    await expect(app.getByTestId('fleet-count')).toHaveText('200 servers');
    const rows = app.getByTestId('fleet-rows');
    await expect(rows).toHaveAttribute('data-count', '200');
    // Windowed: the first rows exist, the last one does not until it is scrolled to.
    await expect(app.getByTestId('fleet-row').first()).toContainText('node-000');
    await expect(app.getByTestId('fleet-row').filter({ hasText: 'node-199' })).toHaveCount(0);
    expect(await app.getByTestId('fleet-row').count()).toBeLessThan(60);

    // Collection on: every server's state becomes "unreachable", with the reason.
    await app.getByRole('checkbox', { name: 'Collect metrics' }).check();
    await expect(app.getByTestId('fleet-count')).toHaveText('200 servers · 200 unreachable', { timeout: 60_000 });
    await expect(app.getByTestId('fleet-row').first().getByTestId('collect-state')).toHaveAttribute(
      'data-state',
      'unreachable',
    );
    await docShot(app, 'metrics-fleet');

    await rows.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(app.getByTestId('fleet-row').filter({ hasText: 'node-199' })).toBeVisible();

    // Filters: by tag, by group, both.
    await app.getByLabel('Tag').selectOption('web');
    await expect(app.getByTestId('fleet-count')).toHaveText(/^100 of 200 servers match/);
    await app.getByLabel('Group').selectOption('eu');
    await expect(app.getByTestId('fleet-count')).toHaveText(/^25 of 200 servers match/);
    await app.getByLabel('Tag').selectOption('');
    await app.getByLabel('Group').selectOption('');

    // Sorting: by name descending puts node-199 first.
    await rows.evaluate((el) => el.scrollTo({ top: 0 }));
    await app
      .getByRole('columnheader', { name: /Server/ })
      .getByRole('button')
      .click();
    await expect(app.getByRole('columnheader', { name: /Server/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(app.getByTestId('fleet-row').first()).toContainText('node-199');

    // A click opens the server's dashboard, which says why nothing is charted.
    await app.getByTestId('fleet-row').first().click();
    const dashboard = app.getByTestId('server-dashboard');
    await expect(dashboard.getByRole('heading', { level: 1, name: 'node-199' })).toBeVisible();
    await expect(dashboard.getByTestId('collect-state')).toHaveAttribute('data-state', 'unreachable');
    await expect(dashboard.getByTestId('collect-reason')).not.toBeEmpty();
  });
});

import { expect, operation, setUpServer, test } from './server-fixtures';
import { nav } from './terminal-helpers';

/*
 * Databases from the UI against a whole real server (the `serverHost` worker fixture: sshd + MariaDB at Debian's
 * paths, needs root): create a database with a generated password through the plan preview, see it and its user
 * in the fleet tables, then delete both with the typed confirmation. Every wait is on something the app shows.
 */

const DB = 'shop_e2e';
const USER = 'shop_e2e_app';

test.describe('Databases against a real MariaDB server', () => {
  test.beforeEach(({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
  });
  test.afterEach(({ core }, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) console.error(core.logs.slice(-40).join('\n'));
  });

  test('create a database and user from the plan preview, see them listed, delete both', async ({
    app,
    serverHost,
  }) => {
    test.setTimeout(150_000);
    await app.setViewportSize({ width: 1280, height: 960 });
    await setUpServer(app, serverHost, 'db-1');

    // Opening Databases reads every server: the first connection asks to trust the host key.
    await nav(app)
      .getByRole('button', { name: /Databases/ })
      .click();
    await expect(app.getByRole('heading', { level: 1, name: 'Databases' })).toBeVisible();
    const trust = app.getByRole('dialog', { name: 'Trust this server?' });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(serverHost.hostKeyFingerprint);
    await trust.getByRole('button', { name: 'Trust' }).click();
    await expect(trust).toHaveCount(0);
    await expect(app.getByTestId('databases-count')).toContainText('database');

    // Create: the engine menu offers what the server runs; names validate as you type with the contract's rules.
    await app.getByRole('button', { name: 'Create database' }).first().click();
    const create = app.getByRole('dialog', { name: 'Create database' });
    await create.getByLabel('Server').selectOption({ label: `db-1 (${serverHost.address})` });
    await expect(create.getByLabel('Engine')).toBeEnabled({ timeout: 60_000 });
    await create.getByLabel('Engine').selectOption('mariadb');
    await create.getByLabel('Database name').fill('Shop-1');
    await expect(create.getByText(/starts with a lower-case letter/)).toBeVisible();
    await create.getByLabel('Database name').fill(DB);
    await expect(create.getByText(/starts with a lower-case letter/)).toHaveCount(0);
    await create.getByLabel('User', { exact: true }).fill(USER);
    await create.getByRole('button', { name: 'Preview' }).click();

    const review = app.getByRole('dialog', { name: `Create ${DB}: review the plan` });
    await expect(review.getByTestId('plan-preview')).toContainText(DB);
    await review.getByRole('button', { name: 'Apply' }).click();
    await expect(review).toHaveCount(0);
    const created = operation(app, new RegExp(`database ${DB} for`));
    await expect(created.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 60_000 });
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);

    // Both tables list them once the operation's end reloads the lists.
    const row = app.locator(`[data-testid="database-row"][data-name="${DB}"]`);
    await expect(row).toContainText('db-1');
    await expect(row).toContainText('MariaDB');
    await expect(row).toContainText(USER);
    const userRow = app.locator(`[data-testid="database-user-row"][data-name="${USER}"]`);
    await expect(userRow).toContainText(DB);
    await expect(userRow).toContainText('In the vault');

    // The search narrows both tables.
    await app.getByLabel('Search databases').fill('no-such-thing');
    await expect(app.getByText('No database matches these filters.')).toBeVisible();
    await app.getByRole('button', { name: 'Clear filters' }).click();
    await expect(row).toBeVisible();

    // Delete the database: the button stays off until the name is typed.
    await row.getByRole('button', { name: `Delete database ${DB}` }).click();
    const del = app.getByRole('dialog', { name: `Delete database ${DB}?` });
    await expect(del.getByRole('button', { name: 'Preview deletion' })).toBeDisabled();
    await del.getByLabel('Type the database name').fill(DB);
    await del.getByRole('button', { name: 'Preview deletion' }).click();
    await expect(del.getByTestId('plan-preview')).toContainText(DB);
    await del.getByRole('button', { name: 'Delete database' }).click();
    await expect(del).toHaveCount(0);
    await expect(operation(app, new RegExp(`Delete .* database ${DB}`)).getByTestId('operation-state')).toHaveText(
      'Succeeded',
      { timeout: 60_000 },
    );
    await app.getByTestId('operations-toggle').click();
    await expect(row).toHaveCount(0);

    // Rotate the user's password: a typed one is validated as you type; a generated one goes into the vault.
    await userRow.getByRole('button', { name: new RegExp(`Change the password of ${USER}`) }).click();
    const rotate = app.getByRole('dialog', { name: new RegExp(`New password for ${USER}`) });
    await rotate.getByLabel('Generate a strong password').uncheck();
    await rotate.getByLabel('New password').fill('short');
    await expect(rotate.getByText('A database password has at least 12 characters.')).toBeVisible();
    await rotate.getByLabel('Generate a strong password').check();
    await rotate.getByRole('button', { name: 'Preview' }).click();
    await rotate.getByRole('button', { name: 'Change password' }).click();
    await expect(rotate).toHaveCount(0);
    await expect(
      operation(app, new RegExp(`Change the password of .* user ${USER}`)).getByTestId('operation-state'),
    ).toHaveText('Succeeded', { timeout: 60_000 });
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);

    // Delete the user the same way.
    await userRow.getByRole('button', { name: new RegExp(`Delete user ${USER}`) }).click();
    const delUser = app.getByRole('dialog', { name: new RegExp(`Delete user ${USER}`) });
    await delUser.getByLabel('Type the user name').fill(USER);
    await delUser.getByRole('button', { name: 'Preview deletion' }).click();
    await delUser.getByRole('button', { name: 'Delete user' }).click();
    await expect(delUser).toHaveCount(0);
    await expect(operation(app, new RegExp(`Delete .* user ${USER}`)).getByTestId('operation-state')).toHaveText(
      'Succeeded',
      { timeout: 60_000 },
    );
    await app.getByTestId('operations-toggle').click();
    await expect(userRow).toHaveCount(0);
  });
});

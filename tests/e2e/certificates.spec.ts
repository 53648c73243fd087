import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, operation, setUpServer, test } from './pebble-fixtures';
import { nav } from './terminal-helpers';

/*
 * A site with a certificate from the UI, against a whole real server (sshd + nginx, the `serverHost` worker
 * fixture, needs root) and a real private ACME CA (pebble): create a static site through its plan, then "HTTPS…" →
 * issue over ACME HTTP-01 through the plan preview, follow the operation in the drawer, and see the result in the
 * sites table (TLS), the certificate inventory (its expiry) and the expiry timeline — and nginx serving it, verified
 * against pebble's root. Every wait is on something the app shows or the server answers (DESIGN.md rule 9).
 */

const DOMAIN = 'shop-tls.test';
const LEGACY = 'legacy-e2e.test';
const UPLOADED = 'own-cert-e2e.test';
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A self-signed certificate for `domain` valid `days` days (openssl), as PEM texts. */
function makeCert(domain: string, days: number, dir: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', String(days)],
      ...['-subj', `/CN=${domain}`, '-addext', `subjectAltName=DNS:${domain}`],
      ...['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return {
    cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
  };
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test.describe('Certificates against a real nginx server and pebble', () => {
  test.beforeEach(({ app }) => {
    app.on('pageerror', (e) => console.error('page error:', e.message));
  });
  test.afterEach(({ core, pebble }, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) {
      console.error(core.logs.slice(-40).join('\n'));
      console.error(pebble.logs());
    }
  });

  test('create a site, issue its certificate from the plan preview, see it in the tables and the timeline', async ({
    app,
    serverHost,
    pebble,
  }, testInfo) => {
    test.setTimeout(180_000);
    await app.setViewportSize({ width: 1280, height: 960 });
    await setUpServer(app, serverHost);

    // An empty inventory says what to do.
    await nav(app)
      .getByRole('button', { name: /Certificates/ })
      .click();
    await expect(app.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
    await expect(app.getByRole('heading', { name: 'No certificates in the inventory' })).toBeVisible();

    // A static site, through its plan.
    await nav(app).getByRole('button', { name: /Sites/ }).click();
    const trust = app.getByRole('dialog', { name: 'Trust this server?' });
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(serverHost.hostKeyFingerprint);
    await trust.getByRole('button', { name: 'Trust' }).click();
    await expect(app.getByRole('heading', { name: 'No sites on your servers yet' })).toBeVisible();
    await app.getByRole('button', { name: 'Create site' }).first().click();
    const create = app.getByRole('dialog', { name: 'Create site' });
    await create.getByLabel('Server').selectOption({ label: `web-1 (${serverHost.address})` });
    await create.getByLabel('Domain').fill(DOMAIN);
    await create.getByRole('button', { name: 'Preview' }).click();
    const review = app.getByRole('dialog', { name: `Create ${DOMAIN}: review the plan` });
    await expect(review.getByTestId('plan-commands')).toContainText('$ nginx -t');
    await review.getByRole('button', { name: 'Apply' }).click();
    await expect(review).toHaveCount(0);
    const created = operation(app, new RegExp(`Create static site ${esc(DOMAIN)}`));
    await expect(created.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 60_000 });
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);

    // The site is on plain HTTP: its row offers HTTPS.
    const row = app.locator(`[data-testid="site-row"][data-domain="${DOMAIN}"]`);
    await expect(row).toContainText('HTTP');
    await row.getByRole('button', { name: `HTTPS for ${DOMAIN}` }).click();
    const issue = app.getByRole('dialog', { name: `Issue a certificate for ${DOMAIN}` });

    // The form checks as you type with the contract's schemas; nothing is sent while it is wrong.
    await issue.getByLabel('ACME directory').selectOption({ label: 'Another ACME directory (URL)…' });
    await issue.getByLabel('Directory URL').fill('http://insecure.example/directory');
    await expect(issue.getByText('An ACME directory is an https:// address')).toBeVisible();
    await issue.getByLabel('Directory URL').fill(pebble.directoryUrl);
    await expect(issue.getByText('An ACME directory is an https:// address')).toHaveCount(0);
    await issue.getByLabel('Email').fill('admin@');
    await expect(issue.getByText('Not an email address.')).toBeVisible();
    await issue.getByLabel('Email').fill('admin@example.org');
    await expect(issue.getByText('Not an email address.')).toHaveCount(0);
    await expect(issue.getByLabel(/Redirect HTTP to HTTPS/)).toBeChecked();
    await issue.getByRole('button', { name: 'Preview' }).click();

    // The plan: the vhost gains ssl_certificate, and the commands include nginx -t.
    const plan = app.getByRole('dialog', { name: `HTTPS for ${DOMAIN}: review the plan` });
    await expect(plan.getByTestId('plan-preview')).toContainText(`Issue a certificate for ${DOMAIN}`);
    await expect(plan.getByTestId('plan-diff').first()).toContainText(`ssl_certificate /etc/ssl/paneldeck/${DOMAIN}/`);
    await expect(plan.getByTestId('plan-commands')).toContainText(/'?nginx'? '?-t'?/);
    await expect(plan.getByTestId('plan-commands')).toContainText(`ACME order ${DOMAIN}`);
    await plan.getByTestId('plan-diff').first().scrollIntoViewIfNeeded();
    await app.screenshot({ path: path.join('docs', 'screenshots', 'certificates-plan-preview.png') });

    // Apply: the drawer follows the operation to the end.
    await plan.getByRole('button', { name: 'Issue and switch to HTTPS' }).click();
    await expect(plan).toHaveCount(0);
    const issued = operation(app, new RegExp(`Issue a certificate for ${esc(DOMAIN)}`));
    await expect(issued.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 90_000 });
    await expect(issued.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);

    // The sites table reloads when the operation ends: the site is on HTTPS, so no more HTTPS… action.
    await expect(row.getByText('HTTPS', { exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: `HTTPS for ${DOMAIN}` })).toHaveCount(0);

    // nginx serves the certificate, verified against pebble's root of this run.
    const served = await serverHost.fetch(DOMAIN, '/', { https: true, ca: pebble.rootPem });
    expect(served.status).toBe(200);
    expect(served.body).toContain('PanelDeck site');
    if (!served.certificate) throw new Error('no certificate served');
    expect(served.certificate.checkHost(DOMAIN)).toBe(DOMAIN);
    const notAfter = Date.parse(served.certificate.validTo);

    // The inventory lists it with that expiry; the timeline draws it.
    await nav(app)
      .getByRole('button', { name: /Certificates/ })
      .click();
    const cert = app.locator(`[data-testid="cert-row"][data-domain="${DOMAIN}"]`);
    await expect(cert).toContainText('web-1');
    await expect(cert.getByTestId('cert-expiry')).toHaveAttribute('title', new Date(notAfter).toISOString());
    await expect(cert.getByTestId('cert-expiry')).toContainText(new Date(notAfter).toISOString().slice(0, 10));
    await expect(cert.getByTestId('cert-state')).toHaveText('Valid');
    await expect(cert).toContainText('ACME, by PanelDeck');
    await expect(cert).toContainText(`/etc/ssl/paneldeck/${DOMAIN}/fullchain.pem`);
    const timeline = app.getByTestId('cert-timeline');
    await expect(timeline.locator('svg text').filter({ hasText: DOMAIN })).toBeVisible();
    await expect(timeline.locator('svg text').filter({ hasText: 'today' })).toBeVisible();
    await expect(timeline.locator('.recharts-bar-rectangle path')).toHaveCount(1);
    await expect(timeline.getByRole('listitem')).toHaveText(
      `${DOMAIN} on web-1: valid from ${new Date(Date.parse(served.certificate.validFrom)).toISOString().slice(0, 10)} to ${new Date(notAfter).toISOString().slice(0, 10)}`,
    );

    // Renew now: the plan first, then the operation; nginx serves the new certificate and the row follows it.
    await cert.getByRole('button', { name: `Renew the certificate of ${DOMAIN}` }).click();
    const renew = app.getByRole('dialog', { name: `Renew the certificate of ${DOMAIN}` });
    await expect(renew.getByTestId('plan-preview')).toContainText(`Renew a certificate for ${DOMAIN}`);
    await renew.getByRole('button', { name: 'Renew now' }).click();
    await expect(renew).toHaveCount(0);
    const renewed = operation(app, new RegExp(`Renew a certificate for ${esc(DOMAIN)}`));
    await expect(renewed.getByTestId('operation-state')).toHaveText('Succeeded', { timeout: 90_000 });
    await app.getByTestId('operations-toggle').click();
    await expect(app.getByTestId('operations-drawer')).toHaveCount(0);
    const after = await serverHost.fetch(DOMAIN, '/', { https: true, ca: pebble.rootPem });
    if (!after.certificate) throw new Error('no certificate served after the renewal');
    expect(after.certificate.fingerprint256).not.toBe(served.certificate.fingerprint256);
    await expect(cert.getByTestId('cert-expiry')).toHaveAttribute(
      'title',
      new Date(Date.parse(after.certificate.validTo)).toISOString(),
    );
    await expect(app.getByTestId('cert-row')).toHaveCount(1);

    // A site made by hand with a certificate that expires in 5 days: "Scan now" finds it, lists it first (soonest
    // expiry), coloured urgent, not renewed by PanelDeck; the issued one is still valid and not flagged.
    const legacyPem = makeCert(LEGACY, 5, testInfo.outputPath('legacy'));
    await serverHost.execOk(['mkdir', '-p', '/etc/ssl/legacy', '/srv/legacy']);
    await serverHost.execOk(['tee', '/etc/ssl/legacy/cert.pem'], {
      input: legacyPem.cert,
    });
    await serverHost.execOk(['tee', '/etc/ssl/legacy/key.pem'], {
      input: legacyPem.key,
    });
    await serverHost.execOk(['tee', '/etc/nginx/conf.d/legacy.conf'], {
      input: `server {\n  listen 443 ssl;\n  server_name ${LEGACY};\n  ssl_certificate /etc/ssl/legacy/cert.pem;\n  ssl_certificate_key /etc/ssl/legacy/key.pem;\n  root /srv/legacy;\n}\n`,
    });
    await serverHost.execOk(['systemctl', 'reload', 'nginx']);

    await app.getByRole('button', { name: 'Scan now' }).click();
    await expect(app.getByTestId('certs-count')).toContainText('2 certificates');
    await expect(app.getByRole('button', { name: 'Scan now' })).toBeEnabled();
    await expect(app.getByTestId('cert-row')).toHaveCount(2);
    const legacy = app.getByTestId('cert-row').first();
    await expect(legacy).toHaveAttribute('data-domain', LEGACY);
    await expect(legacy.getByTestId('cert-expiry')).toHaveClass(/cert-urgent/);
    await expect(legacy.getByTestId('cert-expiry')).toContainText('4 days left');
    await expect(legacy).toContainText('Manual');
    await expect(cert.getByTestId('cert-state')).toHaveText('Valid');
    await expect(timeline.locator('.recharts-bar-rectangle path')).toHaveCount(2);
    await expect(timeline.getByRole('listitem').first()).toContainText(`${LEGACY} on web-1`);
    await expect(app.getByTestId('certs-count')).toContainText('1 expiring within 21 days');
    await app.screenshot({ path: path.join('docs', 'screenshots', 'certificates-timeline.png') });

    // A certificate one already has: a second site gets it through "Upload a certificate" (PEM), same plan flow.
    await nav(app).getByRole('button', { name: /Sites/ }).click();
    await app.getByRole('button', { name: 'Create site' }).first().click();
    const second = app.getByRole('dialog', { name: 'Create site' });
    await second.getByLabel('Domain').fill(UPLOADED);
    await second.getByRole('button', { name: 'Preview' }).click();
    await app
      .getByRole('dialog', { name: `Create ${UPLOADED}: review the plan` })
      .getByRole('button', { name: 'Apply' })
      .click();
    await expect(
      operation(app, new RegExp(`Create static site ${esc(UPLOADED)}`)).getByTestId('operation-state'),
    ).toHaveText('Succeeded', { timeout: 60_000 });
    await app.getByTestId('operations-toggle').click();
    const own = makeCert(UPLOADED, 30, testInfo.outputPath('uploaded'));
    const upRow = app.locator(`[data-testid="site-row"][data-domain="${UPLOADED}"]`);
    await upRow.getByRole('button', { name: `HTTPS for ${UPLOADED}` }).click();
    await app
      .getByRole('dialog', { name: `Issue a certificate for ${UPLOADED}` })
      .getByRole('tab', { name: 'Upload a certificate' })
      .click();
    const upload = app.getByRole('dialog', { name: `Upload a certificate for ${UPLOADED}` });
    await upload.getByRole('button', { name: 'Preview' }).click();
    await expect(upload.getByText('Paste the certificate in PEM')).toBeVisible();
    await upload.getByLabel('Certificate', { exact: true }).fill(own.cert);
    await upload.getByLabel('Private key').fill(own.key);
    await expect(upload.getByText('Paste the certificate in PEM')).toHaveCount(0);
    await upload.getByRole('button', { name: 'Preview' }).click();
    const upPlan = app.getByRole('dialog', { name: `HTTPS for ${UPLOADED}: review the plan` });
    await expect(upPlan.getByTestId('plan-diff').first()).toContainText('ssl_certificate ');
    await upPlan.getByRole('button', { name: 'Install and switch to HTTPS' }).click();
    await expect(upPlan).toHaveCount(0);
    await expect(
      operation(app, new RegExp(`certificate for ${esc(UPLOADED)}`)).getByTestId('operation-state'),
    ).toHaveText('Succeeded', { timeout: 60_000 });
    await expect(upRow.getByText('HTTPS', { exact: true })).toBeVisible();
    const up = await serverHost.fetch(UPLOADED, '/', { https: true, ca: own.cert });
    expect(up.certificate?.fingerprint256).toBe(new X509Certificate(own.cert).fingerprint256);

    // A server that cannot be scanned is a row saying why, not a silent gap in the inventory.
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
    await nav(app)
      .getByRole('button', { name: /Certificates/ })
      .click();
    await app.getByRole('button', { name: 'Scan now' }).click();
    await expect(app.getByTestId('cert-problem')).toContainText('offline-1');
    await expect(app.getByTestId('certs-count')).toContainText('1 server could not be scanned');
    await expect(app.getByTestId('cert-row')).toHaveCount(3);
  });
});

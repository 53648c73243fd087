import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudPanelCliDriver } from '../../src/main/drivers/cloudpanel-cli/cloudpanel-cli.driver';
import { HestiaDriver } from '../../src/main/drivers/hestia/hestia.driver';
import { RemoteHost } from '../../src/main/drivers/remote-host';
import type { DbCreateSpec } from '../../src/main/drivers/capabilities';
import type { ConnectionManager } from '../../src/main/ssh/connection-manager';
import type { SiteCreate } from '../../src/shared/contract/sites.contract';
import { AppError } from '../../src/shared/errors';
import { DbName, Domain } from '../../src/shared/remote-names';
import { hostileNames } from '../support/hostile-names';
import { HESTIA_USER, STANDIN_LOG, installPanelStandins } from './panels/install-standins';
import { runPlan } from './panels/run-plan';
import { makeManager } from './peers/ssh-fixtures';
import { startServerHost, type ServerHost } from './peers/server-host';

/** A file no command may ever create: every hostile name below tries to. */
const CANARY = '/tmp/pd-panel-canary';

let server: ServerHost;
let manager: ConnectionManager;
/** Every argv a driver sent to the server, in order (the drivers run on a recording RemoteHost). */
const sent: string[][] = [];
let host: RemoteHost;

beforeAll(async () => {
  server = await startServerHost();
  await installPanelStandins(server, 'cloudpanel');
  await installPanelStandins(server, 'hestia');
  const m = makeManager({ idleGraceMs: 60_000 });
  manager = m.manager;
  m.credentials.secrets.set('panel-host', { privateKey: server.rootKey });
  const target = {
    id: 'panel-host',
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key' as const,
    jump: [],
  };
  host = new RemoteHost(manager, target).recording((argv) => sent.push([...argv]));
}, 180_000);

afterAll(async () => {
  await manager?.closeAll();
  await server?.stop();
});

function site(domain: string): SiteCreate {
  return { serverId: 'panel-host', domain, aliases: [], kind: 'static', dryRun: false };
}

function dbSpec(name: string, user: string, password: string): DbCreateSpec {
  return {
    engine: 'mariadb',
    name,
    user,
    host: 'localhost',
    charset: 'utf8mb4',
    collation: 'utf8mb4_unicode_ci',
    password: () => Promise.resolve(password),
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

async function mariadbHas(name: string): Promise<boolean> {
  const out = await server.execOk(['mariadb', '--batch', '--skip-column-names', '--execute', 'SHOW DATABASES']);
  return out.split('\n').includes(name);
}

async function mariadbUser(user: string): Promise<boolean> {
  const out = await server.execOk([
    'mariadb',
    '--batch',
    '--skip-column-names',
    '--execute',
    "SELECT CONCAT(User, '@', Host) FROM mysql.user",
  ]);
  return out.split('\n').includes(`${user}@localhost`);
}

/**
 * Hostile names go to every planning entry point; each must be refused (VALIDATION) before the driver sends
 * anything. Then a marker call runs through the stand-in log, and the log must hold nothing between.
 */
async function refusesHostileNames(
  driver: CloudPanelCliDriver | HestiaDriver,
  marker: string[],
  markerLine: string,
): Promise<void> {
  const before = sent.length;
  // Only the strings the contract refuses as such names (the list also holds a few plain ones, like "a").
  const names = hostileNames(CANARY);
  const domains = names.filter((n) => !Domain.safeParse(n).success);
  const dbNames = names.filter((n) => !DbName.safeParse(n).success);
  expect(domains.length).toBeGreaterThan(100);
  expect(dbNames.length).toBeGreaterThan(100);
  for (const bad of domains) {
    expect((await rejection(driver.sites.planCreate(site(bad)))).code).toBe('VALIDATION');
    expect((await rejection(driver.sites.planDelete(bad, true))).code).toBe('VALIDATION');
  }
  for (const bad of dbNames) {
    expect((await rejection(driver.databases.planCreate(dbSpec(bad, 'okuser', 'pw-123456789abc'), null))).code).toBe(
      'VALIDATION',
    );
    expect((await rejection(driver.databases.planCreate(dbSpec('okdb', bad, 'pw-123456789abc'), null))).code).toBe(
      'VALIDATION',
    );
  }
  expect(sent.length).toBe(before);
  const logBefore = await server.execOk(['cat', STANDIN_LOG]);
  await server.exec(marker);
  const logAfter = await server.execOk(['cat', STANDIN_LOG]);
  expect(logAfter.slice(logBefore.length).trim()).toBe(markerLine);
  expect((await server.exec(['test', '-e', CANARY])).code).toBe(1);
}

describe('cloudpanel-cli driver against the clpctl stand-in (whole-server peer, real nginx and MariaDB)', () => {
  let driver: CloudPanelCliDriver;
  beforeAll(() => {
    driver = new CloudPanelCliDriver(host, { now: () => Date.now() });
  });

  it('refuses hostile names before anything reaches the server (stand-in)', async () => {
    await refusesHostileNames(
      driver,
      ['clpctl', 'site:delete', '--domainName=marker.example.net', '--force'],
      'clpctl site:delete --domainName=marker.example.net --force',
    );
  });

  it('creates a site through clpctl that answers through nginx, and lists it (stand-in)', async () => {
    const plan = await driver.sites.planCreate(site('clp-one.example.com'));
    const run = await runPlan(plan);
    const page = await server.fetch('clp-one.example.com', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('CloudPanel stand-in site clp-one.example.com');
    const listed = (await driver.sites.list()).find((s) => s.domain === 'clp-one.example.com');
    expect(listed).toMatchObject({ kind: 'static', source: 'cloudpanel-cli', systemUser: 'clp-one-example-com' });
    // The generated site-user password never shows in a recorded command.
    expect(run.commands.join('\n')).toContain('"--siteUserPassword=$p"');
    expect(run.commands.join('\n')).not.toMatch(/--siteUserPassword=[A-Za-z0-9_-]{20,}/);
  });

  it('creates a database under the site through clpctl db:add, in the real MariaDB and in the list (stand-in)', async () => {
    const password = 'Clp-db-pass-0123456789';
    const plan = await driver.databases.planCreate(dbSpec('clp_shop', 'clp_shop_user', password), null);
    const sampler = await server.startProcSampler();
    const run = await runPlan(plan);
    await sampler.sync();
    const seen = (await sampler.stop()).strings.filter((t) => t.includes(password));
    // PanelDeck's own command (sh -c 'IFS= read -r p; exec clpctl …') never carries the password; clpctl's own
    // argv does (a documented limitation of clpctl, which has no other way to take it).
    expect(seen.filter((t) => t.startsWith('sh -c') || t.includes('IFS= read'))).toEqual([]);
    expect(await mariadbHas('clp_shop')).toBe(true);
    expect(await mariadbUser('clp_shop_user')).toBe(true);
    expect(run.commands.join('\n')).not.toContain(password);
    const { databases, users } = await driver.databases.list('mariadb', null);
    expect(databases.find((d) => d.name === 'clp_shop')?.users).toEqual(['clp_shop_user@localhost']);
    expect(users.map((u) => u.name)).toContain('clp_shop_user');
    // clpctl has no db:delete: the plan says so instead of going around CloudPanel.
    expect((await rejection(driver.databases.planDelete('mariadb', 'clp_shop', null))).code).toBe('UNSUPPORTED');
  });

  it('answers CONFLICT for a duplicate, at plan time and when clpctl says "already exists" with exit 0 (stand-in)', async () => {
    expect((await rejection(driver.sites.planCreate(site('clp-one.example.com')))).code).toBe('CONFLICT');
    // A race: two plans for the same new domain; the second reaches clpctl, which prints a validation line, exit 0.
    const first = await driver.sites.planCreate(site('clp-race.example.com'));
    const second = await driver.sites.planCreate({ ...site('clp-race.example.com'), systemUser: 'clp-race-two' });
    await runPlan(first);
    const err = await rejection(runPlan(second));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('domainName: This value already exists.');
    expect((await server.fetch('clp-race.example.com', '/')).status).toBe(200);
    expect(
      (
        await rejection(
          driver.databases.planCreate(dbSpec('clp_shop', 'clp_other', 'pw-123456789abc'), null, {
            domain: 'clp-one.example.com',
          }),
        )
      ).code,
    ).toBe('CONFLICT');
  });

  it('deletes sites through clpctl site:delete, with their databases (stand-in)', async () => {
    const keep = await driver.sites.planDelete('clp-race.example.com', false);
    await runPlan(keep);
    expect(
      await server.execOk(['cat', '/var/backups/paneldeck/op-test/clp-race.example.com-files/index.html']),
    ).toContain('clp-race.example.com');
    await runPlan(await driver.sites.planDelete('clp-one.example.com', true));
    const domains = (await driver.sites.list()).map((s) => s.domain);
    expect(domains).not.toContain('clp-one.example.com');
    expect(domains).not.toContain('clp-race.example.com');
    expect((await server.exec(['test', '-e', '/etc/nginx/sites-enabled/clp-one.example.com.conf'])).code).toBe(1);
    expect(await mariadbHas('clp_shop')).toBe(false);
    expect((await rejection(driver.sites.planDelete('clp-one.example.com', true))).code).toBe('NOT_FOUND');
  });
});

describe('hestia driver against the HestiaCP v-* stand-ins (whole-server peer, real nginx and MariaDB)', () => {
  let driver: HestiaDriver;
  beforeAll(() => {
    driver = new HestiaDriver(host, { now: () => Date.now() });
  });

  it('refuses hostile names before anything reaches the server (stand-in)', async () => {
    await refusesHostileNames(driver, ['/usr/local/hestia/bin/v-list-users', 'json'], 'v-list-users json');
  });

  it('creates a web domain through v-add-web-domain that answers through nginx, and lists it (stand-in)', async () => {
    await runPlan(await driver.sites.planCreate(site('hst-one.example.com')));
    const page = await server.fetch('hst-one.example.com', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Hestia stand-in site hst-one.example.com');
    expect((await server.fetch('www.hst-one.example.com', '/')).body).toContain('Hestia stand-in site');
    const listed = (await driver.sites.list()).find((s) => s.domain === 'hst-one.example.com');
    expect(listed).toMatchObject({
      source: 'hestia',
      systemUser: HESTIA_USER,
      aliases: ['www.hst-one.example.com'],
      root: `/home/${HESTIA_USER}/web/hst-one.example.com/public_html`,
    });
  });

  it('creates a database with the account prefix, in the real MariaDB and in the list, and deletes it (stand-in)', async () => {
    const password = 'Hst-db-pass-0123456789';
    const plan = await driver.databases.planCreate(dbSpec('shop', 'shopper', password), null);
    expect(plan.title).toContain(`${HESTIA_USER}_shop`);
    const run = await runPlan(plan);
    expect(await mariadbHas(`${HESTIA_USER}_shop`)).toBe(true);
    expect(await mariadbUser(`${HESTIA_USER}_shopper`)).toBe(true);
    expect(run.commands.join('\n')).not.toContain(password);
    const { databases } = await driver.databases.list('mariadb', null);
    expect(databases.find((d) => d.name === `${HESTIA_USER}_shop`)).toMatchObject({
      charset: 'utf8mb4',
      users: [`${HESTIA_USER}_shopper@localhost`],
    });
    // The same name again: CONFLICT at plan time, and Hestia's exit 4 when it reaches v-add-database.
    expect((await rejection(driver.databases.planCreate(dbSpec('shop', 'other', password), null))).code).toBe(
      'CONFLICT',
    );
    const raced = await driver.databases.planCreate(dbSpec('shop', 'other', password), null, { resume: true });
    const err = await rejection(runPlan(raced));
    expect(err.code).toBe('CONFLICT');
    expect(err.details).toMatchObject({ exitCode: 4, hestia: 'E_EXISTS' });

    await runPlan(await driver.databases.planDelete('mariadb', `${HESTIA_USER}_shop`, null));
    expect(await mariadbHas(`${HESTIA_USER}_shop`)).toBe(false);
    expect(await mariadbUser(`${HESTIA_USER}_shopper`)).toBe(false);
    expect((await driver.databases.list('mariadb', null)).databases).toEqual([]);
  });

  it('answers CONFLICT for a duplicate web domain, at plan time and from exit 4 (stand-in)', async () => {
    expect((await rejection(driver.sites.planCreate(site('hst-one.example.com')))).code).toBe('CONFLICT');
    const raced = await driver.sites.planCreate(site('hst-race.example.com'));
    await runPlan(await driver.sites.planCreate(site('hst-race.example.com')));
    const err = await rejection(runPlan(raced));
    expect(err.code).toBe('CONFLICT');
    expect(err.details).toMatchObject({ exitCode: 4 });
    expect((await server.fetch('hst-race.example.com', '/')).status).toBe(200);
  });

  it('suspends and unsuspends a web domain through v-suspend-web-domain / v-unsuspend-web-domain (stand-in)', async () => {
    await runPlan(await driver.sites.planSetEnabled('hst-race.example.com', false));
    expect((await server.fetch('hst-race.example.com', '/')).status).toBe(403);
    expect((await driver.sites.list()).find((s) => s.domain === 'hst-race.example.com')?.enabled).toBe(false);
    expect((await rejection(driver.sites.planSetEnabled('hst-race.example.com', false))).code).toBe('CONFLICT');
    await runPlan(await driver.sites.planSetEnabled('hst-race.example.com', true));
    expect((await server.fetch('hst-race.example.com', '/')).body).toContain(
      'Hestia stand-in site hst-race.example.com',
    );
    expect((await driver.sites.list()).find((s) => s.domain === 'hst-race.example.com')?.enabled).toBe(true);
  });

  it('deletes web domains through v-delete-web-domain (stand-in)', async () => {
    await runPlan(await driver.sites.planDelete('hst-race.example.com', true));
    await runPlan(await driver.sites.planDelete('hst-one.example.com', true));
    expect(await driver.sites.list()).toEqual([]);
    expect((await server.exec(['test', '-e', '/etc/nginx/conf.d/domains/hst-one.example.com.conf'])).code).toBe(1);
    expect((await server.fetch('hst-one.example.com', '/')).body).not.toContain('Hestia stand-in site');
    expect((await rejection(driver.sites.planDelete('hst-one.example.com', true))).code).toBe('NOT_FOUND');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, leaksFound, testSecret, type CoreHarness } from '../support/core-harness';
import { settled } from './peers/manager-fixtures';
import { startCloudPanelServer, type CloudPanelServer } from './panels/cloudpanel-api-server';
import { selfSignedCert, type SelfSignedCert } from './panels/tls-cert';

/*
 * Panel accounts through the whole core, as the UI drives them (issue 10): a CloudPanel API panel on a loopback
 * HTTPS server with a self-signed certificate. Added with a new credential, trusted on first contact, tested,
 * and its sites in the fleet table beside servers' and created through the same plans and journal.
 */

const FAST = { retry: { baseDelayMs: 5, maxDelayMs: 40 }, poll: { intervalMs: 20, maxIntervalMs: 50 } };

describe('panel accounts in the core (CloudPanel API loopback server over self-signed HTTPS)', () => {
  let h: CoreHarness;
  let server: CloudPanelServer;
  let cert: SelfSignedCert;
  const apiKey = 'cp_admin_test_key';

  beforeEach(async () => {
    cert = selfSignedCert();
    server = await startCloudPanelServer({ tls: cert });
    h = await coreHarness({ panels: FAST });
  });
  afterEach(async () => {
    await h.close();
    await server.close();
  });

  async function addPanel(): Promise<string> {
    const panel = await h.call('panels.add', {
      name: 'Shop panel',
      kind: 'cloudpanel-api',
      baseUrl: server.url,
      credential: { username: null, secret: apiKey },
    });
    return panel.id;
  }

  it('first contact asks to trust the certificate; once trusted the test answers; a changed certificate is refused', async () => {
    const id = await addPanel();
    const unknown = await h.fail('panels.test', { id });
    expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
    const hostPort = `127.0.0.1:${server.port}`;
    expect(unknown.details).toMatchObject({ kind: 'tls', hostPort, fingerprint: cert.fingerprint });
    // Nothing was sent before the certificate was trusted.
    expect(server.log).toHaveLength(0);

    // A fingerprint for another address is refused, nothing stored.
    const wrong = await h.fail('panels.trust', { id, hostPort: '127.0.0.2:1', fingerprint: cert.fingerprint });
    expect(wrong.code).toBe('VALIDATION');
    expect((await h.call('panels.list', {}))[0]?.tlsPins).toEqual({});

    await h.call('panels.trust', { id, hostPort, fingerprint: cert.fingerprint });
    const who = await h.call('panels.test', { id });
    expect(who.role).toBe('admin');
    expect(who.supports).toContain('sites');
    expect(who.resources.map((r) => r.id)).toContain('sites');

    // The panel replaced its certificate: refused with both fingerprints, nothing sent with the new one.
    server.setCert(selfSignedCert());
    await h.call('panels.update', { id, patch: { name: 'Shop panel (renamed)' } }); // a fresh connection
    const before = server.log.length;
    const changed = await h.fail('panels.test', { id });
    expect(changed.code).toBe('HOST_KEY_CHANGED');
    expect(changed.details?.['expected']).toBe(cert.fingerprint);
    expect(server.log).toHaveLength(before);
  });

  it("a panel's sites sit in the fleet table and are created through the same plans and journal", async () => {
    const id = await addPanel();
    await h.call('panels.trust', { id, hostPort: `127.0.0.1:${server.port}`, fingerprint: cert.fingerprint });
    const preview = await h.call('sites.create', {
      serverId: id,
      kind: 'static',
      domain: 'panel-shop.example.com',
      dryRun: true,
    });
    expect(preview.operationId).toBeNull();
    expect(preview.plan.commands.join('\n')).toContain('POST /api/v1/sites');
    const { operationId } = await h.call('plans.apply', { planId: preview.plan.planId });
    const op = await settled(h, operationId);
    expect(op.state).toBe('succeeded');
    expect(op.serverId).toBe(id);

    const fleet = await h.call('sites.list', {});
    const row = fleet.sites.find((s) => s.domain === 'panel-shop.example.com');
    expect(row).toMatchObject({ serverId: id, source: 'cloudpanel-api', kind: 'static' });
    expect(fleet.problems).toEqual([]);

    // Its databases and certificates join the fleet lists the same way.
    server.seedDatabases(2);
    const dbs = await h.call('databases.list', {});
    expect(dbs.problems).toEqual([]);
    expect(dbs.databases.filter((d) => d.serverId === id)).toHaveLength(2);
    server.seedCertificates(1);
    const scanned = await h.call('certificates.scan', {});
    expect(scanned.problems).toEqual([]);
    const certs = await h.call('certificates.list', {});
    expect(certs.certificates.filter((c) => c.serverId === id).length).toBeGreaterThanOrEqual(1);
  });

  it('the credential it signs in with cannot be deleted while the panel uses it; bad input changes nothing', async () => {
    const id = await addPanel();
    const [cred] = await h.call('credentials.list', {});
    expect(cred?.usedBy).toEqual([id]);
    const inUse = await h.fail('credentials.delete', { id: cred?.id, force: true });
    expect(inUse.code).toBe('IN_USE');
    expect(inUse.message).toContain('Shop panel');

    // An SSH kind is bound to a server, not added as a panel; both credential forms at once are refused.
    const ssh = await h.fail('panels.add', {
      name: 'x',
      kind: 'hestia',
      baseUrl: server.url,
      credential: { username: null, secret: 'k' },
    });
    expect(ssh.code).toBe('VALIDATION');
    const both = await h.fail('panels.add', {
      name: 'y',
      kind: 'cloudpanel-api',
      baseUrl: server.url,
      credentialId: cred?.id,
      credential: { username: null, secret: 'k' },
    });
    expect(both.code).toBe('VALIDATION');
    expect((await h.call('panels.list', {})).map((p) => p.id)).toEqual([id]);
    expect(await h.call('credentials.list', {})).toHaveLength(1);

    await h.call('panels.remove', { id });
    expect(await h.call('panels.list', {})).toEqual([]);
    expect((await h.call('credentials.list', {}))[0]?.usedBy).toEqual([]);
  });

  it('nothing identifying or secret about the panel is readable in the files on disk', async () => {
    const secret = testSecret('cp-key');
    await h.call('panels.add', {
      name: 'Canary panel name',
      kind: 'cloudpanel-api',
      baseUrl: server.url,
      credential: { username: null, secret: `cp_${secret.replace(/[^A-Za-z0-9]/g, '')}` },
    });
    const files = fs
      .readdirSync(h.dataDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    for (const file of files) {
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes).not.toContain('Canary panel name');
      expect(bytes).not.toContain(`127.0.0.1:${server.port}`);
      expect(bytes).not.toContain(secret.replace(/[^A-Za-z0-9]/g, ''));
    }
    expect(leaksFound()).toEqual([]);
  });
});

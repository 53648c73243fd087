import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PW, SITE, allRows, failure, usePanelWorld } from './panels/cloudpanel-api-fixture';
import { siteCert } from './panels/cloudpanel-api-certs';

describe.each([
  ['documented API', false],
  ['public-code deviations', true],
] as const)(
  'CloudPanel API certificates and databases capabilities against the loopback server (%s)',
  (_mode, deviations) => {
    const w = usePanelWorld(deviations);

    it("certificates: Let's Encrypt, a custom upload (its private key never shown back), renew as a row action, delete", async () => {
      w.server.seedSites(1);
      const le = await w.applyAndWait(
        await w.driver.resources.planCreate('certificates', { site: SITE, type: 'letsencrypt' }),
      );
      expect(le.state).toBe('succeeded');
      expect(w.streamed(le.id)).toEqual(expect.arrayContaining([expect.stringMatching(/operation \d+: completed/)]));

      const mine = siteCert(SITE);
      const keyLine = mine.key.split('\n')[3] ?? '';
      expect(keyLine.length).toBeGreaterThan(40);
      const uploadPlan = await w.driver.resources.planCreate('certificates', {
        site: SITE,
        type: 'custom',
        certificate: mine.cert,
        privateKey: mine.key,
      });
      expect(JSON.stringify({ c: uploadPlan.commands, p: uploadPlan.params, t: uploadPlan.title })).not.toContain(
        keyLine,
      );
      const uploaded = await w.applyAndWait(uploadPlan);
      expect(uploaded.state).toBe('succeeded');
      const sent = w.server.log.filter((r) => r.method === 'POST' && r.path === '/api/v1/certificates');
      expect(sent.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['letsencrypt', 'custom']);

      const rows = await allRows(w.driver, 'certificates');
      expect(rows.map((r) => r.cells['type'])).toEqual(['letsencrypt', 'custom']);
      const [leRow, customRow] = rows;
      const scan = await w.driver.certificates.scan();
      expect(scan.certificates.map((c) => [c.source, c.domains, c.info.fingerprint === mine.fingerprint])).toEqual([
        ['letsencrypt', [SITE], false],
        ['nginx', [SITE], true],
      ]);

      const renewed = await w.applyAndWait(
        await w.driver.resources.planAction?.('certificates', leRow?.id ?? '', 'renew'),
      );
      expect(renewed.state).toBe('succeeded');
      const after = (await allRows(w.driver, 'certificates')).find((r) => r.id === leRow?.id);
      expect(after?.cells['expiresAt']).not.toBe(leRow?.cells['expiresAt']);

      const dropped = await w.applyAndWait(await w.driver.resources.planDelete('certificates', customRow?.id ?? ''));
      expect(dropped.state).toBe('succeeded');
      expect(w.server.effects).toEqual([
        `certificate.install ${SITE} letsencrypt`,
        `certificate.install ${SITE} custom`,
        `certificate.renew ${leRow?.id}`,
        `certificate.delete ${customRow?.id}`,
      ]);
      // The key reached the panel once, and nothing of ours shows it: rows, journal, app log, data files.
      expect(w.server.log.filter((r) => r.body.includes(keyLine))).toHaveLength(1);
      expect(JSON.stringify([rows, scan])).not.toContain(keyLine);
      const journal = JSON.stringify(w.h.mod.service.list({ limit: 50 }).items.map((op) => w.h.mod.service.get(op.id)));
      expect(uploaded.plannedCommands.join('\n')).toContain('"privateKey":"••••"');
      expect(journal).not.toContain(keyLine);
      expect(w.h.logs.join('\n')).not.toContain(keyLine);
      for (const f of fs.readdirSync(w.h.dir, { recursive: true }) as string[]) {
        const p = path.join(w.h.dir, f);
        if (fs.statSync(p).isFile()) expect(fs.readFileSync(p).includes(keyLine), f).toBe(false);
      }
    });

    it('a bad upload is refused before sending: wrong key, expired, another domain', async () => {
      w.server.seedSites(1);
      const mine = siteCert(SITE);
      const other = siteCert('other.example.com');
      const cases: [Record<string, unknown>, string][] = [
        [{ certificate: mine.cert, privateKey: other.key }, 'privateKey'],
        [{ certificate: other.cert, privateKey: other.key }, 'certificate'],
        [{ certificate: 'not a pem', privateKey: mine.key }, 'certificate'],
        [{ certificate: mine.cert, privateKey: 'nope' }, 'privateKey'],
      ];
      const before = w.server.log.length;
      for (const [v, field] of cases) {
        const e = await failure(w.driver.resources.planCreate('certificates', { site: SITE, type: 'custom', ...v }));
        expect(e.code).toBe('VALIDATION');
        expect(e.details?.['field']).toBe(field);
        expect(e.message).not.toContain('PRIVATE KEY');
      }
      await w.driver.resources.list('certificates', { page: 1, pageSize: 10, search: null }); // a later marker
      expect(w.server.log.slice(before).map((r) => r.method)).toEqual(['GET']);
    });

    it('the databases and certificates capabilities: fleet plans on the panel (password source, issue, upload, renew)', async () => {
      w.server.seedSites(1);
      const create = await w.driver.databases.planCreate(
        {
          engine: 'mariadb',
          name: 'fleet_db',
          charset: null,
          collation: null,
          user: 'fleet_user',
          host: 'localhost',
          password: (ctx) => {
            ctx.log('password resolved');
            return Promise.resolve(PW);
          },
        },
        null,
      );
      expect(create.kind).toBe('database.create'); // the fleet's kind, rebuilt by the databases service
      const made = await w.applyAndWait(create);
      expect(made.state).toBe('succeeded');
      expect(JSON.stringify(w.h.mod.service.get(made.id))).not.toContain(PW);
      expect((await w.driver.databases.list('mariadb', null)).users.map((u) => u.name)).toEqual(['fleet_user']);
      expect(
        (await w.applyAndWait(await w.driver.databases.planDeleteUser('mariadb', 'fleet_user', 'localhost', null)))
          .state,
      ).toBe('succeeded');
      expect((await w.applyAndWait(await w.driver.databases.planDelete('mariadb', 'fleet_db', null))).state).toBe(
        'succeeded',
      );
      expect(
        (
          await failure(
            w.driver.databases.planChangePassword('mariadb', 'x', 'localhost', () => Promise.resolve(PW), null),
          )
        ).code,
      ).toBe('UNSUPPORTED');

      const unused = () => Promise.reject(new Error('the panel issues its own certificates'));
      const issue = await w.driver.certificates.planInstall({
        mode: 'issue',
        domain: SITE,
        obtain: unused,
        renewal: null,
      });
      expect(issue.kind).toBe('certificate.issue');
      expect((await w.applyAndWait(issue)).state).toBe('succeeded');
      const renew = await w.driver.certificates.planInstall({
        mode: 'renew',
        domain: SITE,
        obtain: unused,
        renewal: null,
      });
      expect((await w.applyAndWait(renew)).state).toBe('succeeded');
      const mine = siteCert(SITE);
      const upload = await w.driver.certificates.planInstall({
        mode: 'upload',
        domain: SITE,
        obtain: () => Promise.resolve({ fullchain: mine.cert, key: mine.key }),
        renewal: null,
      });
      const up = await w.applyAndWait(upload);
      expect(up.state).toBe('succeeded');
      expect(JSON.stringify(w.h.mod.service.get(up.id))).not.toContain(mine.key.split('\n')[3] ?? '');
      expect(w.server.effects).toEqual([
        'database.create fleet_db',
        'database.user.delete fleet_db fleet_user',
        'database.delete fleet_db',
        `certificate.install ${SITE} letsencrypt`,
        'certificate.renew 1',
        `certificate.install ${SITE} custom`,
      ]);
      const scan = await w.driver.certificates.scan();
      expect(scan.problems).toEqual([]);
      expect(scan.certificates.map((c) => c.path)).toEqual([
        'cloudpanel-api:certificate/1',
        'cloudpanel-api:certificate/2',
      ]);
      expect(scan.certificates[1]?.info.fingerprint).toBe(mine.fingerprint);
    });
  },
);

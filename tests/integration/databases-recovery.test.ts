import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbHost } from '../../src/shared/contract/databases.contract';
import { DbName } from '../../src/shared/remote-names';
import { hostileNames } from '../support/hostile-names';
import {
  CANARY,
  appliedWatched,
  expectNoSecret,
  expectSawLoginCheck,
  managerCore,
  reopen,
  runAs,
  settled,
  trustHostKeys,
} from './peers/db-fixtures';
import { startServerHost, type ServerHost } from './peers/server-host';

let server: ServerHost;

beforeAll(async () => {
  server = await startServerHost();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('a create whose login check fails (PostgreSQL; pg_hba.conf rejects the new user)', () => {
  it('is rolled back; after a restart, retry rebuilds the plan with the password from the vault and completes', async () => {
    const { h, serverId } = await managerCore(server);
    const hba = '/etc/postgresql/15/main/pg_hba.conf';
    const original = await server.execOk(['cat', hba]);
    const pgAdmin = (sql: string) =>
      server.execOk(['runuser', '-u', 'postgres', '--', 'psql', '-X', '-q', '-A', '-t', '-d', 'postgres'], {
        input: sql,
      });
    /** Rewrites pg_hba.conf, reloads, and waits until a login as rb_user shows the new rules are in force. */
    const hbaRules = async (text: string, inForce: (stderr: string) => boolean): Promise<void> => {
      await server.execOk(['sh', '-c', `cat > ${hba}`], { input: text });
      await pgAdmin('SELECT pg_reload_conf();\n');
      let stderr = '';
      for (let i = 0; i < 200 && !inForce(stderr); i++) {
        stderr = (await runAs(server, 'postgresql', 'rb_user', 'whatever-password-1', 'postgres', 'SELECT 1;\n'))
          .stderr;
      }
      expect(inForce(stderr), stderr).toBe(true);
    };
    let core2: Awaited<ReturnType<typeof reopen>> | undefined;
    try {
      await hbaRules(`host all rb_user 127.0.0.1/32 reject\nhost all rb_user ::1/128 reject\n${original}`, (e) =>
        /pg_hba\.conf rejects/.test(e),
      );
      const planned = await h.call('databases.create', {
        serverId,
        engine: 'postgresql',
        name: 'rb_db',
        user: 'rb_user',
        dryRun: true,
      });
      const { operationId } = await h.call('plans.apply', { planId: planned.plan.planId });
      const op = await settled(h, operationId);
      expect(op.state).toBe('rolled_back');
      expect(op.error).toMatch(/Connecting as rb_user failed/);
      expect(Object.fromEntries(op.steps.map((s) => [s.id, s.state]))).toEqual({
        vault: 'rolled_back',
        database: 'rolled_back',
        user: 'rolled_back',
        grant: 'rolled_back',
        verify: 'failed',
      });
      const counts =
        "SELECT count(*) FROM pg_database WHERE datname = 'rb_db';\nSELECT count(*) FROM pg_roles WHERE rolname = 'rb_user';\n";
      expect((await pgAdmin(counts)).trim().split('\n')).toEqual(['0', '0']);
      expect((await h.call('credentials.list', { kind: 'password' })).filter((c) => c.username === 'rb_user')).toEqual(
        [],
      );

      // Restart: a new core on the same data dir has only the sealed params (no password) to rebuild the plan from.
      await h.core.close();
      await hbaRules(original, (e) => /password authentication failed/.test(e));
      core2 = await reopen(h.dataDir);
      await core2.call('operations.retry', { id: operationId });
      const retried = await core2.settled(operationId);
      expect(retried.state, retried.error ?? '').toBe('succeeded');
      expect(retried.steps.find((s) => s.id === 'vault')?.log.join('\n')).toMatch(/generated for this run/);
      const u = (await core2.call('databases.list', { serverId, engine: 'postgresql' })).users.find(
        (x) => x.name === 'rb_user',
      );
      const pw = (await core2.call('credentials.reveal', { id: u?.credentialId ?? '', purpose: 'reveal' })).secret;
      const r = await runAs(server, 'postgresql', 'rb_user', pw, 'rb_db', 'SELECT current_database();\n');
      expect(r.stdout.trim()).toBe('rb_db');
    } finally {
      await server.execOk(['sh', '-c', `cat > ${hba}`], { input: original });
      await pgAdmin(
        'DROP DATABASE IF EXISTS rb_db WITH (FORCE);\nDROP ROLE IF EXISTS rb_user;\nSELECT pg_reload_conf();\n',
      );
      await core2?.close();
      await h.close();
    }
  });
});

describe('an admin credential from the vault instead of socket auth (MariaDB)', () => {
  it('lists and creates through a 0600 defaults file holding the admin password; no password in /proc', async () => {
    const { h, serverId } = await managerCore(server);
    try {
      const adminPw = 'Adm1n-pass:#word%x';
      await server.execOk(['mariadb'], {
        input: `CREATE USER 'pdadmin'@'localhost' IDENTIFIED BY '${adminPw}';\nGRANT ALL PRIVILEGES ON *.* TO 'pdadmin'@'localhost' WITH GRANT OPTION;\n`,
      });
      const admin = await h.call('credentials.create', {
        name: 'db admin',
        kind: 'password',
        secret: adminPw,
        username: 'pdadmin',
        notes: `bound as admin\npaneldeck-db-admin: ${serverId} mariadb`,
      });
      // Socket auth for root is switched off for this test: only the credential can get in.
      await server.execOk(['mariadb'], {
        input:
          "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('unknown-root-pw-1');\n",
      });
      try {
        const listed = await h.call('databases.list', { serverId, engine: 'mariadb' });
        expect(listed.users.map((u) => `${u.name}@${u.host ?? ''}`)).toContain('pdadmin@localhost');
        const planned = await h.call('databases.create', {
          serverId,
          engine: 'mariadb',
          name: 'admin_made',
          user: 'admin_user',
          adminCredentialId: admin.id,
          dryRun: true,
        });
        const { op, seen } = await appliedWatched(server, h, planned);
        expect(op.state, op.error ?? '').toBe('succeeded');
        const made = (await h.call('databases.list', { serverId, engine: 'mariadb' })).users.find(
          (u) => u.name === 'admin_user',
        );
        const pw = (await h.call('credentials.reveal', { id: made?.credentialId ?? '', purpose: 'reveal' })).secret;
        expectSawLoginCheck(seen);
        expectNoSecret(seen, [adminPw, pw]);
        expect(JSON.stringify(op)).not.toContain(adminPw);
      } finally {
        const back = await runAs(
          server,
          'mariadb',
          'pdadmin',
          adminPw,
          'mysql',
          "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket;\n",
        );
        expect(back.stderr).toBe('');
        await server.execOk(['mariadb'], { input: "DROP USER 'pdadmin'@'localhost';\n" });
      }
    } finally {
      await h.close();
    }
  });
});

describe('hostile names through databases.create', () => {
  it('are refused by validation and nothing reaches the server', async () => {
    const { h, serverId } = await managerCore(server, false);
    try {
      // Only strings the contract refuses: a few in the list are plain valid names ('a', 'localhost'), which are safe.
      const all = hostileNames(CANARY);
      const hostile = all.filter((n) => !DbName.safeParse(n).success);
      const hostileHosts = all.filter((n) => !DbHost.safeParse(n).success);
      expect(hostile.length).toBeGreaterThanOrEqual(450);
      expect(hostileHosts.length).toBeGreaterThanOrEqual(450);
      for (const bad of hostile) {
        for (const engine of ['mariadb', 'postgresql'] as const) {
          const asName = await h.fail('databases.create', {
            serverId,
            engine,
            name: bad,
            user: 'ok_user',
            dryRun: true,
          });
          expect(asName.code, bad).toBe('VALIDATION');
          const asUser = await h.fail('databases.create', { serverId, engine, name: 'ok_db', user: bad, dryRun: true });
          expect(asUser.code, bad).toBe('VALIDATION');
        }
        const asDelete = await h.fail('databases.delete', {
          serverId,
          engine: 'mariadb',
          name: bad,
          confirm: bad,
          dryRun: true,
        });
        expect(asDelete.code, bad).toBe('VALIDATION');
      }
      for (const bad of hostileHosts) {
        const asHost = await h.fail('databases.create', {
          serverId,
          engine: 'mariadb',
          name: 'ok_db',
          user: 'ok_user',
          host: bad,
          dryRun: true,
        });
        expect(asHost.code, bad).toBe('VALIDATION');
      }
      // The marker: a legitimate call connects (the first host-key prompt of this core comes from it), so no
      // hostile call above had opened a connection.
      expect(h.events.filter((e) => e.name === 'ssh.hostKey.prompt')).toEqual([]);
      trustHostKeys(h);
      await h.call('databases.list', { serverId });
      expect(h.events.filter((e) => e.name === 'ssh.hostKey.prompt').length).toBe(1);
      expect((await h.call('operations.list', {})).total).toBe(0);
      expect((await server.exec(['test', '-e', CANARY])).code).toBe(1);
    } finally {
      await h.close();
    }
  }, 120_000);
});

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANARY,
  appliedWatched,
  expectNoSecret,
  expectSawLoginCheck,
  managerCore,
  runAs,
  type Engine,
} from './peers/db-fixtures';
import { startServerHost, type ServerHost } from './peers/server-host';
import type { CoreHarness } from '../support/core-harness';

let server: ServerHost;

beforeAll(async () => {
  server = await startServerHost();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const TABLE_SQL =
  "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(200));\nINSERT INTO notes VALUES (1, 'hello');\nSELECT COUNT(*) FROM notes;\n";

describe.each<Engine>(['mariadb', 'postgresql'])(
  '%s databases through the linux-ssh driver (whole-server peer)',
  (engine) => {
    let h: CoreHarness;
    let serverId: string;
    const db = `shop_${engine === 'mariadb' ? 'm' : 'p'}`;
    const user = `app_${engine === 'mariadb' ? 'm' : 'p'}`;
    // Valid by the contract, but full of shell, option-file (#) and pgpass (:) metacharacters.
    const first = `$IFS;touch$IFS${CANARY}#:x%{a,b}`;
    let credentialId = '';
    let second = '';

    beforeAll(async () => {
      ({ h, serverId } = await managerCore(server));
    });
    afterAll(async () => {
      await h?.close();
    });

    it('plans a create without touching the server or the vault, and shows no password', async () => {
      const planned = await h.call('databases.create', {
        serverId,
        engine,
        name: db,
        user,
        password: first,
        dryRun: true,
      });
      expect(planned.operationId).toBeNull();
      expect(planned.plan.steps.map((s) => s.id)).toEqual(['vault', 'database', 'user', 'grant', 'verify']);
      expect(JSON.stringify(planned)).not.toContain(first);
      expect(planned.plan.commands.join('\n')).toMatch(
        engine === 'mariadb'
          ? /CREATE DATABASE `shop_m` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci/
          : /CREATE DATABASE "shop_p"/,
      );
      expect((await h.call('credentials.list', { kind: 'password' })).length).toBe(0);
      const listed = await h.call('databases.list', { serverId, engine });
      expect(listed.databases.map((d) => d.name)).not.toContain(db);
    });

    it('creates the database and user; no password in any process argv or environment; the user connects', async () => {
      const planned = await h.call('databases.create', {
        serverId,
        engine,
        name: db,
        user,
        password: first,
        dryRun: true,
      });
      const { op, seen } = await appliedWatched(server, h, planned);
      expect(op.state, op.error ?? '').toBe('succeeded');
      expect(op.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
      expectSawLoginCheck(seen);
      expectNoSecret(seen, [first]);
      // The journal holds the exact commands, never the password.
      expect(JSON.stringify(op)).not.toContain(first);
      expect(op.steps.find((s) => s.id === 'verify')?.log.join('\n')).toContain(`connected as ${user}`);

      const r = await runAs(server, engine, user, first, db, TABLE_SQL);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('1');
      expect((await server.exec(['test', '-e', CANARY])).code).toBe(1);
      // The private temp folders of the secret files are gone.
      expect((await server.execOk(['sh', '-c', 'ls -A /tmp | grep "^tmp\\." || true'])).trim()).toBe('');
    });

    it('lists the database with its size and the user with its grant and vault credential', async () => {
      const { databases, users, problems } = await h.call('databases.list', {});
      expect(problems).toEqual([]);
      const d = databases.find((x) => x.name === db && x.engine === engine);
      expect(d).toMatchObject({ serverId, engine, name: db });
      expect(d?.sizeBytes).toBeGreaterThan(0);
      if (engine === 'mariadb') expect(d).toMatchObject({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
      else expect(d?.owner).toBe(user);
      const u = users.find((x) => x.name === user && x.engine === engine);
      expect(u?.grants.find((g) => g.database === db)?.privileges.length).toBeGreaterThan(0);
      expect(u?.credentialId).not.toBeNull();
      credentialId = u?.credentialId ?? '';
      expect((await h.call('credentials.reveal', { id: credentialId, purpose: 'reveal' })).secret).toBe(first);
    });

    it('rotates the password (generated): the old one fails, the new one works, the vault credential holds it', async () => {
      const planned = await h.call('databases.changePassword', { serverId, engine, user, dryRun: true });
      expect(planned.plan.steps.map((s) => s.id)).toEqual(['vault', 'password', 'verify', 'vault-commit']);
      const { op, seen } = await appliedWatched(server, h, planned);
      expect(op.state, op.error ?? '').toBe('succeeded');
      second = (await h.call('credentials.reveal', { id: credentialId, purpose: 'reveal' })).secret;
      expect(second).toMatch(/^[A-Za-z0-9]{32}$/);
      expectSawLoginCheck(seen);
      expectNoSecret(seen, [first, second]);
      expect(JSON.stringify(op)).not.toContain(second);
      // Still one credential for this user: the staged one was folded into it.
      const creds = (await h.call('credentials.list', { kind: 'password' })).filter((c) => c.username === user);
      expect(creds.map((c) => c.id)).toEqual([credentialId]);

      const old = await runAs(server, engine, user, first, db, 'SELECT 1;\n');
      expect(old.code).not.toBe(0);
      expect(old.stderr).toMatch(/denied|authentication failed/i);
      const now = await runAs(server, engine, user, second, db, 'SELECT COUNT(*) FROM notes;\n');
      expect(now.stderr).toBe('');
      expect(now.stdout.trim()).toBe('1');
    });

    it('deletes the database and the user after the typed confirmation; the vault credential goes too', async () => {
      const wrong = await h.fail('databases.delete', { serverId, engine, name: db, confirm: 'nope' });
      expect(wrong.code).toBe('VALIDATION');
      const planned = await h.call('databases.delete', { serverId, engine, name: db, confirm: db, dryRun: true });
      const { op } = await appliedWatched(server, h, planned);
      expect(op.state, op.error ?? '').toBe('succeeded');
      const plannedUser = await h.call('databases.deleteUser', { serverId, engine, user, confirm: user, dryRun: true });
      const { op: opUser, seen } = await appliedWatched(server, h, plannedUser);
      expect(opUser.state, opUser.error ?? '').toBe('succeeded');
      expectNoSecret(seen, [first, second]);

      const { databases, users } = await h.call('databases.list', { serverId, engine });
      expect(databases.map((d) => d.name)).not.toContain(db);
      expect(users.map((u) => u.name)).not.toContain(user);
      expect((await h.call('credentials.list', { kind: 'password' })).map((c) => c.id)).not.toContain(credentialId);
      const gone = await runAs(server, engine, user, second, engine === 'mariadb' ? '' : 'postgres', 'SELECT 1;\n');
      expect(gone.code).not.toBe(0);
    });
  },
);

describe('CLI', () => {
  it('paneldeck databases.create --help shows the method, and the password field marked secret', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.resolve('bin/paneldeck.mjs'),
      'databases.create',
      '--help',
    ]);
    expect(stdout).toMatch(/^databases\.create: Create a database/);
    const schema = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      properties: Record<string, { secret?: boolean }>;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['engine', 'name', 'charset', 'collation', 'user', 'password']),
    );
    expect(schema.properties.password?.secret).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseCreate, DbPassword, databaseCharset } from '../../../src/shared/contract/databases.contract';
import { generateDbPassword } from '../../../src/main/databases/db-credentials';
import type { RemoteHost } from '../../../src/main/drivers/remote-host';
import { mysqlNativeHash, runWithSecretFile, scramSha256Verifier } from '../../../src/main/drivers/linux-ssh/db-client';
import {
  MariaDbOps,
  mysqlGrantDb,
  mysqlString,
  optionFileValue,
  parseGrantee,
  parseMariaInventory,
} from '../../../src/main/drivers/linux-ssh/mariadb';
import {
  PostgresOps,
  parsePgInventory,
  pgIdent,
  pgString,
  pgpassField,
} from '../../../src/main/drivers/linux-ssh/postgresql';
import type { ExecResult } from '../../../src/main/ssh/connection-manager';

const SERVER = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('database SQL: quoting and verifiers', () => {
  it('MariaDB strings, identifiers and GRANT database names are escaped', () => {
    expect(mysqlString("it's \\ ok")).toBe("'it''s \\\\ ok'");
    expect(() => mysqlString('a\nb')).toThrow(/control characters/);
    // `_` is a wildcard in GRANT ... ON db.*: shop_db would also match shopxdb.
    expect(mysqlGrantDb('shop_db')).toBe('`shop\\_db`');
    expect(parseGrantee("'app'@'localhost'")).toEqual(['app', 'localhost']);
    expect(parseGrantee("'o''brien'@'%'")).toEqual(["o'brien", '%']);
  });

  it('option-file and pgpass values keep # and : literal', () => {
    expect(optionFileValue('a#b\\c')).toBe('"a#b\\\\c"');
    expect(pgpassField('a:b\\c')).toBe('a\\:b\\\\c');
    expect(() => pgpassField('a\nb')).toThrow();
    expect(pgString("x'y")).toBe("'x''y'");
    expect(pgIdent('a"b')).toBe('"a""b"');
  });

  it('mysql_native_password hash matches MySQL PASSWORD()', () => {
    expect(mysqlNativeHash('password')).toBe('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
  });

  it('SCRAM-SHA-256 verifiers have PostgreSQL’s shape and a fresh salt each time', () => {
    const v = scramSha256Verifier('secret-password-1');
    expect(v).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    expect(scramSha256Verifier('secret-password-1')).not.toBe(v);
    expect(v).not.toContain('secret-password-1');
  });

  it('statements carry a hash or verifier, never the password; previews mask it', () => {
    const maria = new MariaDbOps('mariadb', null);
    const pw = 'Plain-Password-123';
    expect(maria.createUser('app', 'localhost', pw)).toBe(
      `CREATE USER 'app'@'localhost' IDENTIFIED BY PASSWORD '${mysqlNativeHash(pw)}';`,
    );
    expect(maria.createUser('app', 'localhost', null)).toBe("CREATE USER 'app'@'localhost' IDENTIFIED BY '••••';");
    expect(maria.createDatabase('shop', 'utf8mb4', 'utf8mb4_unicode_ci')).toBe(
      'CREATE DATABASE `shop` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
    );
    const pg = new PostgresOps('15', null);
    expect(pg.createUser('app', 'localhost', pw)).toMatch(/^CREATE ROLE "app" LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
    expect(pg.createUser('app', 'localhost', pw)).not.toContain(pw);
    expect(pg.dropDatabase('shop', false)).toBe('DROP DATABASE "shop" WITH (FORCE);');
    expect(new PostgresOps('12', null).dropDatabase('shop', true)).toBe('DROP DATABASE IF EXISTS "shop";');
    // MySQL (not MariaDB) gets the password itself, still only inside SQL on stdin.
    expect(new MariaDbOps('mysql', null).setPassword('app', '%', pw)).toBe(
      `ALTER USER 'app'@'%' IDENTIFIED BY '${pw}';`,
    );
  });
});

describe('database inventories', () => {
  it('MariaDB batch rows become databases with sizes and users with grants', () => {
    const out = [
      'db\tshop\tutf8mb4\tutf8mb4_unicode_ci\t32768',
      'db\tempty\tlatin1\tlatin1_swedish_ci\t0',
      'user\tapp\tlocalhost\tN',
      'user\troot\tlocalhost\tY',
      "grant\t'app'@'localhost'\tshop\tSELECT",
      "grant\t'app'@'localhost'\tshop\tINSERT",
      "global\t'root'@'localhost'\tSUPER",
      '',
    ].join('\n');
    const inv = parseMariaInventory(out);
    expect(inv.databases).toEqual([
      {
        name: 'shop',
        charset: 'utf8mb4',
        collation: 'utf8mb4_unicode_ci',
        sizeBytes: 32768,
        owner: null,
        users: ['app@localhost'],
      },
      { name: 'empty', charset: 'latin1', collation: 'latin1_swedish_ci', sizeBytes: 0, owner: null, users: [] },
    ]);
    expect(inv.users).toEqual([
      {
        name: 'app',
        host: 'localhost',
        superuser: false,
        grants: [{ database: 'shop', privileges: ['SELECT', 'INSERT'] }],
      },
      { name: 'root', host: 'localhost', superuser: true, grants: [{ database: '*', privileges: ['SUPER'] }] },
    ]);
  });

  it('PostgreSQL JSON becomes databases with owners and users with OWNER and ACL grants', () => {
    const json = JSON.stringify({
      databases: [
        {
          name: 'shop',
          owner: 'app',
          size: 7_654_321,
          charset: 'UTF8',
          collation: 'C.UTF-8',
          acl: [
            { grantee: 'PUBLIC', privilege: 'CONNECT' },
            { grantee: 'app', privilege: 'CREATE' },
          ],
        },
        { name: 'postgres', owner: 'postgres', size: null, charset: 'UTF8', collation: 'C.UTF-8', acl: [] },
      ],
      users: [
        { name: 'app', superuser: false },
        { name: 'postgres', superuser: true },
      ],
    });
    const inv = parsePgInventory(`${json}\n`);
    expect(inv.databases[0]).toMatchObject({ name: 'shop', owner: 'app', sizeBytes: 7_654_321, users: ['app'] });
    expect(inv.databases[1]?.sizeBytes).toBeNull();
    expect(inv.users[0]).toEqual({
      name: 'app',
      host: null,
      superuser: false,
      grants: [{ database: 'shop', privileges: ['OWNER', 'CREATE'] }],
    });
    expect(() => parsePgInventory('ERROR: nope')).toThrow(/unexpected/);
  });
});

describe('databases.create input', () => {
  const base = { serverId: SERVER, engine: 'mariadb' as const, name: 'shop', user: 'app' };

  it('defaults MariaDB to utf8mb4 / utf8mb4_unicode_ci and checks the collation belongs to the charset', () => {
    const v = DatabaseCreate.parse(base);
    expect(databaseCharset(v)).toEqual({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
    expect(databaseCharset(DatabaseCreate.parse({ ...base, collation: 'latin1_swedish_ci' }))).toEqual({
      charset: 'latin1',
      collation: 'latin1_swedish_ci',
    });
    const bad = DatabaseCreate.safeParse({ ...base, charset: 'utf8mb4', collation: 'latin1_swedish_ci' });
    expect(bad.error?.issues[0]?.message).toMatch(/must belong to utf8mb4/);
    const pg = DatabaseCreate.safeParse({ ...base, engine: 'postgresql', charset: 'utf8mb4' });
    expect(pg.success).toBe(false);
    expect(databaseCharset(DatabaseCreate.parse({ ...base, engine: 'postgresql' }))).toEqual({
      charset: null,
      collation: null,
    });
  });

  it('passwords: validated, not escaped; generated ones use a safe alphabet', () => {
    for (const bad of [
      'short',
      "has'quote-1234",
      'has"quote-1234',
      'back\\slash-1234',
      'has space 12345',
      'tab\tin-it-1234',
    ]) {
      expect(DbPassword.safeParse(bad).success, bad).toBe(false);
    }
    expect(DbPassword.safeParse('$IFS;touch$IFS/x#:%').success).toBe(true);
    const g = generateDbPassword();
    expect(g).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generateDbPassword()).not.toBe(g);
    expect(DatabaseCreate.safeParse({ ...base, existingUser: true, password: 'valid-password-1' }).success).toBe(false);
  });

  it('hosts: localhost, %, IPv4 patterns; nothing else', () => {
    for (const ok of ['localhost', '%', '10.0.%', '192.168.1.20', '::1'])
      expect(DatabaseCreate.safeParse({ ...base, host: ok }).success, ok).toBe(true);
    for (const bad of ["x' OR '1", 'evil.com', '', '10.0.0.1; DROP'])
      expect(DatabaseCreate.safeParse({ ...base, host: bad }).success, bad).toBe(false);
  });
});

describe('the secret-file runner (a local sh stands in for the server’s)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A RemoteHost whose run() executes argv here, with TMPDIR pointed at a folder the test watches. */
  function localHost(tmp: string): RemoteHost {
    return {
      run(argv: readonly string[], opts: { stdin?: string } = {}): Promise<ExecResult> {
        return new Promise((resolve, reject) => {
          const c = spawn(argv[0] ?? 'false', argv.slice(1), {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmp },
          });
          let stdout = '';
          let stderr = '';
          c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.once('error', reject);
          c.once('close', (code) => resolve({ code, stdout, stderr } as ExecResult));
          c.stdin.end(opts.stdin ?? '');
        });
      },
    } as unknown as RemoteHost;
  }

  it('splits stdin exactly: the file gets its bytes (0600), the command the rest; the folder is removed', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pd-secret-file-'));
    dirs.push(tmp);
    const secret = 'user=app\npassword="pä#ss:wörd"\n';
    const script = 'stat -c %a "$1"; cat "$1"; echo --; cat';
    const r = await runWithSecretFile(
      localHost(tmp),
      secret,
      ['sh', '-c', script, 'sh', '@CNF@'],
      'SELECT 1;\nSELECT 2;\n',
    );
    expect(r).toMatchObject({ code: 0, stdout: `600\n${secret}--\nSELECT 1;\nSELECT 2;\n` });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('passes the exit code through and removes the folder when the command fails', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pd-secret-file-'));
    dirs.push(tmp);
    const r = await runWithSecretFile(localHost(tmp), 'x', ['sh', '-c', 'test -s "$1" && exit 7', 'sh', '@CNF@'], '');
    expect(r.code).toBe(7);
    expect(readdirSync(tmp)).toEqual([]);
    const embedded = await runWithSecretFile(localHost(tmp), 'abc', [
      'sh',
      '-c',
      'case $1 in --defaults-file=/*/c) cat "${1#*=}";; *) exit 9;; esac',
      'sh',
      '--defaults-file=@CNF@',
    ]);
    expect(embedded).toMatchObject({ code: 0, stdout: 'abc' });
    expect(existsSync(tmp) && readdirSync(tmp).length === 0).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Database, DatabaseUser } from '../../../src/shared/contract/databases.contract';
import { DatabaseCreate } from '../../../src/shared/contract/databases.contract';
import {
  checkDatabaseForm,
  databaseCreateInput,
  enginesOf,
  filterDatabases,
  filterUsers,
  formatSize,
  grantSummary,
  userLabel,
  type DatabaseForm,
} from '../../../src/renderer/features/databases/database-view';

const db = (over: Partial<Database>): Database => ({
  serverId: 's1',
  engine: 'mariadb',
  name: 'shop',
  sizeBytes: 0,
  charset: 'utf8mb4',
  collation: 'utf8mb4_unicode_ci',
  owner: null,
  users: [],
  ...over,
});

const user = (over: Partial<DatabaseUser>): DatabaseUser => ({
  serverId: 's1',
  engine: 'mariadb',
  name: 'shop',
  host: 'localhost',
  grants: [],
  superuser: false,
  credentialId: null,
  ...over,
});

// The contract's ids are UUIDs.
const SERVER = '0b6f3f5e-8a55-4c1e-9f0e-3c2b1a7d9e10';

const form = (over: Partial<DatabaseForm>): DatabaseForm => ({
  serverId: SERVER,
  engine: 'mariadb',
  name: 'shop',
  charset: '',
  collation: '',
  user: 'shop_app',
  generate: true,
  password: '',
  ...over,
});

describe('formatSize', () => {
  it('reads bytes for people, 1024-based', () => {
    expect(formatSize(null)).toBe('—');
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1024)).toBe('1 KB');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(16 * 1024)).toBe('16 KB');
    expect(formatSize(2.5 * 1024 ** 3)).toBe('2.5 GB');
    expect(formatSize(1024 ** 6)).toBe('1024 PB');
  });
});

describe('filters', () => {
  const dbs = [
    db({ name: 'shop', users: ['shop_app@localhost'] }),
    db({ serverId: 's2', engine: 'postgresql', name: 'blog', owner: 'writer', charset: null, collation: null }),
  ];
  it('filters databases by server, engine and search (name, owner, users)', () => {
    const none = { serverId: '', engine: '' as const, query: '' };
    expect(filterDatabases(dbs, none)).toHaveLength(2);
    expect(filterDatabases(dbs, { ...none, serverId: 's2' }).map((d) => d.name)).toEqual(['blog']);
    expect(filterDatabases(dbs, { ...none, engine: 'mariadb' }).map((d) => d.name)).toEqual(['shop']);
    expect(filterDatabases(dbs, { ...none, query: ' WRITER ' }).map((d) => d.name)).toEqual(['blog']);
    expect(filterDatabases(dbs, { ...none, query: 'shop_app' }).map((d) => d.name)).toEqual(['shop']);
    expect(filterDatabases(dbs, { ...none, query: 'nothing' })).toEqual([]);
  });
  it('filters users by the databases of their grants too', () => {
    const users = [
      user({ name: 'shop_app', grants: [{ database: 'shop', privileges: ['ALL PRIVILEGES'] }] }),
      user({ serverId: 's2', engine: 'postgresql', name: 'writer', host: null }),
    ];
    expect(filterUsers(users, { serverId: '', engine: '', query: 'shop' }).map((u) => u.name)).toEqual(['shop_app']);
    expect(filterUsers(users, { serverId: '', engine: 'postgresql', query: '' }).map((u) => u.name)).toEqual([
      'writer',
    ]);
  });
});

describe('labels', () => {
  it('names MariaDB accounts with their host, PostgreSQL roles without', () => {
    expect(userLabel({ name: 'a', host: 'localhost' })).toBe('a@localhost');
    expect(userLabel({ name: 'a', host: null })).toBe('a');
  });
  it('summarises grants', () => {
    expect(grantSummary({ grants: [], superuser: false })).toBe('no grants');
    expect(
      grantSummary({
        grants: [
          { database: 'shop', privileges: ['SELECT', 'INSERT'] },
          { database: '*', privileges: ['USAGE'] },
        ],
        superuser: true,
      }),
    ).toBe('superuser; shop: SELECT, INSERT; all databases: USAGE');
  });
});

describe('the create form', () => {
  it('accepts a valid form, and its input passes the contract', () => {
    expect(checkDatabaseForm(form({}))).toEqual({});
    const input = databaseCreateInput(form({ charset: 'utf8mb4', collation: 'utf8mb4_bin' }), true);
    expect(input).toMatchObject({ engine: 'mariadb', name: 'shop', charset: 'utf8mb4', dryRun: true });
    expect(input).not.toHaveProperty('password');
    expect(DatabaseCreate.safeParse(input).success).toBe(true);
  });
  it('gives the contract messages on the right fields as you type', () => {
    const errors = checkDatabaseForm(
      form({ serverId: '', name: 'Shop-1', user: 'root', generate: false, password: 'short' }),
    );
    expect(errors.serverId).toBe('Choose a server.');
    expect(errors.name).toMatch(/lower-case letter/);
    expect(errors.user).toMatch(/reserved/);
    expect(errors.password).toMatch(/at least 12/);
    expect(checkDatabaseForm(form({ collation: 'latin1_swedish_ci', charset: 'utf8mb4' })).collation).toMatch(
      /belong to utf8mb4/,
    );
    expect(checkDatabaseForm(form({ generate: false, password: 'with"quote-long-enough' })).password).toMatch(/quotes/);
  });
  it('checks only the touched fields', () => {
    expect(checkDatabaseForm(form({ name: '', user: '' }), new Set(['name']))).toEqual({
      name: 'A database name is required.',
    });
  });
  it('drops charset and collation for PostgreSQL, and a typed password goes through', () => {
    const input = databaseCreateInput(
      form({ engine: 'postgresql', charset: 'utf8mb4', generate: false, password: 'Correct-Horse-9' }),
      false,
    );
    expect(input).not.toHaveProperty('charset');
    expect(input.password).toBe('Correct-Horse-9');
    expect(DatabaseCreate.safeParse(input).success).toBe(true);
  });
});

describe('enginesOf', () => {
  it('maps the probe to the engines the contract knows, once each', () => {
    expect(enginesOf([{ engine: 'mysql' }, { engine: 'mariadb' }, { engine: 'postgresql' }])).toEqual([
      'mariadb',
      'postgresql',
    ]);
    expect(enginesOf([])).toEqual([]);
  });
});

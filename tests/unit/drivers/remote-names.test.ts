import { describe, expect, it } from 'vitest';
import {
  DbName,
  DbUser,
  Domain,
  RemotePath,
  SystemUser,
  UpstreamUrl,
  domainProblem,
} from '../../../src/shared/remote-names';
import { hostileNames } from '../../support/hostile-names';

const SAFE = /^[A-Za-z0-9._/:@+[\]-]*$/;

describe('remote names', () => {
  it('domains: IDN to punycode, lower case, trailing dot dropped', () => {
    expect(Domain.parse('Bücher.Example.')).toBe('xn--bcher-kva.example');
    expect(Domain.parse(' shop.example.com ')).toBe('shop.example.com');
  });

  it.each([
    ['test..com', 'empty label'],
    ['-a.com', 'not a valid part'],
    ['a-.com', 'not a valid part'],
    ['localhost', 'full domain'],
    ['a b.com', 'only letters'],
    ['10.0.0.1', 'IP address'],
    [`${'a'.repeat(64)}.com`, '63 characters'],
    [`${'a.'.repeat(127)}com`, '253 characters'],
  ])('domain %j is refused with a message naming the problem (%s)', (d, words) => {
    const r = domainProblem(d);
    expect('problem' in r ? r.problem : '').toContain(words);
  });

  it('database and user names: lower-case identifiers, system names refused', () => {
    expect(DbName.parse('shop_db')).toBe('shop_db');
    expect(DbName.safeParse('mysql').success).toBe(false);
    expect(DbUser.safeParse('Shop').success).toBe(false);
    expect(DbUser.safeParse('a'.repeat(64)).success).toBe(false);
    expect(SystemUser.safeParse('root').success).toBe(false);
  });

  it('paths: absolute, no traversal, no system directories', () => {
    expect(RemotePath.parse('/var/www/shop/public/')).toBe('/var/www/shop/public');
    for (const bad of ['var/www', '/var/www/../etc', '/etc/nginx', '/', '/usr/lib/x', '/var//www']) {
      expect(RemotePath.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('upstream URLs: http(s) only, no credentials', () => {
    expect(UpstreamUrl.parse('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    for (const bad of ['ftp://x', 'http://u:p@x/', 'http://x/ y', 'http://x/;return 200', 'javascript:alert(1)']) {
      expect(UpstreamUrl.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('≥ 500 hostile names: each is refused, or what passes is plain LDH / safe-alphabet text', () => {
    const names = hostileNames('/tmp/pd-canary');
    expect(names.length).toBeGreaterThanOrEqual(500);
    let accepted = 0;
    for (const n of names) {
      for (const schema of [Domain, DbName, DbUser, SystemUser, RemotePath, UpstreamUrl]) {
        const r = schema.safeParse(n);
        if (!r.success) continue;
        accepted++;
        expect(String(r.data), `${JSON.stringify(n)} passed as ${JSON.stringify(r.data)}`).toMatch(SAFE);
        expect(String(r.data)).not.toMatch(/[\s;'"`$&|<>\\{}()*]/);
      }
    }
    // Some shapes are harmless once validated (e.g. an encoded payload that is only letters and %): counted, fine.
    expect(accepted).toBeLessThan(names.length);
  });
});

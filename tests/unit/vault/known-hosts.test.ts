import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { entryMatches, hashHostName, lookupHost, parseKnownHosts } from '../../../src/main/inventory/known-hosts';
import { tempDir } from '../../support/core-harness';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('known_hosts parser', () => {
  test('plain, bracketed port, wildcard, negation, markers and comments', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        `web.example.com,10.0.0.1 ssh-ed25519 ${KEY} web key`,
        `[db.example.com]:2222 ssh-ed25519 ${KEY}`,
        `*.corp.example.com,!evil.corp.example.com ssh-ed25519 ${KEY}`,
        `@revoked old.example.com ssh-ed25519 ${KEY}`,
        `@cert-authority *.example.org ssh-ed25519 ${KEY}`,
        'garbage line',
        '',
      ].join('\n'),
    );
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({
      line: 2,
      patterns: ['web.example.com', '10.0.0.1'],
      keyType: 'ssh-ed25519',
      comment: 'web key',
    });
    expect(lookupHost(entries, '10.0.0.1').keys).toHaveLength(1);
    expect(lookupHost(entries, 'db.example.com', 2222).keys).toHaveLength(1);
    expect(lookupHost(entries, 'db.example.com').keys).toHaveLength(0);
    expect(lookupHost(entries, 'a.corp.example.com').keys).toHaveLength(1);
    expect(lookupHost(entries, 'evil.corp.example.com').keys).toHaveLength(0);
    expect(lookupHost(entries, 'old.example.com')).toMatchObject({ keys: [], revoked: [{ marker: '@revoked' }] });
    expect(lookupHost(entries, 'x.example.org').keys).toHaveLength(0);
  });

  test('hashed |1|salt|hash entries written by ssh-keygen -H match the right host and port only', () => {
    const dir = tempDir('pd-kh-');
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `web.example.com ssh-ed25519 ${KEY}\n[db.example.com]:2222 ssh-ed25519 ${KEY}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' });
    const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'));
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.hashed !== null && e.patterns.length === 0)).toBe(true);
    expect(entries.filter((e) => entryMatches(e, 'web.example.com'))).toHaveLength(1);
    expect(entries.filter((e) => entryMatches(e, 'WEB.example.com'))).toHaveLength(1);
    expect(entries.filter((e) => entryMatches(e, 'db.example.com', 2222))).toHaveLength(1);
    expect(entries.filter((e) => entryMatches(e, 'db.example.com'))).toHaveLength(0);
    expect(entries.filter((e) => entryMatches(e, 'other.example.com'))).toHaveLength(0);
    // Our own hashing is what ssh-keygen -F finds.
    fs.writeFileSync(file, `${hashHostName('own.example.com', 2200)} ssh-ed25519 ${KEY}\n`);
    expect(execFileSync('ssh-keygen', ['-F', '[own.example.com]:2200', '-f', file]).toString()).toContain(KEY);
  });
});

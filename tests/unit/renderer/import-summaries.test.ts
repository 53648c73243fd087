import { describe, expect, it } from 'vitest';
import { importSummary } from '../../../src/renderer/features/servers/import-summary';
import { knownHostsSummary } from '../../../src/renderer/features/vault/known-hosts-summary';

describe('import summaries (issue 8 #12)', () => {
  it('ssh_config: plurals agree with their counts', () => {
    expect(importSummary(3, 1, 1)).toBe('Imported 3 servers and 1 key; 1 entry skipped.');
    expect(importSummary(1, 2, 3)).toBe('Imported 1 server and 2 keys; 3 entries skipped.');
    expect(importSummary(2, 0, 0)).toBe('Imported 2 servers.');
  });

  it('known_hosts: hashed entries are explained, skipped lines announced', () => {
    expect(knownHostsSummary({ imported: 1, alreadyTrusted: 0, hashed: 1, skipped: [{}] })).toBe(
      'Imported 1 host key. Kept 1 hashed entry: hashed entries cannot be listed by name; they are matched when you connect. Skipped 1 line:',
    );
    expect(knownHostsSummary({ imported: 3, alreadyTrusted: 2, hashed: 0, skipped: [] })).toBe(
      'Imported 3 host keys; 2 already trusted.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/renderer/lib/plural';

describe('plural', () => {
  it('agrees the word with the count', () => {
    expect(plural(1, 'server')).toBe('1 server');
    expect(plural(0, 'server')).toBe('0 servers');
    expect(plural(2, 'server')).toBe('2 servers');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});

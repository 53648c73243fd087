import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { estimateStrength } from '../../../src/renderer/features/vault/strength';

describe('master password strength estimate', () => {
  it('rates well-known and patterned passwords very weak or weak', () => {
    for (const pw of [
      'password',
      'Password1!',
      'P@ssw0rd2024',
      'qwerty123456',
      'aaaaaaaaaaaa',
      'abcdefghijkl',
      'Summer2025!',
    ]) {
      expect(estimateStrength(pw).score, pw).toBeLessThanOrEqual(1);
    }
  });

  it('explains why: common word, sequence, repeat, date', () => {
    expect(estimateStrength('P@ssw0rd').hints.join(' ')).toMatch(/common passwords/);
    expect(estimateStrength('abc123xyz').hints.join(' ')).toMatch(/runs like/);
    expect(estimateStrength('zzzzzzzz').hints.join(' ')).toMatch(/repeated/);
    expect(estimateStrength('Kx7#mq1999').hints.join(' ')).toMatch(/Years and dates/);
  });

  it('rates random and long multi-word passphrases strong', () => {
    const random = randomBytes(18).toString('base64'); // 24 chars, ~144 bits
    expect(estimateStrength(random).score).toBe(4);
    expect(estimateStrength('correct-Horse-battery-staple-42').score).toBeGreaterThanOrEqual(3);
    expect(estimateStrength('violet tractor ninety quietly orbit').score).toBeGreaterThanOrEqual(3);
  });

  it('never rates a longer variant of a password lower than the shorter one', () => {
    const base = 'tractor-violet';
    let prev = estimateStrength(base).bits;
    for (const extra of ['-9', '-9k', '-9kQ', '-9kQ#', '-9kQ#x']) {
      const bits = estimateStrength(base + extra).bits;
      expect(bits, base + extra).toBeGreaterThanOrEqual(prev);
      prev = bits;
    }
  });

  it('says nothing for an empty field', () => {
    expect(estimateStrength('')).toEqual({ bits: 0, score: 0, label: 'Empty', hints: [] });
  });
});

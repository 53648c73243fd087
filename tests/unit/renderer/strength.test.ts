import { describe, expect, it } from 'vitest';
import { estimateStrength } from '../../../src/shared/password-strength';

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
    // Fixed, generator-style strings (a random one can contain a run like "abc" the estimate rightly discounts).
    for (const random of ['q7Vz!L2m#Rw9^Tk4&Xp8', 'hG4$wQ9n@Zt2*Lr6!Vb3', 'Xk9#pL2$vM7&qR4!zT8^'])
      expect(estimateStrength(random).score, random).toBe(4);
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

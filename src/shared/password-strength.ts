/**
 * A small, honest password-strength estimate: bits of entropy from the character classes used and the length,
 * minus what common patterns give away (repeats, keyboard and alphabet runs, dates, well-known passwords
 * and words, with leet substitutions undone). It under-promises by design. Shared by the core, which refuses
 * master and export passwords below {@link MIN_PASSWORD_SCORE}, and the renderer's meter, which shows the same
 * verdict while the user types (issue 8, item 11).
 */

/** The verdict shown by the meter: 0 (very weak) to 4 (very strong). */
export interface Strength {
  readonly bits: number;
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly label: string;
  readonly hints: string[];
}

const COMMON = (
  'password passwort motdepasse qwerty azerty letmein welcome admin administrator root login master secret dragon monkey football baseball iloveyou princess sunshine shadow superman batman trustno1 changeme ' +
  'default server paneldeck vault hello freedom whatever summer winter spring autumn love test guest abc qwertz asdf zxcv pass ninja michael jordan starwars computer internet'
).split(' ');
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
];
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

function poolSize(pw: string): number {
  let pool = 0;
  if (/[a-z]/.test(pw)) pool += 26;
  if (/[A-Z]/.test(pw)) pool += 26;
  if (/\d/.test(pw)) pool += 10;
  if (/[ -/:-@[-`{-~]/.test(pw)) pool += 33;
  if (/[^\x20-\x7e]/.test(pw)) pool += 100;
  return Math.max(pool, 1);
}

/** Marks characters that belong to a predictable pattern; each such character is worth ~1 bit, not log2(pool). */
function predictable(pw: string): { mask: boolean[]; found: Set<string> } {
  const lower = pw.toLowerCase();
  const unleet = [...lower].map((c) => LEET[c] ?? c).join('');
  const mask = new Array<boolean>(pw.length).fill(false);
  const found = new Set<string>();
  const mark = (from: number, len: number, what: string): void => {
    for (let i = from; i < from + len; i++) mask[i] = true;
    found.add(what);
  };
  for (const word of COMMON) {
    for (const text of [lower, unleet]) {
      let at = text.indexOf(word);
      while (at !== -1) {
        // The first character of a word still carries the choice of word: leave it unmarked.
        mark(at + 1, word.length - 1, 'word');
        at = text.indexOf(word, at + 1);
      }
    }
  }
  for (let i = 1; i < pw.length; i++) {
    // A doubled letter is ordinary ("battery") and costs bits silently; three in a row earns a hint.
    if (lower[i - 1] === lower[i]) mark(i, 1, i >= 2 && lower[i - 2] === lower[i] ? 'repeat' : 'double');
    const tri = lower.slice(i - 1, i + 2);
    if (tri.length === 3 && SEQUENCES.some((q) => q.includes(tri) || [...q].reverse().join('').includes(tri))) {
      mark(i, 2, 'sequence');
    }
  }
  for (const m of pw.matchAll(/(19|20)\d\d/g)) mark(m.index + 2, 2, 'date');
  // A whole repeated block ("abcabc", "Summer2024Summer2024") adds almost nothing.
  const block = /^(.+?)\1+$/.exec(pw);
  if (block?.[1]) mark(block[1].length, pw.length - block[1].length, 'repeat');
  return { mask, found };
}

/** Marks letters in runs of 4+ that look like words (a vowel ratio typical of language). */
function wordLike(pw: string): boolean[] {
  const out = new Array<boolean>(pw.length).fill(false);
  for (const m of pw.matchAll(/[A-Za-z]{4,}/g)) {
    const vowels = (m[0].match(/[aeiouy]/gi) ?? []).length / m[0].length;
    if (vowels >= 0.2 && vowels <= 0.6) for (let i = m.index; i < m.index + m[0].length; i++) out[i] = true;
  }
  return out;
}

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** Estimates the strength of `pw`. */
export function estimateStrength(pw: string): Strength {
  if (!pw) return { bits: 0, score: 0, label: 'Empty', hints: [] };
  const perChar = Math.log2(poolSize(pw));
  const { mask, found } = predictable(pw);
  const wordy = wordLike(pw);
  let bits = 0;
  mask.forEach((m, i) => {
    // Letters inside a pronounceable run read like words: ~2.3 bits each (English text), not a random pick.
    bits += m ? 1 : wordy[i] ? Math.min(perChar, 2.3) : perChar;
  });
  bits += (pw.match(/[A-Z](?=[a-z]{2})/g)?.length ?? 0) * 1; // a capitalised word adds about a bit
  if (/^[A-Z][a-z]+\d{1,4}[!.?]?$/.test(pw)) bits -= 8; // "Capitalised word + digits (+ !)": the most guessed shape
  bits = Math.max(0, Math.round(bits));

  const score = bits < 28 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  const hints: string[] = [];
  if (pw.length < 12) hints.push('Use 12 characters or more; a few unrelated words work well.');
  if (found.has('word')) hints.push('Avoid common passwords and words, even with 4-for-a style swaps.');
  if (found.has('sequence')) hints.push('Avoid runs like "abc", "123" or "qwerty".');
  if (found.has('repeat')) hints.push('Avoid repeated characters and blocks.');
  if (found.has('date')) hints.push('Years and dates are easy to guess.');
  if (poolSize(pw) <= 26 && pw.length < 20) hints.push('Mix in capitals, digits or symbols, or make it longer.');
  return { bits, score, label: LABELS[score], hints: score >= 3 ? hints.slice(0, 1) : hints };
}

/** The shortest master or export password accepted (the create form's hint says the same). */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * The lowest accepted score: 2 ("Fair", about 40 bits by this estimate). Below it a password falls to a dictionary
 * or pattern guesser even through Argon2id; "password1234" (about 17 bits) is refused, a passphrase of three or four
 * unrelated words passes. zxcvbn-based policies (Bitwarden, Dropbox) draw the line at the same place.
 */
export const MIN_PASSWORD_SCORE = 2;

/**
 * Why `pw` is too weak to protect a vault or an export, as one sentence with the estimate's advice; null when it
 * is strong enough. The contract's MasterPassword schema and the vault service both use it.
 */
export function weakPasswordReason(pw: string): string | null {
  if (pw.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words work well.`;
  }
  const s = estimateStrength(pw);
  if (s.score >= MIN_PASSWORD_SCORE) return null;
  const advice = s.hints.filter((h) => !h.startsWith('Use 12')).join(' ');
  return (
    `Too easy to guess (${s.label.toLowerCase()}, about ${s.bits} bits; at least 40 are needed to protect ` +
    `the vault from offline guessing).${advice ? ` ${advice}` : ' Make it longer or add unrelated words.'}`
  );
}

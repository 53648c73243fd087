import { isIP } from 'node:net';
import { AppError } from '../../../shared/errors';
import { domainProblem } from '../../../shared/remote-names';

/**
 * Checks for every value PanelDeck sends to the Website Factory hub, run before anything is sent (DESIGN.md
 * rule 6): a value that fails never reaches the panel. Each checker returns the clean value or a sentence.
 */
export type Check = (raw: string) => { value: string } | { problem: string };

/** Control characters, zero-width and bidirectional marks: never in a value PanelDeck sends. */
function hasControl(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f)) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

/** A domain (IDN to punycode, LDH labels). */
export const checkDomain: Check = (raw) => {
  const r = domainProblem(raw);
  return 'problem' in r ? r : { value: r.ascii };
};

/** A display name (brand, server name): letters and digits first, then a few punctuation marks, at most 120. */
export const checkDisplayName: Check = (raw) => {
  const v = raw.trim();
  if (v === '') return { problem: 'A name is required.' };
  if (v.length > 120) return { problem: 'A name is at most 120 characters.' };
  if (hasControl(v) || !/^[\p{L}\p{N}][\p{L}\p{N} &'.,()!+_-]*$/u.test(v)) {
    return { problem: "A name has letters, digits, spaces and & ' . , ( ) ! + _ - only." };
  }
  return { value: v };
};

/** A slug-like key (Cloudflare nickname, provider, service, server type): letters, digits, _ . -, at most 64. */
export const checkKey: Check = (raw) => {
  const v = raw.trim();
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(v)
    ? { value: v }
    : { problem: 'Use letters, digits, _ . and - only (at most 64, starting with a letter or digit).' };
};

/** An id the hub gave (UUIDs, Cloudflare account ids): used in URL paths, so letters, digits, - and _ only. */
export const checkId: Check = (raw) => {
  const v = raw.trim();
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(v) ? { value: v } : { problem: 'Not a valid id.' };
};

/** An IPv4 or IPv6 address. */
export const checkIp: Check = (raw) => {
  const v = raw.trim();
  return isIP(v) !== 0 ? { value: v } : { problem: 'Enter an IPv4 or IPv6 address.' };
};

/** An http(s) URL without credentials and with safe characters only. */
export const checkUrl: Check = (raw) => {
  const v = raw.trim();
  if (!/^https?:\/\/[A-Za-z0-9.:[\]/_~%-]+$/.test(v) || v.length > 2048) {
    return { problem: 'Use an http:// or https:// address.' };
  }
  try {
    const u = new URL(v);
    if (u.username !== '' || u.password !== '' || u.hostname === '') return { problem: 'Not a valid address.' };
  } catch {
    return { problem: 'Not a valid address.' };
  }
  return { value: v };
};

/** An e-mail address (one @, a domain after it). */
export const checkEmail: Check = (raw) => {
  const v = raw.trim();
  const at = v.lastIndexOf('@');
  if (at < 1 || !/^[A-Za-z0-9._%+-]+$/.test(v.slice(0, at)) || 'problem' in checkDomain(v.slice(at + 1))) {
    return { problem: 'Enter an e-mail address.' };
  }
  return { value: v };
};

/** A user or API user name: letters, digits, _ . @ + -, at most 120. */
export const checkUserName: Check = (raw) => {
  const v = raw.trim();
  return /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,119}$/.test(v)
    ? { value: v }
    : { problem: 'Use letters, digits and _ . @ + - only (at most 120).' };
};

/** A secret (API key, token, password): anything printable but no line breaks or control characters, ≤ 4096. */
export const checkSecret: Check = (raw) =>
  raw === '' || raw.length > 4096 || hasControl(raw)
    ? { problem: 'Enter the secret on one line (no control characters).' }
    : { value: raw };

/** One of a fixed set. */
export function checkOneOf(values: readonly string[]): Check {
  return (raw) => (values.includes(raw.trim()) ? { value: raw.trim() } : { problem: `One of: ${values.join(', ')}.` });
}

/** Runs a check or throws VALIDATION naming the field; nothing has been sent when it throws. */
export function must(check: Check, raw: unknown, field: string, label = field): string {
  const r = typeof raw === 'string' ? check(raw) : { problem: `${label} is required.` };
  if ('problem' in r) {
    throw new AppError('VALIDATION', `${label}: ${r.problem} Nothing was sent to Website Factory.`, { field });
  }
  return r.value;
}

/** A checkbox value (true/false, "true"/"false", "1"/"0"). */
export function boolOf(raw: unknown, fallback: boolean): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  return fallback;
}

/** True for keys whose values are secrets (never shown in rows or logs). */
export function isSecretKey(key: string): boolean {
  return /(token|secret|password|api_key|private)/i.test(key);
}

/** The mask shown for a secret the panel sent back. */
export const MASK = '••••••••';

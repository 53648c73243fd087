import { isIP } from 'node:net';
import { AppError } from '../../../shared/errors';
import { DbName, domainProblem, SystemUser } from '../../../shared/remote-names';

/**
 * Checks of the values a GhostCP create form sends, before anything reaches the panel (DESIGN.md rule 6): every
 * failure is VALIDATION with `field` naming the form field and "nothing was sent". Identifiers are strict
 * (letters, digits and a few separators); free text refuses control characters.
 */

/** A VALIDATION error for one form field. */
export function invalid(field: string, problem: string): AppError {
  return new AppError('VALIDATION', `${problem} Nothing was sent to GhostCP.`, { field });
}

function raw(values: Readonly<Record<string, unknown>>, key: string): unknown {
  const v = values[key];
  return v === '' ? undefined : v;
}

/** A required or optional string value (numbers are refused: a form sends strings). */
export function str(values: Readonly<Record<string, unknown>>, key: string, required: true): string;
export function str(values: Readonly<Record<string, unknown>>, key: string, required?: false): string | undefined;
export function str(values: Readonly<Record<string, unknown>>, key: string, required = false): string | undefined {
  const v = raw(values, key);
  if (v === undefined || v === null) {
    if (required) throw invalid(key, `The ${label(key)} is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(key, `The ${label(key)} must be text.`);
  return v;
}

/** An optional whole number within [min, max] (a form's text "10" is accepted). */
export function int(
  values: Readonly<Record<string, unknown>>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const v = raw(values, key);
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,12}$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(key, `The ${label(key)} is a whole number from ${min} to ${max}.`);
  }
  return n;
}

/** An optional checkbox (true/false, or "true"/"false"/"on"). */
export function bool(values: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const v = raw(values, key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'on' || v === '1') return true;
  if (v === 'false' || v === 'off' || v === '0') return false;
  throw invalid(key, `The ${label(key)} is yes or no.`);
}

/** One of a fixed set of values. */
export function oneOf<T extends string>(
  values: Readonly<Record<string, unknown>>,
  key: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const v = str(values, key) ?? fallback;
  if (v === undefined) throw invalid(key, `The ${label(key)} is required.`);
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalid(key, `The ${label(key)} is one of ${allowed.join(', ')}.`);
  }
  return v as T;
}

function label(key: string): string {
  return key.replace(/_/g, ' ');
}

/** A domain (IDN to punycode), as sites use it. */
export function domain(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'A domain is required.');
  const r = domainProblem(value);
  if ('problem' in r) throw invalid(field, r.problem);
  // domainProblem accepts what a browser would; a panel name must also be plain ASCII after conversion.
  if (!/^[a-z0-9.-]+$/.test(r.ascii)) throw invalid(field, 'Not a valid domain name.');
  return r.ascii;
}

/** A list of domains typed one per line or separated by commas/spaces (aliases, SAN names). */
export function domainList(values: Readonly<Record<string, unknown>>, key: string): string[] {
  const v = raw(values, key);
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/).filter((s) => s !== '') : null;
  if (items === null) throw invalid(key, `The ${label(key)} is a list of domains.`);
  if (items.length > 100) throw invalid(key, `At most 100 ${label(key)}.`);
  return items.map((d) => domain(d, key));
}

/** A GhostCP account name: it becomes a Linux user (useradd's rules, at most 32). */
export function username(value: unknown, field: string): string {
  const r = SystemUser.safeParse(value);
  if (!r.success || r.data !== value) {
    throw invalid(
      field,
      r.success ? 'A user name has no spaces around it.' : (r.error.issues[0]?.message ?? 'Not a valid user name.'),
    );
  }
  return r.data;
}

/** A database name (letters, digits, underscores; not a system name). */
export function dbName(value: unknown, field: string): string {
  const r = DbName.safeParse(value);
  if (!r.success || r.data !== value) {
    throw invalid(
      field,
      r.success
        ? 'A database name has no spaces around it.'
        : (r.error.issues[0]?.message ?? 'Not a valid database name.'),
    );
  }
  return r.data;
}

/** An e-mail address with a plain local part and a valid domain. */
export function email(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'An e-mail address is required.');
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  if (at <= 0 || !/^[A-Za-z0-9._+-]{1,64}$/.test(local) || local.startsWith('.') || local.includes('..')) {
    throw invalid(field, 'Not a valid e-mail address.');
  }
  return `${local}@${domain(value.slice(at + 1), field)}`;
}

/** The local part of a mailbox (info, support, first.last). */
export function mailbox(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/.test(value) || value.includes('..')) {
    throw invalid(field, 'A mailbox name has lower-case letters, digits and . _ - (not at either end).');
  }
  return value;
}

/** A password or key: 8 to 512 characters, no control characters (never shown back, never logged). */
export function secretValue(value: unknown, field: string, min = 8): string {
  if (typeof value !== 'string' || value.length < min || value.length > 512) {
    throw invalid(field, `The ${label(field)} has ${min} to 512 characters.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw invalid(field, `The ${label(field)} cannot contain control characters.`);
  return value;
}

/** A short identifier (template, package, job type, bucket region …). */
export function ident(value: unknown, field: string, re = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/): string {
  if (typeof value !== 'string' || !re.test(value)) {
    throw invalid(field, `The ${label(field)} has only letters, digits and _ . - (at most 63).`);
  }
  return value;
}

/** A display name (a person's or a backup's): letters, digits, spaces and . , ' - ( ), at most 100. */
export function displayName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[\p{L}\p{N}][\p{L}\p{N} .,'()-]{0,99}$/u.test(value) || value !== value.trim()) {
    throw invalid(field, `The ${label(field)} has letters, digits, spaces and . , ' ( ) - only (at most 100).`);
  }
  return value;
}

/** An IPv4 or IPv6 address. */
export function ip(value: unknown, field: string, family?: 4 | 6): string {
  const v = typeof value === 'string' ? isIP(value) : 0;
  if (v === 0 || (family !== undefined && v !== family)) {
    throw invalid(
      field,
      family === 6 ? 'Not an IPv6 address.' : family === 4 ? 'Not an IPv4 address.' : 'Not an IP address.',
    );
  }
  return value as string;
}

/** A panel id (GhostCP uses UUIDs; the loopback and older panels may use numbers). */
export function panelId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(value)) {
    throw invalid(field, 'Not a valid id.');
  }
  return value;
}

/** A cron schedule of five fields (digits, * , - /). */
export function cron(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^([0-9*,/-]{1,40} ){4}[0-9*,/-]{1,40}$/.test(value)) {
    throw invalid(field, 'A schedule is five cron fields, like 0 3 * * *.');
  }
  return value;
}

/** A DNS record name inside a zone: @, *, or labels (with _ for service records). */
export function recordName(value: unknown, field: string): string {
  if (
    typeof value !== 'string' ||
    !(
      value === '@' ||
      /^(\*\.)?([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/.test(value) ||
      value === '*'
    ) ||
    value.length > 253
  ) {
    throw invalid(field, 'A record name is @, * or lower-case labels separated by dots.');
  }
  return value;
}

/** DNS record types GhostCP takes. */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const;

/** A record value checked against its type (addresses, host names, TXT without control characters). */
export function recordValue(type: (typeof RECORD_TYPES)[number], value: unknown, field: string): string {
  if (type === 'A') return ip(value, field, 4);
  if (type === 'AAAA') return ip(value, field, 6);
  if (type === 'CNAME' || type === 'NS' || type === 'MX') return domain(value, field);
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    throw invalid(field, 'A record value is required (at most 2048 characters).');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid(field, 'A record value cannot contain control characters.');
  if (type === 'SRV' && !/^\d{1,5} \d{1,5} [a-z0-9.-]+\.?$/.test(value)) {
    throw invalid(field, 'An SRV value is "weight port target".');
  }
  if (type === 'CAA' && !/^\d{1,3} (issue|issuewild|iodef) "[^"]{0,255}"$/.test(value)) {
    throw invalid(field, 'A CAA value is like 0 issue "letsencrypt.org".');
  }
  return value;
}

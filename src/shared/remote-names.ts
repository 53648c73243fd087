import { z } from 'zod';

/**
 * Names that end up on a remote server: domains, database and user names, paths, ports and upstream URLs.
 * Validated at the contract, before anything is planned or sent (DESIGN.md rule 6; hestiacp #2055 is what a
 * domain like `test..com` does to a server that only quotes). Every remote argument is still quoted later.
 */

const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Converts a domain to its ASCII (punycode) form, lower-case, without a trailing dot, or returns a sentence
 * saying what is wrong. Uses WHATWG URL's IDNA mapping, present in both Node and the renderer.
 */
export function domainProblem(input: string): { ascii: string } | { problem: string } {
  const raw = input.trim().replace(/\.$/, '');
  if (raw === '') return { problem: 'A domain is required.' };
  if (/[\s/\\?#@:%*]/.test(raw)) return { problem: 'A domain has only letters, digits, hyphens and dots.' };
  if (raw.split('.').some((l) => l === '')) return { problem: 'A domain cannot have an empty label (two dots).' };
  let ascii: string;
  try {
    ascii = new URL(`http://${raw}/`).hostname;
  } catch {
    return { problem: 'Not a valid domain name.' };
  }
  if (ascii.length > 253) return { problem: 'A domain is at most 253 characters long.' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { problem: 'Use a full domain with a dot, like example.com.' };
  const bad = labels.find((l) => !LABEL_RE.test(l));
  if (bad !== undefined) {
    return bad.length > 63
      ? { problem: 'Each part of a domain is at most 63 characters.' }
      : { problem: `"${bad}" is not a valid part of a domain (letters, digits and inner hyphens only).` };
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return { problem: 'An IP address is not a domain.' };
  return { ascii };
}

/** A site's domain: IDN converted to punycode, LDH labels, no empty label, at most 253 characters. */
export const Domain = z.string().transform((s, ctx) => {
  const r = domainProblem(s);
  if ('problem' in r) {
    ctx.addIssue({ code: 'custom', message: r.problem });
    return z.NEVER;
  }
  return r.ascii;
});

/** Database engines the drivers know. */
export const DbEngine = z.enum(['mariadb', 'postgresql']);
export type DbEngine = z.infer<typeof DbEngine>;

const RESERVED_DB_NAMES = new Set([
  'mysql',
  'information_schema',
  'performance_schema',
  'sys',
  'postgres',
  'template0',
  'template1',
  'root',
  'admin',
]);

const DB_NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A database or database-user name valid on both engines without quoting surprises: lower-case letter first,
 * then letters, digits and underscores, at most 63 (PostgreSQL's NAMEDATALEN - 1; MariaDB users allow 80, but
 * the stricter rule keeps one message). System names are refused.
 */
function dbIdentifier(what: string) {
  return z
    .string()
    .trim()
    .refine((s) => s.length > 0, `A ${what} is required.`)
    .refine((s) => s.length <= 63, `A ${what} is at most 63 characters.`)
    .refine(
      (s) => s.length === 0 || s.length > 63 || DB_NAME_RE.test(s),
      `A ${what} starts with a lower-case letter and has only lower-case letters, digits and underscores.`,
    )
    .refine((s) => !RESERVED_DB_NAMES.has(s), `That ${what} is reserved by the database server.`);
}

export const DbName = dbIdentifier('database name');
export const DbUser = dbIdentifier('database user name');

/** A system user for a site: the Linux rules useradd applies (lower-case, at most 32). */
export const SystemUser = z
  .string()
  .trim()
  .regex(
    /^[a-z_][a-z0-9_-]{0,31}$/,
    'A system user starts with a lower-case letter or _, then lower-case letters, digits, _ or -, at most 32.',
  )
  .refine((s) => !['root', 'www-data', 'nobody', 'daemon', 'bin', 'sys'].includes(s), 'That user is a system account.');

const FORBIDDEN_ROOTS = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin'];
const FORBIDDEN_TREES = ['/sys', '/usr', '/proc', '/dev', '/boot', '/etc'];

/**
 * An absolute path on the server for a webroot or a file: plain characters only, no `.`/`..` segments, not a
 * system directory.
 */
export const RemotePath = z
  .string()
  .trim()
  .max(4096)
  .refine((p) => p.startsWith('/'), 'Use an absolute path (starting with /).')
  .refine((p) => /^[A-Za-z0-9._/@+-]+$/.test(p), 'A path may contain only letters, digits and . _ / @ + -')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'A path cannot contain . or .. parts.')
  .refine((p) => !p.includes('//'), 'A path cannot contain an empty part (//).')
  .transform((p) => (p.length > 1 ? p.replace(/\/$/, '') : p))
  .refine(
    (p) => !FORBIDDEN_ROOTS.includes(p) && !FORBIDDEN_TREES.some((t) => p === t || p.startsWith(`${t}/`)),
    'That is a system directory.',
  );

/** A TCP port for an upstream. */
export const UpstreamPort = z.number().int().min(1, 'A port is 1 to 65535.').max(65535, 'A port is 1 to 65535.');

/**
 * An upstream for a reverse proxy: an http(s) URL without credentials, query or fragment, with only safe
 * characters (it is written into an nginx config).
 */
export const UpstreamUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (s) => /^https?:\/\/[A-Za-z0-9.:[\]/_-]+$/.test(s),
    'Use an http:// or https:// address, like http://127.0.0.1:3000.',
  )
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.username === '' && u.password === '' && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'Not a valid address (no user:password@ part).');

/** PHP versions as the server names them (`8.2`). */
export const PhpVersion = z.string().regex(/^[5-9]\.\d{1,2}$/, 'A PHP version looks like 8.2.');

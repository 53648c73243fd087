import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { LoggedRequest } from './loopback-server';

/**
 * The CloudPanel stand-in's databases, users and certificates routes (see cloudpanel-api-server.ts), split from
 * the server so each file stays readable. Rows, validation and pagination shared by every route live here too.
 */

/** A site row of the stand-in. */
export interface SiteRow {
  id: number;
  domainName: string;
  type: string;
  rootDirectory: string;
  phpVersion: string | null;
  reverseProxyUrl: string | null;
  status: 'creating' | 'active' | 'deleting';
}
/** A database row with its users. */
export interface DbRow {
  id: number;
  name: string;
  siteId: number;
  users: { username: string }[];
  status: 'creating' | 'active';
}
/** A panel user row. */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  role: string;
  status: 'creating' | 'active';
}
/** A certificate row. */
export interface CertRow {
  id: number;
  siteId: number;
  domainName: string;
  type: 'letsencrypt' | 'custom';
  issuer: string;
  subject: string;
  sans: string[];
  notBefore: string;
  expiresAt: string;
  fingerprint?: string;
}

/** Everything the stand-in stores. */
export interface CloudPanelStore {
  readonly sites: SiteRow[];
  readonly databases: DbRow[];
  readonly users: UserRow[];
  readonly certificates: CertRow[];
}

const DB_NAME = /^[a-zA-Z0-9_]{1,64}$/;
const USER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** page/limit pagination (limit ≤ 100); without either parameter, everything at once as the seed shows. */
export function paginate<T>(req: LoggedRequest, rows: T[]): { items: T[]; pagination?: Record<string, number> } {
  if (!req.query.has('page') && !req.query.has('limit')) return { items: rows };
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const size = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 20) || 20));
  return {
    items: rows.slice((page - 1) * size, page * size),
    pagination: { page, limit: size, total: rows.length, pages: Math.ceil(rows.length / size) },
  };
}

/** The JSON object body of a request, or null. */
export function body(req: LoggedRequest): Record<string, unknown> | null {
  try {
    const v = JSON.parse(req.body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What a route needs from the server: the request, the store, and how to answer. Each answer returns true. */
export interface RouteContext {
  readonly req: LoggedRequest;
  readonly m: string;
  readonly id: string | undefined;
  readonly action: string | undefined;
  /** The path part after the action (`/databases/:id/users/:username`). */
  readonly sub: string | undefined;
  readonly admin: boolean;
  readonly store: CloudPanelStore;
  readonly effects: string[];
  readonly nextId: { site: number; db: number; user: number; cert: number; op: number };
  ok(status: number, b: unknown): true;
  bad(status: number, code: string, msg: string, details?: unknown): true;
  /** Queues an operation whose `apply` runs when the worker completes it (`undo` when it fails instead). */
  queue(type: string, data: Record<string, unknown>, apply: () => unknown, undo?: () => void): true;
}

type Fields = { field: string; message: string }[];

/** A custom certificate upload as CloudPanel's worker would check it: PEM parses, the key matches, the site is named. */
function checkUpload(b: Record<string, unknown>, domain: string | null, fields: Fields): X509Certificate | null {
  if (typeof b['certificate'] !== 'string' || typeof b['privateKey'] !== 'string') {
    fields.push({ field: 'certificate', message: 'certificate and privateKey are required' });
    return null;
  }
  let x: X509Certificate;
  try {
    x = new X509Certificate(b['certificate']);
  } catch {
    fields.push({ field: 'certificate', message: 'Not a PEM certificate' });
    return null;
  }
  try {
    if (!x.checkPrivateKey(createPrivateKey(b['privateKey']))) {
      fields.push({ field: 'privateKey', message: 'The private key does not match the certificate' });
    }
  } catch {
    fields.push({ field: 'privateKey', message: 'Not a PEM private key' });
  }
  if (domain !== null && x.checkHost(domain) === undefined) {
    fields.push({ field: 'certificate', message: `The certificate is not valid for ${domain}` });
  }
  return x;
}

/** A certificate row as the worker leaves it: Let's Encrypt (the stand-in names its issuer so) or the upload's facts. */
export function certificateRowOf(id: number, site: SiteRow, x: X509Certificate | null): CertRow {
  const now = Date.now();
  if (x === null) {
    return {
      id,
      siteId: site.id,
      domainName: site.domainName,
      type: 'letsencrypt',
      issuer: "Let's Encrypt (stand-in)",
      subject: `CN=${site.domainName}`,
      sans: [site.domainName],
      notBefore: new Date(now).toISOString(),
      expiresAt: new Date(now + 90 * 86_400_000).toISOString(),
    };
  }
  return {
    id,
    siteId: site.id,
    domainName: site.domainName,
    type: 'custom',
    issuer: x.issuer,
    subject: x.subject,
    sans: (x.subjectAltName ?? '')
      .split(/,\s*/)
      .filter((n) => n.startsWith('DNS:'))
      .map((n) => n.slice(4)),
    notBefore: new Date(x.validFrom).toISOString(),
    expiresAt: new Date(x.validTo).toISOString(),
    fingerprint: x.fingerprint256,
  };
}

function list(c: RouteContext, key: string, rows: unknown[]): true {
  const p = paginate(c.req, rows);
  return c.ok(200, { [key]: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
}

function routeDatabases(c: RouteContext): boolean {
  const { req, m, id, action, sub, effects, nextId } = c;
  const { sites, databases } = c.store;
  if (m === 'GET' && id === undefined) return list(c, 'databases', databases);
  if (m === 'POST' && id === undefined) {
    const b: Record<string, unknown> = body(req) ?? {};
    const rawUser = b['user'];
    const u: { username?: unknown; password?: unknown } | null =
      typeof rawUser === 'object' && rawUser !== null ? rawUser : null;
    const fields: Fields = [];
    if (typeof b['name'] !== 'string' || !DB_NAME.test(b['name']))
      fields.push({ field: 'name', message: 'Invalid database name' });
    if (!sites.some((s) => s.id === b['siteId'])) fields.push({ field: 'siteId', message: 'Site does not exist' });
    if (u !== null && (typeof u.username !== 'string' || !USER_NAME.test(u.username)))
      fields.push({ field: 'user.username', message: 'Invalid user name' });
    if (u !== null && (typeof u.password !== 'string' || u.password.length < 8))
      fields.push({ field: 'user.password', message: 'Password must be at least 8 characters' });
    if (fields.length > 0) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
    const name = b['name'] as string;
    if (databases.some((d) => d.name === name)) return c.bad(409, 'DATABASE_EXISTS', `Database ${name} already exists`);
    // Like a site, the database is listed at once as "creating" (a client can look up an ambiguous create).
    const row: DbRow = {
      id: nextId.db++,
      name,
      siteId: b['siteId'] as number,
      users: u ? [{ username: u.username as string }] : [],
      status: 'creating',
    };
    databases.push(row);
    return c.queue(
      'database.create',
      { name },
      () => {
        row.status = 'active';
        effects.push(`database.create ${name}`);
        return { databaseId: row.id };
      },
      () => databases.splice(databases.indexOf(row), 1),
    );
  }
  const row = id !== undefined ? databases.find((d) => d.id === Number(id)) : undefined;
  if (id !== undefined && !row) return c.bad(404, 'DATABASE_NOT_FOUND', `Database ${id} not found`);
  if (!row) return false;
  if (m === 'DELETE' && action === undefined) {
    return c.queue('database.delete', { id: row.id }, () => {
      databases.splice(databases.indexOf(row), 1);
      effects.push(`database.delete ${row.name}`);
      return null;
    });
  }
  if (action !== 'users') return false;
  if (m === 'GET' && sub === undefined) return list(c, 'users', row.users);
  if (m === 'POST' && sub === undefined) {
    const b: Record<string, unknown> = body(req) ?? {};
    const fields: Fields = [];
    if (typeof b['username'] !== 'string' || !USER_NAME.test(b['username']))
      fields.push({ field: 'username', message: 'Invalid user name' });
    if (typeof b['password'] !== 'string' || b['password'].length < 8)
      fields.push({ field: 'password', message: 'Password must be at least 8 characters' });
    if (fields.length > 0) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
    const username = b['username'] as string;
    if (row.users.some((x) => x.username === username))
      return c.bad(409, 'USER_EXISTS', `User ${username} already exists`);
    return c.queue('database.user.create', { database: row.id, username }, () => {
      row.users.push({ username });
      effects.push(`database.user.create ${row.name} ${username}`);
      return null;
    });
  }
  if (m === 'DELETE' && sub !== undefined) {
    const username = decodeURIComponent(sub);
    if (!row.users.some((x) => x.username === username))
      return c.bad(404, 'USER_NOT_FOUND', `User ${username} not found`);
    return c.queue('database.user.delete', { database: row.id, username }, () => {
      row.users = row.users.filter((x) => x.username !== username);
      effects.push(`database.user.delete ${row.name} ${username}`);
      return null;
    });
  }
  return false;
}

function routeUsers(c: RouteContext): boolean {
  const { req, m, id, admin, effects, nextId } = c;
  const { users } = c.store;
  if (!admin) return c.bad(403, 'FORBIDDEN', 'This endpoint requires an admin API key');
  if (m === 'GET' && id === undefined) return list(c, 'users', users);
  if (m === 'POST' && id === undefined) {
    const b: Record<string, unknown> = body(req) ?? {};
    const role = typeof b['role'] === 'string' ? b['role'] : 'user';
    const fields: Fields = [];
    if (typeof b['username'] !== 'string' || !USER_NAME.test(b['username']))
      fields.push({ field: 'username', message: 'Invalid user name' });
    if (typeof b['email'] !== 'string' || !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(b['email']))
      fields.push({ field: 'email', message: 'Invalid email' });
    if (!['admin', 'user', 'site-manager'].includes(role)) fields.push({ field: 'role', message: 'Invalid role' });
    if (fields.length > 0) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
    if (users.some((x) => x.username === b['username']))
      return c.bad(409, 'USER_EXISTS', `User ${String(b['username'])} already exists`);
    const row: UserRow = {
      id: nextId.user++,
      username: b['username'] as string,
      email: b['email'] as string,
      role,
      status: 'creating',
    };
    users.push(row);
    return c.queue(
      'user.create',
      { username: row.username },
      () => {
        row.status = 'active';
        effects.push(`user.create ${row.username}`);
        return { userId: row.id };
      },
      () => users.splice(users.indexOf(row), 1),
    );
  }
  if (m === 'DELETE' && id !== undefined) {
    const row = users.find((x) => x.id === Number(id));
    if (!row) return c.bad(404, 'USER_NOT_FOUND', `User ${id} not found`);
    return c.queue('user.delete', { id: row.id }, () => {
      users.splice(users.indexOf(row), 1);
      effects.push(`user.delete ${row.username}`);
      return null;
    });
  }
  return false;
}

function routeCertificates(c: RouteContext): boolean {
  const { req, m, id, action, effects, nextId } = c;
  const { sites, certificates } = c.store;
  if (m === 'GET' && id === undefined) return list(c, 'certificates', certificates);
  if (m === 'POST' && id === undefined) {
    const b: Record<string, unknown> = body(req) ?? {};
    const site = sites.find((s) => s.id === b['siteId']);
    const type = b['type'];
    const fields: Fields = [];
    if (!site) fields.push({ field: 'siteId', message: 'Site does not exist' });
    if (type !== 'letsencrypt' && type !== 'custom')
      fields.push({ field: 'type', message: 'Must be letsencrypt or custom' });
    const x = type === 'custom' ? checkUpload(b, site?.domainName ?? null, fields) : null;
    if (fields.length > 0 || !site) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
    return c.queue('certificate.install', { siteId: site.id, type: type }, () => {
      // The key is installed on the site and never listed back.
      const row = certificateRowOf(nextId.cert++, site, x);
      certificates.push(row);
      effects.push(`certificate.install ${site.domainName} ${row.type}`);
      return { certificateId: row.id };
    });
  }
  const row = id !== undefined ? certificates.find((x) => x.id === Number(id)) : undefined;
  if (id !== undefined && !row) return c.bad(404, 'CERTIFICATE_NOT_FOUND', `Certificate ${id} not found`);
  if (!row) return false;
  if (m === 'POST' && action === 'renew') {
    return c.queue('certificate.renew', { id: row.id }, () => {
      row.notBefore = new Date().toISOString();
      row.expiresAt = new Date(Date.now() + 90 * 86_400_000 + 1000).toISOString();
      effects.push(`certificate.renew ${row.id}`);
      return null;
    });
  }
  if (m === 'DELETE' && action === undefined) {
    return c.queue('certificate.delete', { id: row.id }, () => {
      certificates.splice(certificates.indexOf(row), 1);
      effects.push(`certificate.delete ${row.id}`);
      return null;
    });
  }
  return false;
}

/** Databases (with their users), users (admin key only) and certificates; false when the route is none of these. */
export function routeResources(c: RouteContext): boolean {
  const resource = c.req.path.split('/')[3];
  if (resource === 'databases') return routeDatabases(c);
  if (resource === 'users') return routeUsers(c);
  if (resource === 'certificates') return routeCertificates(c);
  return false;
}

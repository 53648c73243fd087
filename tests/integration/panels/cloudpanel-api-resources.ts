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
}
/** A panel user row. */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  role: string;
}
/** A certificate row. */
export interface CertRow {
  id: number;
  siteId: number;
  type: 'letsencrypt' | 'custom';
  expiresAt: string;
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
  readonly admin: boolean;
  readonly store: CloudPanelStore;
  readonly effects: string[];
  readonly nextId: { site: number; db: number; user: number; cert: number; op: number };
  ok(status: number, b: unknown): true;
  bad(status: number, code: string, msg: string, details?: unknown): true;
  /** Queues an operation whose `apply` runs when the worker completes it. */
  queue(type: string, data: Record<string, unknown>, apply: () => unknown): true;
}

/** Databases, users and certificates; false when the route is none of these. */
export function routeResources(c: RouteContext): boolean {
  const { req, m, id, action, admin, effects, nextId } = c;
  const { sites, databases, users, certificates } = c.store;
  const resource = req.path.split('/')[3];
  if (resource === 'databases') {
    if (m === 'GET' && id === undefined) {
      const p = paginate(req, databases);
      return c.ok(200, { databases: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
    }
    if (m === 'POST' && id === undefined) {
      const b: Record<string, unknown> = body(req) ?? {};
      const rawUser = b['user'];
      const u: { username?: unknown; password?: unknown } | null =
        typeof rawUser === 'object' && rawUser !== null ? rawUser : null;
      const fields: { field: string; message: string }[] = [];
      if (typeof b['name'] !== 'string' || !DB_NAME.test(b['name']))
        fields.push({ field: 'name', message: 'Invalid database name' });
      if (!sites.some((s) => s.id === b['siteId'])) fields.push({ field: 'siteId', message: 'Site does not exist' });
      if (u !== null && (typeof u.username !== 'string' || !USER_NAME.test(u.username)))
        fields.push({ field: 'user.username', message: 'Invalid user name' });
      if (u !== null && (typeof u.password !== 'string' || u.password.length < 8))
        fields.push({ field: 'user.password', message: 'Password must be at least 8 characters' });
      if (fields.length > 0) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
      const name = b['name'] as string;
      if (databases.some((d) => d.name === name))
        return c.bad(409, 'DATABASE_EXISTS', `Database ${name} already exists`);
      return c.queue('database.create', { name }, () => {
        const row: DbRow = {
          id: nextId.db++,
          name,
          siteId: b['siteId'] as number,
          users: u ? [{ username: u.username as string }] : [],
        };
        databases.push(row);
        effects.push(`database.create ${name}`);
        return { databaseId: row.id };
      });
    }
    if (m === 'DELETE' && id !== undefined) {
      const row = databases.find((d) => d.id === Number(id));
      if (!row) return c.bad(404, 'DATABASE_NOT_FOUND', `Database ${id} not found`);
      return c.queue('database.delete', { id: row.id }, () => {
        databases.splice(databases.indexOf(row), 1);
        effects.push(`database.delete ${row.name}`);
        return null;
      });
    }
  }

  if (resource === 'users') {
    if (!admin) return c.bad(403, 'FORBIDDEN', 'This endpoint requires an admin API key');
    if (m === 'GET' && id === undefined) {
      const p = paginate(req, users);
      return c.ok(200, { users: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
    }
    if (m === 'POST' && id === undefined) {
      const b: Record<string, unknown> = body(req) ?? {};
      const role = typeof b['role'] === 'string' ? b['role'] : 'user';
      const fields: { field: string; message: string }[] = [];
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
        role: role,
      };
      users.push(row);
      effects.push(`user.create ${row.username}`);
      return c.ok(201, { success: true, user: row });
    }
  }

  if (resource === 'certificates') {
    if (m === 'GET' && id === undefined) {
      const p = paginate(req, certificates);
      return c.ok(200, { certificates: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
    }
    if (m === 'POST' && id === undefined) {
      const b: Record<string, unknown> = body(req) ?? {};
      const site = sites.find((s) => s.id === b['siteId']);
      const type = b['type'];
      const fields: { field: string; message: string }[] = [];
      if (!site) fields.push({ field: 'siteId', message: 'Site does not exist' });
      if (type !== 'letsencrypt' && type !== 'custom')
        fields.push({ field: 'type', message: 'Must be letsencrypt or custom' });
      if (type === 'custom' && (typeof b['certificate'] !== 'string' || typeof b['privateKey'] !== 'string'))
        fields.push({ field: 'certificate', message: 'certificate and privateKey are required' });
      if (fields.length > 0 || !site) return c.bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
      return c.queue('certificate.install', { siteId: site.id }, () => {
        const row: CertRow = {
          id: nextId.cert++,
          siteId: site.id,
          type: type as CertRow['type'],
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        };
        certificates.push(row);
        effects.push(`certificate.install ${site.domainName}`);
        return { certificateId: row.id };
      });
    }
    if (m === 'POST' && id !== undefined && action === 'renew') {
      const row = certificates.find((c) => c.id === Number(id));
      if (!row) return c.bad(404, 'CERTIFICATE_NOT_FOUND', `Certificate ${id} not found`);
      return c.queue('certificate.renew', { id: row.id }, () => {
        row.expiresAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
        effects.push(`certificate.renew ${row.id}`);
        return null;
      });
    }
  }
  return false;
}

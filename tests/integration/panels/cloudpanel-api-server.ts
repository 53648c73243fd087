import type http from 'node:http';
import {
  body,
  certificateRowOf,
  paginate,
  routeResources,
  type CertRow,
  type CloudPanelStore,
  type DbRow,
  type SiteRow,
  type UserRow,
} from './cloudpanel-api-resources';
import {
  InjectedFailures,
  LostAnswers,
  sendJson,
  startLoopback,
  Throttle,
  type LoggedRequest,
  type LoopbackServer,
} from './loopback-server';

/**
 * A loopback CloudPanel API server written from the seed document (../shared/seeds/cloudpanel-api.md): X-API-Key
 * auth (admin and user keys), sites, databases with their users, users (admin key only), certificates, queued
 * operations (POST → 202 {operation_id}; GET /api/v1/operations/:id moves pending → running → completed or
 * failed over polls, like the queue worker), 100 requests per 15 minutes per client with X-RateLimit-* headers,
 * and the documented error envelope {error, code, details}.
 *
 * `deviations: true` answers like the public implementation instead: 200 {success, operation:{id,type,status}}
 * for queued writes, and errors as {success:false, error:"msg"} or {success:false, error:{code,message,details}}
 * (`errorStyle` picks which). What the seed leaves open is chosen here and said so: lists take page/limit and
 * answer a `pagination` object; a queued site shows in the list as status "creating" until its operation ends
 * (so a client can look up whether an ambiguous create took effect), and so are databases and users; every
 * DELETE is queued too. Database users: POST /api/v1/databases/:id/users (the public code's route) and
 * DELETE /api/v1/databases/:id/users/:username. Certificates: POST /api/v1/certificates {siteId, type:"letsencrypt"}
 * or {siteId, type:"custom", certificate, privateKey, chain} (checked: PEM, key matches, names the site; the key is
 * never listed back), POST /api/v1/certificates/:id/renew, DELETE /api/v1/certificates/:id. Users, databases and
 * database users follow the public code in refusing nothing to a user key except /api/v1/users (403).
 */
export interface CloudPanelServerOptions {
  readonly deviations?: boolean;
  readonly adminKey?: string;
  readonly userKey?: string;
  /** Default 100 requests per 15 minutes. */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number };
  /** Polls of an operation before it ends (pending, running…, then completed/failed). Default 3. */
  readonly pollsToFinish?: number;
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Error envelope styles: the seed's, and the two of the public code. */
export type CloudPanelErrorStyle = 'documented' | 'string' | 'object';

interface OperationRow {
  id: number;
  type: string;
  data: Record<string, unknown>;
  status: 'pending' | 'running' | 'completed' | 'failed';
  polls: number;
  error: string | null;
  result: unknown;
  fail: string | null;
  apply: () => unknown;
  undo: (() => void) | null;
}

/** The running server, its state and its test hooks. */
export interface CloudPanelServer {
  readonly url: string;
  readonly port: number;
  /** Every request, in order, with its answer's status. */
  readonly log: LoggedRequest[];
  /** Every change the queue worker made ("site.create example.com"): one per accepted create. */
  readonly effects: string[];
  readonly sites: SiteRow[];
  errorStyle: CloudPanelErrorStyle;
  /** Adds `n` ready sites (site-0001.example.com …). */
  seedSites(n: number): void;
  /** Adds `n` ready databases (db_0001 …, each with a user u_0001 …) under the first site (made when none). */
  seedDatabases(n: number): void;
  /** Adds `n` ready panel users (user0001 …). */
  seedUsers(n: number): void;
  /** Adds `n` Let's Encrypt certificates, one per site, making sites where there are too few. */
  seedCertificates(n: number): void;
  readonly databases: DbRow[];
  readonly users: UserRow[];
  readonly certificates: CertRow[];
  /** The next queued operation of `type` ends failed with `message` (the worker's error). */
  failNextOperation(type: string, message: string): void;
  /** The next `times` requests matching method and path prefix answer `status` (a flaky proxy in front). */
  failNext(method: string, pathPrefix: string, status: number, times?: number): void;
  /** The next request matching method and path prefix is carried out, then its answer is lost (socket dropped). */
  loseAnswerNext(method: string, pathPrefix: string): void;
  /** From now on, every request is refused with 429 for `ms` (Retry-After = ceil(ms / 1000)). */
  throttleFor(ms: number): void;
  /** Swaps the TLS certificate (HTTPS only). */
  setCert(tls: { key: string; cert: string }): void;
  close(): Promise<void>;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const TYPES = new Set(['php', 'nodejs', 'python', 'static', 'reverse-proxy']);

/** Starts the CloudPanel API stand-in on 127.0.0.1 (HTTPS when `tls` is given). */
export async function startCloudPanelServer(opts: CloudPanelServerOptions = {}): Promise<CloudPanelServer> {
  const adminKey = opts.adminKey ?? 'cp_admin_test_key';
  const userKey = opts.userKey ?? 'cp_user_test_key';
  const limit = opts.rateLimit ?? { max: 100, windowMs: 15 * 60_000 };
  const pollsToFinish = opts.pollsToFinish ?? 3;
  const sites: SiteRow[] = [];
  const databases: DbRow[] = [];
  const users: UserRow[] = [{ id: 1, username: 'admin', email: 'admin@example.com', role: 'admin', status: 'active' }];
  const certificates: CertRow[] = [];
  const operations = new Map<number, OperationRow>();
  const effects: string[] = [];
  const failOps = new Map<string, string>();
  const failures = new InjectedFailures();
  const losses = new LostAnswers();
  const throttle = new Throttle();
  let window = { start: Date.now(), count: 0 };
  const nextId = { site: 1, db: 1, user: 2, cert: 1, op: 1 };
  const store: CloudPanelStore = { sites, databases, users, certificates };

  const state = { errorStyle: (opts.deviations ? 'string' : 'documented') as CloudPanelErrorStyle };

  function error(
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers = {},
  ) {
    const style = state.errorStyle;
    const body =
      style === 'documented'
        ? { error: message, code, ...(details !== undefined ? { details } : {}) }
        : style === 'string'
          ? { success: false, error: message }
          : { success: false, error: { code, message, details: details ?? {} } };
    sendJson(res, status, body, headers);
  }

  function queued(
    res: http.ServerResponse,
    type: string,
    data: Record<string, unknown>,
    apply: () => unknown,
    headers: Record<string, string | number>,
    undo: (() => void) | null = null,
  ): true {
    const id = nextId.op++;
    const op: OperationRow = {
      id,
      type,
      data,
      status: 'pending',
      polls: 0,
      error: null,
      result: null,
      fail: failOps.get(type) ?? null,
      apply,
      undo,
    };
    failOps.delete(type);
    operations.set(id, op);
    if (opts.deviations) sendJson(res, 200, { success: true, operation: { id, type, status: 'pending' } }, headers);
    else sendJson(res, 202, { success: true, operation_id: id, message: 'Operation queued' }, headers);
    return true;
  }

  /** The queue worker, run by polls: one poll moves an operation one step. */
  function advance(op: OperationRow): void {
    if (op.status === 'completed' || op.status === 'failed') return;
    op.polls++;
    if (op.polls >= pollsToFinish) {
      if (op.fail !== null) {
        op.status = 'failed';
        op.error = op.fail;
        rollbackPending(op);
      } else {
        op.status = 'completed';
        op.result = op.apply();
      }
    } else op.status = op.polls === 1 ? 'pending' : 'running';
  }

  function rollbackPending(op: OperationRow): void {
    op.undo?.();
    if (op.type === 'site.create') {
      const i = sites.findIndex((s) => s.domainName === op.data['domainName'] && s.status === 'creating');
      if (i >= 0) sites.splice(i, 1);
    }
    if (op.type === 'site.delete') {
      const s = sites.find((x) => x.id === op.data['id']);
      if (s) s.status = 'active';
    }
  }

  function handle(req: LoggedRequest, res: http.ServerResponse): unknown {
    // Do the work, then drop the connection instead of answering (a proxy or network failure after the fact).
    losses.apply(req, res);
    const now = Date.now();
    const throttled = throttle.retryAfter(now);
    if (throttled !== null) {
      error(res, 429, 'RATE_LIMIT_EXCEEDED', 'Too many requests, please try again later.', undefined, {
        'retry-after': throttled,
      });
      return;
    }
    if (now - window.start >= limit.windowMs) window = { start: now, count: 0 };
    window.count++;
    const resetAt = window.start + limit.windowMs;
    const rl = {
      'x-ratelimit-limit': limit.max,
      'x-ratelimit-remaining': Math.max(0, limit.max - window.count),
      'x-ratelimit-reset': Math.ceil(resetAt / 1000),
    };
    if (window.count > limit.max) {
      error(res, 429, 'RATE_LIMIT_EXCEEDED', 'Too many requests, please try again later.', undefined, {
        ...rl,
        'retry-after': Math.max(1, Math.ceil((resetAt - now) / 1000)),
      });
      return;
    }
    const f = failures.take(req);
    if (f) {
      error(res, f.status, 'UPSTREAM_ERROR', `Upstream answered ${f.status}`, undefined, rl);
      return;
    }
    const key = req.headers['x-api-key'];
    if (key !== adminKey && key !== userKey) {
      error(res, 401, 'INVALID_API_KEY', key === undefined ? 'API key is required' : 'Invalid API key', undefined, rl);
      return;
    }
    const admin = key === adminKey;
    const ok = (status: number, b: unknown): true => {
      sendJson(res, status, b, rl);
      return true;
    };
    const bad = (status: number, code: string, msg: string, details?: unknown): true => {
      error(res, status, code, msg, details, rl);
      return true;
    };
    const parts = req.path.replace(/\/+$/, '').split('/').slice(1); // ['api','v1',resource,id?,action?]
    if (parts[0] !== 'api' || parts[1] !== 'v1') return bad(404, 'NOT_FOUND', 'Route not found');
    const [resource, id, action, sub] = [parts[2], parts[3], parts[4], parts[5]];
    const m = req.method;

    if (resource === 'operations' && m === 'GET' && id !== undefined) {
      const op = operations.get(Number(id));
      if (!op) return bad(404, 'OPERATION_NOT_FOUND', `Operation ${id} not found`);
      advance(op);
      return ok(200, {
        success: true,
        data: { id: op.id, type: op.type, status: op.status, error: op.error, result: op.result },
      });
    }

    if (resource === 'sites') {
      if (m === 'GET' && id === undefined) {
        const p = paginate(req, sites);
        return ok(200, { sites: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
      }
      if (m === 'POST' && id === undefined) {
        const b = body(req);
        if (b === null) return bad(400, 'INVALID_JSON', 'Request body must be a JSON object');
        const fields: { field: string; message: string }[] = [];
        const domainName = typeof b['domainName'] === 'string' ? b['domainName'] : '';
        if (!DOMAIN.test(domainName)) fields.push({ field: 'domainName', message: 'Must be a valid domain name' });
        const type = typeof b['type'] === 'string' ? b['type'] : '';
        if (!TYPES.has(type))
          fields.push({ field: 'type', message: 'Must be one of php, nodejs, python, static, reverse-proxy' });
        if (type === 'reverse-proxy' && typeof b['reverseProxyUrl'] !== 'string')
          fields.push({ field: 'reverseProxyUrl', message: 'Is required for reverse-proxy sites' });
        if (fields.length > 0) return bad(422, 'VALIDATION_ERROR', 'Validation failed', { fields });
        if (sites.some((s) => s.domainName === domainName)) {
          return bad(409, 'SITE_EXISTS', `Site ${domainName} already exists`);
        }
        const row: SiteRow = {
          id: nextId.site++,
          domainName,
          type,
          rootDirectory: typeof b['rootDirectory'] === 'string' ? b['rootDirectory'] : `/home/clp/htdocs/${domainName}`,
          phpVersion: type === 'php' ? (typeof b['phpVersion'] === 'string' ? b['phpVersion'] : '8.2') : null,
          reverseProxyUrl: typeof b['reverseProxyUrl'] === 'string' ? b['reverseProxyUrl'] : null,
          status: 'creating',
        };
        sites.push(row);
        return queued(
          res,
          'site.create',
          { domainName },
          () => {
            row.status = 'active';
            effects.push(`site.create ${domainName}`);
            return { siteId: row.id };
          },
          rl,
        );
      }
      if (m === 'DELETE' && id !== undefined) {
        const row = sites.find((s) => s.id === Number(id));
        if (!row) return bad(404, 'SITE_NOT_FOUND', `Site ${id} not found`);
        row.status = 'deleting';
        return queued(
          res,
          'site.delete',
          { id: row.id },
          () => {
            sites.splice(sites.indexOf(row), 1);
            for (let i = databases.length - 1; i >= 0; i--) if (databases[i]?.siteId === row.id) databases.splice(i, 1);
            effects.push(`site.delete ${row.domainName}`);
            return null;
          },
          rl,
        );
      }
    }

    if (
      routeResources({
        req,
        m,
        id,
        action,
        sub,
        admin,
        store,
        effects,
        nextId,
        ok,
        bad,
        queue: (type, data, apply, undo) => queued(res, type, data, apply, rl, undo ?? null),
      })
    )
      return;
    return bad(404, 'NOT_FOUND', `Route ${m} ${req.path} not found`);
  }

  function seedSites(n: number): void {
    for (let i = 0; i < n; i++) {
      const id = nextId.site++;
      const domainName = `site-${String(id).padStart(4, '0')}.example.com`;
      sites.push({
        id,
        domainName,
        type: 'php',
        rootDirectory: `/home/clp/htdocs/${domainName}`,
        phpVersion: '8.2',
        reverseProxyUrl: null,
        status: 'active',
      });
    }
  }

  const server: LoopbackServer = await startLoopback((req, res) => {
    handle(req, res);
  }, opts.tls);
  return {
    url: server.url,
    port: server.port,
    log: server.log,
    effects,
    sites,
    databases,
    users,
    certificates,
    get errorStyle() {
      return state.errorStyle;
    },
    set errorStyle(s: CloudPanelErrorStyle) {
      state.errorStyle = s;
    },
    seedSites,
    seedDatabases(n) {
      if (sites.length === 0) seedSites(1);
      const siteId = (sites[0] as SiteRow).id;
      for (let i = 0; i < n; i++) {
        const id = nextId.db++;
        const tag = String(id).padStart(4, '0');
        databases.push({ id, name: `db_${tag}`, siteId, users: [{ username: `u_${tag}` }], status: 'active' });
      }
    },
    seedUsers(n) {
      for (let i = 0; i < n; i++) {
        const id = nextId.user++;
        const username = `user${String(id).padStart(4, '0')}`;
        users.push({ id, username, email: `${username}@example.com`, role: 'user', status: 'active' });
      }
    },
    seedCertificates(n) {
      if (sites.length < n) seedSites(n - sites.length);
      for (let i = 0; i < n; i++) certificates.push(certificateRowOf(nextId.cert++, sites[i] as SiteRow, null));
    },
    failNextOperation(type, message) {
      failOps.set(type, message);
    },
    failNext: failures.next,
    loseAnswerNext: losses.next,
    throttleFor: throttle.for,
    setCert: (tls) => server.setCert(tls),
    close: () => server.close(),
  };
}

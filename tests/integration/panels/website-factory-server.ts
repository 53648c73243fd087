import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import {
  InjectedFailures,
  LostAnswers,
  RateWindows,
  sendJson,
  startLoopback,
  Throttle,
  type LoggedRequest,
} from './loopback-server';
import { routeCredentials } from './website-factory-credentials';
import { routeMonitoring, routeSites } from './website-factory-routes';
import { seeders } from './website-factory-seeds';
import { newId, type RouteCtx, type WfStore } from './website-factory-state';

/**
 * A loopback Website Factory Management Hub written from the seed document (../shared/seeds/website-factory-api.md):
 * form-encoded /auth/token issuing HS256 JWTs (expiry configurable), /auth/me, /auth/refresh (takes a still-valid
 * token), /auth/change-password; sites with limit/offset (1-100) and every documented filter, simple, stats,
 * create, bulk, patch, delete, retry; workflows (trigger, executions, stats, per site, failed, retrying, retry);
 * system health, alerts (acknowledge, resolve), health-check, processing status; the four credential stores and
 * the JSON Cloudflare bulk import; the documented error envelopes (`{detail: "…"}`, 422 `{detail: [{loc, msg,
 * type}]}`); and the documented rate limits (general 100, bulk 10 per minute per user; auth 20 per minute per IP)
 * with X-RateLimit-* headers and 429 + Retry-After.
 *
 * What the seed leaves open is chosen here: responses are 200; a duplicate domain is a 400; a bulk request takes
 * at most `bulkMaxRows` rows (100) and reports row errors as `{row, domain, error}`; the multipart Cloudflare
 * import is not served (PanelDeck uses the JSON one). `deviations: true` answers like the public FastAPI code
 * instead: a bad domain is pydantic's 422 list rather than the documented 400 string, bulk row errors are
 * sentences ("Error creating site x: …"), no X-RateLimit-* headers (slowapi's default) and its 429 body
 * `{error: "Rate limit exceeded: …"}`, an unhandled 500 is text/plain "Internal Server Error", and credential
 * lists also return the registrar api_key and the infrastructure password.
 */
export interface WebsiteFactoryServerOptions {
  readonly deviations?: boolean;
  readonly username?: string;
  readonly password?: string;
  /** A second user who may read but not write (403 "Not enough permissions"). */
  readonly viewer?: { readonly username: string; readonly password: string };
  /** Access token lifetime. Default 30 minutes. */
  readonly tokenTtlMs?: number;
  readonly limits?: Partial<Record<'general' | 'bulk' | 'auth', { max: number; windowMs: number }>>;
  readonly bulkMaxRows?: number;
  /** Serve HTTPS with this certificate (a self-signed panel). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** The running hub, its state and its test hooks. */
export interface WebsiteFactoryServer {
  readonly url: string;
  readonly port: number;
  /** Every request, in order, with its answer's status. */
  readonly log: LoggedRequest[];
  readonly store: WfStore;
  /** Moves the hub's clock (tokens issued before expire when it passes their exp). */
  advanceClock(ms: number): void;
  /** The next `times` requests matching method and path prefix answer `status`. */
  failNext(method: string, pathPrefix: string, status: number, times?: number): void;
  /** The next request matching method and path prefix is carried out, then its answer is lost. */
  loseAnswerNext(method: string, pathPrefix: string): void;
  /** Every request is refused with 429 for `ms` (Retry-After = ceil(ms / 1000)). */
  throttleFor(ms: number): void;
  /** Refuses every bearer token (sign-in still works): a 401 that re-login cannot fix. */
  rejectTokens(on: boolean): void;
  /** Swaps the TLS certificate (HTTPS only). */
  setCert(tls: { key: string; cert: string }): void;
  seedSites(n: number, extra?: (i: number) => Partial<WfStore['sites'][number]>): void;
  seedExecutions(n: number): void;
  seedAlerts(n: number): void;
  seedCredentials(n: number): void;
  close(): Promise<void>;
}

type Bucket = 'general' | 'bulk' | 'auth';

const DEFAULT_LIMITS: Record<Bucket, { max: number; windowMs: number }> = {
  general: { max: 100, windowMs: 60_000 },
  bulk: { max: 10, windowMs: 60_000 },
  auth: { max: 20, windowMs: 60_000 },
};

/** Starts the Website Factory hub stand-in on 127.0.0.1. */
export async function startWebsiteFactoryServer(opts: WebsiteFactoryServerOptions = {}): Promise<WebsiteFactoryServer> {
  const deviations = opts.deviations ?? false;
  const users = new Map<string, { password: string; id: string; writer: boolean }>([
    [opts.username ?? 'operator', { password: opts.password ?? 'hub-password-1', id: newId(), writer: true }],
  ]);
  if (opts.viewer) users.set(opts.viewer.username, { password: opts.viewer.password, id: newId(), writer: false });
  const key = randomBytes(32);
  const ttl = opts.tokenTtlMs ?? 30 * 60_000;
  const limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const store: WfStore = {
    sites: [],
    executions: [],
    alerts: [],
    servers: [],
    registrars: [],
    infrastructure: [],
    cloudflare: [],
    effects: [],
  };
  const windows = new RateWindows();
  const failures = new InjectedFailures();
  const losses = new LostAnswers();
  const throttle = new Throttle();
  let rejectAll = false;

  const issue = (username: string): Promise<string> =>
    new SignJWT({ sub: username, jti: newId() })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(now() / 1000))
      .setExpirationTime(Math.floor((now() + ttl) / 1000))
      .sign(key);

  async function bearer(req: LoggedRequest): Promise<string | null> {
    const h = req.headers.authorization;
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return null;
    if (rejectAll) return '';
    try {
      const { payload } = await jwtVerify(h.slice(7), key, { currentDate: new Date(now()) });
      return typeof payload.sub === 'string' && users.has(payload.sub) ? payload.sub : '';
    } catch {
      return '';
    }
  }

  function userInfo(name: string) {
    return { id: users.get(name)?.id, username: name, email: `${name}@example.com`, is_active: true };
  }

  /** Counts the request in its bucket; the headers to send, or null after answering 429. */
  function limited(res: http.ServerResponse, bucket: Bucket, who: string): Record<string, string | number> | null {
    const lim = limits[bucket];
    const hit = windows.hit(`${bucket}:${who}`, lim.max, lim.windowMs);
    const headers: Record<string, string | number> = deviations ? {} : { ...hit.headers };
    if (!hit.over) return headers;
    const retryAfter = hit.retryAfter;
    const minute = lim.windowMs === 60_000 ? '1 minute' : `${lim.windowMs / 1000} seconds`;
    sendJson(
      res,
      429,
      deviations ? { error: `Rate limit exceeded: ${lim.max} per ${minute}` } : { detail: 'Rate limit exceeded' },
      { ...headers, 'retry-after': retryAfter },
    );
    return null;
  }

  async function handle(req: LoggedRequest, res: http.ServerResponse): Promise<void> {
    // Do the work, then drop the connection instead of answering (a proxy or network failure after the fact).
    losses.apply(req, res);
    const throttled = throttle.retryAfter();
    if (throttled !== null) {
      sendJson(res, 429, deviations ? { error: 'Rate limit exceeded' } : { detail: 'Rate limit exceeded' }, {
        'retry-after': throttled,
      });
      return;
    }
    const f = failures.take(req);
    if (f) {
      if (f.status === 500 && deviations) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error');
      } else if (f.status === 500) sendJson(res, 500, { detail: 'Internal server error' });
      else {
        // 502/503/504 come from the proxy in front, as text.
        res.writeHead(f.status, { 'content-type': 'text/plain' });
        res.end(
          `${f.status} ${f.status === 502 ? 'Bad Gateway' : f.status === 503 ? 'Service Unavailable' : 'Gateway Timeout'}`,
        );
      }
      return;
    }
    const parts = req.path.split('/').filter((p) => p !== '');
    const m = req.method;
    const ip = '127.0.0.1';
    if (m === 'GET' && parts.length === 0) {
      sendJson(res, 200, { message: 'Website Factory Management Hub API', version: '1.0.0' });
      return;
    }
    if (m === 'GET' && req.path === '/health') {
      sendJson(res, 200, { status: 'healthy', database: 'connected' });
      return;
    }
    if (m === 'GET' && req.path === '/debug/cloudflare-count') {
      const accounts = store.cloudflare.map((a) => ({
        id: a.id,
        email: a['email'],
        nickname: a['account_nickname'],
        has_account_id: Boolean(a['cloudflare_account_id']),
      }));
      sendJson(res, 200, { count: accounts.length, accounts });
      return;
    }
    const unauthorized = (detail: string, h: Record<string, string | number> = {}) =>
      sendJson(res, 401, { detail }, { ...h, 'www-authenticate': 'Bearer' });
    if (m === 'POST' && req.path === '/auth/token') {
      const h = limited(res, 'auth', ip);
      if (h === null) return;
      const form = new URLSearchParams(req.body);
      const name = form.get('username') ?? '';
      const u = users.get(name);
      if (!String(req.headers['content-type']).includes('application/x-www-form-urlencoded')) {
        sendJson(res, 422, { detail: [{ loc: ['body', 'username'], msg: 'Field required', type: 'missing' }] }, h);
        return;
      }
      if (!u || u.password !== form.get('password')) return unauthorized('Incorrect username or password', h);
      sendJson(res, 200, { access_token: await issue(name), token_type: 'bearer', user: userInfo(name) }, h);
      return;
    }
    const who = await bearer(req);
    if (who === null) return unauthorized('Not authenticated');
    if (who === '') return unauthorized('Could not validate credentials');
    const bucket: Bucket =
      parts[0] === 'auth'
        ? 'auth'
        : (m === 'POST' && req.path === '/sites/bulk') || req.path.startsWith('/api/v1/credentials/cloudflare/bulk')
          ? 'bulk'
          : 'general';
    const headers = limited(res, bucket, bucket === 'auth' ? ip : who);
    if (headers === null) return;
    let answered = false;
    const ctx: RouteCtx = {
      req,
      res,
      parts,
      store,
      deviations,
      bulkMaxRows: opts.bulkMaxRows ?? 100,
      now,
      ok(body, status = 200) {
        answered = true;
        sendJson(res, status, body, headers);
        return true;
      },
      fail(status, detail) {
        answered = true;
        sendJson(res, status, { detail }, headers);
        return true;
      },
      invalid(items) {
        answered = true;
        const detail = items.map((i) =>
          deviations
            ? { ...i, url: `https://errors.pydantic.dev/2.5/v/${i.type}` }
            : { loc: i.loc, msg: i.msg, type: i.type },
        );
        sendJson(res, 422, { detail }, headers);
        return true;
      },
    };
    if (m === 'GET' && req.path === '/auth/me') {
      ctx.ok(userInfo(who));
      return;
    }
    if (m === 'POST' && req.path === '/auth/refresh') {
      ctx.ok({ access_token: await issue(who), token_type: 'bearer' });
      return;
    }
    if (m !== 'GET' && !users.get(who)?.writer) {
      ctx.fail(403, 'Not enough permissions');
      return;
    }
    if (m === 'POST' && req.path === '/auth/change-password') {
      const b = JSON.parse(req.body || '{}') as Record<string, unknown>;
      const u = users.get(who);
      if (!u || b['current_password'] !== u.password) ctx.fail(400, 'Incorrect password');
      else {
        u.password = String(b['new_password']);
        ctx.ok({ message: 'Password changed successfully' });
      }
      return;
    }
    if (m === 'GET' && req.path === '/debug/test-internal-network') {
      ctx.ok({ network_test: 'passed', internal_services: { database: 'accessible', external_apis: 'accessible' } });
      return;
    }
    if (routeSites(ctx) || routeMonitoring(ctx) || routeCredentials(ctx) || answered) return;
    ctx.fail(404, 'Not Found');
  }

  const server = await startLoopback(handle, opts.tls);
  return {
    url: server.url,
    port: server.port,
    log: server.log,
    store,
    advanceClock(ms) {
      offset += ms;
    },
    failNext: failures.next,
    loseAnswerNext: losses.next,
    throttleFor: throttle.for,
    rejectTokens(on) {
      rejectAll = on;
    },
    ...seeders(store, now),
    setCert: (tls) => server.setCert(tls),
    close: () => server.close(),
  };
}

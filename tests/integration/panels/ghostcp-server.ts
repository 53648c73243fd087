import crypto from 'node:crypto';
import type http from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import { body, GhostStore, signingKey, type Answer, type Row } from './ghostcp-store';
import { seedRows, type SeedKind } from './ghostcp-seed';
import { totpValid } from './ghostcp-totp';
import { makeAnswers, resourceRoute } from './ghostcp-routes';
import {
  InjectedFailures,
  LostAnswers,
  RateWindows,
  sendJson,
  startLoopback,
  Throttle,
  type LoggedRequest,
  type LoopbackServer,
} from './loopback-server';

/**
 * A loopback GhostCP API written from the seed document (../shared/seeds/ghostcp-api.md): JWT sign-in with an
 * optional TOTP code, refresh, `me`, users (page/limit ≤ 100, role and search filters, create, update, delete),
 * web domains, DNS zones and records, mail domains and accounts, databases, SSL certificates (request, renew),
 * system jobs (filters, a worker that moves a job one step per job-list request, output in `output_log`) and
 * backup configurations (storage keys and repository passwords taken, never shown back); every list answers
 * `{<items>, total, page, limit, pages}`; errors are `{error, status, details}`; the documented rate limits
 * (authentication 5, users 60, the rest 1000 a minute) with X-RateLimit-* headers and 429 + Retry-After.
 *
 * What the seed leaves open is chosen here and said so: a 2FA account without a code gets 401 with
 * `details.two_factor_required`; 422 `details` maps field → message; refresh is POST /auth/refresh {token} and
 * me is GET /auth/me (both from the public code); DELETE /<resource>/<id> exists for every resource (RESTful)
 * and answers 204; a non-admin token gets 403 on /users.
 *
 * `deviations: true` answers like the public implementation (CK-Technology/GhostCP, api/src) instead: the
 * login field is `totp_code` and every refused sign-in or token is a bare 401 without a body; no `expires_at`;
 * creates answer 200; there is no DELETE route (405, empty) and no rate limiter; PUT /users/:id answers the
 * unchanged user; web domains, mail, databases, SSL, jobs and backups are placeholders answering 200
 * `{"message": "… - TODO"}`; DNS lists have no `pages`, records default to 50 a page (max 200); 422s carry no
 * field details.
 */
export interface GhostCpServerOptions {
  readonly deviations?: boolean;
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Token lifetime in seconds. Default 3600. */
  readonly tokenTtlSec?: number;
  /** Requests per minute: authentication, users, everything else. Defaults 5, 60, 1000 (the seed). */
  readonly rateLimits?: { readonly auth?: number; readonly users?: number; readonly general?: number };
  /** Job-list requests a job takes from pending to its end. Default 4. */
  readonly jobSteps?: number;
}

/** The accounts every loopback GhostCP starts with. */
export const GHOST_ACCOUNTS = {
  admin: { username: 'admin', password: 'admin-password-1' },
  otp: { username: 'secure', password: 'secure-password-1', totpSecret: 'JBSWY3DPEHPK3PXP-test' },
  user: { username: 'viewer', password: 'viewer-password-1' },
} as const;

/** The running server, its state and its test hooks. */
export interface GhostCpServer {
  readonly url: string;
  readonly port: number;
  readonly log: LoggedRequest[];
  readonly store: GhostStore;
  /** Every change that took effect (one per accepted create). */
  readonly effects: string[];
  /** Moves the panel's clock (token expiry is judged by it). */
  advanceClock(ms: number): void;
  /** The panel's clock now (ms). */
  now(): number;
  seed(kind: SeedKind, count: number, parent?: Row): Row[];
  failNextJob(type: string, message: string): void;
  /** The next `times` requests matching method and path prefix answer `status` (a flaky proxy or database). */
  failNext(method: string, pathPrefix: string, status: number, times?: number): void;
  /** The next request matching method and path prefix is carried out, then its answer is lost. */
  loseAnswerNext(method: string, pathPrefix: string): void;
  /** Every request is refused with 429 for `ms` (Retry-After = ceil(ms / 1000)). */
  throttleFor(ms: number): void;
  setCert(tls: { key: string; cert: string }): void;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

/** Starts the GhostCP stand-in on 127.0.0.1 (HTTPS when `tls` is given). */
export async function startGhostCpServer(opts: GhostCpServerOptions = {}): Promise<GhostCpServer> {
  const dev = opts.deviations === true;
  const ttl = opts.tokenTtlSec ?? 3600;
  const jobSteps = opts.jobSteps ?? 4;
  const limits = { auth: 5, users: 60, general: 1000, ...(opts.rateLimits ?? {}) };
  let offset = 0;
  const now = () => Date.now() + offset;
  const store = new GhostStore(now);
  const key = signingKey();
  const admin = store.addUser({ ...GHOST_ACCOUNTS.admin, role: 'admin' });
  store.addUser({ ...GHOST_ACCOUNTS.otp, role: 'admin', totpSecret: GHOST_ACCOUNTS.otp.totpSecret });
  store.addUser({ ...GHOST_ACCOUNTS.user, role: 'user' });
  const windows = new RateWindows();
  const failures = new InjectedFailures();
  const losses = new LostAnswers();
  const throttle = new Throttle();

  const a = makeAnswers(dev, store);
  const { err, bare, unauthorized } = a;

  async function issue(user: Row): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(now() / 1000);
    const token = await new SignJWT({ username: user['username'], role: user['role'], jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(user['id']))
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(key);
    return { token, expiresAt: new Date((iat + ttl) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  async function verify(token: string): Promise<Row | 'expired' | 'invalid'> {
    try {
      const { payload } = await jwtVerify(token, key, { currentDate: new Date(now()), algorithms: ['HS256'] });
      return store.users.find((u) => u['id'] === payload.sub) ?? 'invalid';
    } catch (e) {
      return (e as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
    }
  }

  const dto = (u: Row) => ({ id: u['id'], username: u['username'], email: u['email'], role: u['role'] });

  async function login(req: LoggedRequest): Promise<Answer> {
    const b = body(req);
    if (b === null) return dev ? bare(400) : err(400, 'Invalid JSON body');
    const user = store.users.find((u) => u['username'] === b['username'] || u['email'] === b['username']);
    if (!user || user['_password'] !== b['password']) return unauthorized('Invalid username or password');
    if (typeof user['_totp'] === 'string') {
      const code = dev ? b['totp_code'] : b['two_factor_code'];
      if (typeof code !== 'string' || code === '') {
        return dev ? bare(401) : err(401, 'Two-factor authentication code required', { two_factor_required: true });
      }
      if (!totpValid(user['_totp'], code, now())) return unauthorized('Invalid two-factor authentication code');
    }
    if (user['is_suspended'] === true) return dev ? bare(401) : err(403, 'Account is suspended');
    const t = await issue(user);
    return {
      status: 200,
      body: dev ? { token: t.token, user: dto(user) } : { token: t.token, expires_at: t.expiresAt, user: dto(user) },
    };
  }

  async function route(req: LoggedRequest): Promise<Answer> {
    const m = req.method;
    if (req.path === '/health' && m === 'GET')
      return { status: 200, body: { status: 'healthy', service: 'ghostcp-api', version: '0.1.0' } };
    const parts = req.path.replace(/\/+$/, '').split('/').slice(1);
    if (parts[0] !== 'api' || parts[1] !== 'v1') return dev ? bare(404) : err(404, 'Route not found');
    const [res, id, sub, subId] = [parts[2], parts[3], parts[4], parts[5]];
    if (res === 'auth' && id === 'login' && m === 'POST') return login(req);
    if (res === 'auth' && id === 'refresh' && m === 'POST') {
      const token = body(req)?.['token'];
      const v = typeof token === 'string' ? await verify(token) : 'invalid';
      if (v === 'expired') return unauthorized('Token expired');
      if (v === 'invalid') return unauthorized('Invalid token');
      const t = await issue(v);
      return { status: 200, body: dev ? { token: t.token } : { token: t.token, expires_at: t.expiresAt } };
    }
    // Everything else needs a bearer token.
    const auth = req.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) return unauthorized('Missing bearer token');
    const who = await verify(auth.slice(7));
    if (who === 'expired') return unauthorized('Token expired');
    if (who === 'invalid') return unauthorized('Invalid token');
    const uid = String(who['id']);
    const b = body(req) ?? {};
    if (m === 'POST' && body(req) === null && !(res === 'ssl' && sub === 'renew')) {
      return dev ? bare(400) : err(400, 'Invalid JSON body');
    }

    if (res === 'auth' && id === 'me' && m === 'GET') return { status: 200, body: dto(who) };

    return resourceRoute({ dev, store, a, req, m, res, id, sub, subId, b, uid, who, jobSteps });
  }

  function rateHeaders(req: LoggedRequest): { headers: Record<string, number>; refused: boolean } {
    const bucket =
      req.path.startsWith('/api/v1/auth/login') || req.path.startsWith('/api/v1/auth/refresh')
        ? 'auth'
        : req.path.startsWith('/api/v1/users')
          ? 'users'
          : 'general';
    const hit = windows.hit(bucket, limits[bucket], WINDOW_MS, now());
    const headers: Record<string, number> = { ...hit.headers };
    if (hit.over) headers['retry-after'] = hit.retryAfter;
    return { headers, refused: hit.over };
  }

  async function handle(req: LoggedRequest, res: http.ServerResponse): Promise<void> {
    // Do the work, then drop the connection instead of answering (a proxy or network failure after the fact).
    losses.apply(req, res);
    const t = Date.now();
    const retry = throttle.retryAfter(t);
    if (retry !== null) {
      if (dev) {
        // No limiter in the public code: the 429 comes from the nginx in front of it (limit_req), as HTML.
        res.writeHead(429, { 'content-type': 'text/html', 'retry-after': String(retry) });
        res.end(
          '<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>',
        );
      } else {
        sendJson(
          res,
          429,
          { error: 'Too many requests', status: 429, details: { retry_after: retry } },
          { 'retry-after': retry },
        );
      }
      return;
    }
    let headers: Record<string, number> = {};
    if (!dev) {
      const rl = rateHeaders(req);
      headers = rl.headers;
      if (rl.refused) {
        sendJson(
          res,
          429,
          { error: 'Too many requests', status: 429, details: { retry_after: headers['retry-after'] } },
          headers,
        );
        return;
      }
    }
    const f = failures.take(req);
    if (f) {
      if (f.status === 401 && dev) {
        res.writeHead(401, { 'content-length': 0 });
        res.end();
        return;
      }
      const message =
        f.status === 500
          ? 'Database error: pool timed out while waiting for an open connection'
          : f.status === 401
            ? 'Invalid token'
            : 'Service temporarily unavailable';
      sendJson(res, f.status, { error: message, status: f.status }, headers);
      return;
    }
    const a = await route(req);
    if (a.body === undefined) {
      res.writeHead(a.status, { 'content-length': 0, ...headers });
      res.end();
      return;
    }
    sendJson(res, a.status, a.body, headers);
  }

  const server: LoopbackServer = await startLoopback(handle, opts.tls);
  void admin;
  return {
    url: server.url,
    port: server.port,
    log: server.log,
    store,
    effects: store.effects,
    advanceClock(ms) {
      offset += ms;
    },
    now,
    seed: (kind, count, parent) => seedRows(store, kind, count, parent),
    failNextJob(type, message) {
      store.failJobs.set(type, message);
    },
    failNext: failures.next,
    loseAnswerNext: losses.next,
    throttleFor: throttle.for,
    setCert: (tls) => server.setCert(tls),
    close: () => server.close(),
  };
}

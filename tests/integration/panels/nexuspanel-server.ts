import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import {
  InjectedFailures,
  loggingListener,
  RateWindows,
  sendJson,
  Throttle,
  type LoggedRequest,
} from './loopback-server';
import { routeApi, type RouteContext } from './nexuspanel-routes';
import { seedAlerts, seedPlugins, seedRules, seedServers, seedTasks, seedUsers } from './nexuspanel-seeds';
import { makeProcesses, newStore, type NexusStore, type NxServer, type NxUser } from './nexuspanel-store';
import { attachWebSockets } from './nexuspanel-ws';

/**
 * A loopback NexusPanel written from the seed document (../shared/seeds/nexuspanel-api.md), HTTP and WebSocket,
 * optionally HTTPS with a self-signed certificate:
 * - auth: login / refresh / logout / register / reset-password with real HS256 JWTs (jose); the access token's
 *   lifetime is configurable (`accessTtlSec`), and `expireAccessTokens()` makes every token issued so far answer
 *   401 `{code: 40002, "Token expired"}` (an expiry mid-session without waiting for the clock);
 * - the `{code, message, data}` envelope and the seed's application error codes (40001 … 50301);
 * - page/per_page pagination with the seed's `pagination` object (users and servers always; the other lists when
 *   asked, since the seed shows them without);
 * - rate limits with X-RateLimit-Limit/Remaining/Reset: 100 requests a minute per user, 10 sign-ins a minute per
 *   address (both configurable), 429 with Retry-After past them; `throttleFor` refuses everything for a while;
 * - WebSockets with the bearer token in the upgrade: the metrics stream sends one sample every
 *   `metricsIntervalMs`; the terminal is a STAND-IN for the panel's SSH terminal: a tiny echo shell (echoes what
 *   is typed like a tty, answers `echo X` with X, anything else with "command not found", `exit` closes) — no
 *   shell, no SSH behind it;
 * - `deviations: true` answers like the public code instead: WebSockets at /ws/metrics/:id and /ws/terminal/:id
 *   (the seed's routes answer 404), alerts under /api/v1/monitoring/alerts and rules under
 *   /api/v1/monitoring/alert-rules, and 501 `{code: 50101}` for plugins and metrics history;
 * - a request log (HTTP requests and WebSocket upgrades, with the status answered) and an effects list (one line
 *   per change the panel made).
 * What the seed leaves open is chosen here and said so: alerts are acknowledged/resolved by POST
 * /alerts/:id/acknowledge|resolve, rules deleted by DELETE /alerts/rules/:id, the terminal takes
 * `{type:"resize", cols, rows}`.
 */
export interface NexusServerOptions {
  readonly deviations?: boolean;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly adminPassword?: string;
  readonly userPassword?: string;
  /** Access token lifetime (seconds). Default 3600 (the seed's expires_in). */
  readonly accessTtlSec?: number;
  /** Default 100 requests a minute per user. */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number };
  /** Default 10 sign-ins a minute per address. */
  readonly authRateLimit?: { readonly max: number; readonly windowMs: number };
  /** Default 1000 ms between two metrics stream samples. */
  readonly metricsIntervalMs?: number;
}

/** The running server, its state and its test hooks. */
export interface NexusServer {
  readonly url: string;
  readonly port: number;
  /** Every HTTP request and WebSocket upgrade, in order, with the status answered (101 for an accepted upgrade). */
  readonly log: LoggedRequest[];
  /** One line per change ("server.create Web 01"). */
  readonly effects: string[];
  readonly store: NexusStore;
  seedServers(n: number): NxServer[];
  seedUsers(n: number): void;
  seedAlerts(n: number): void;
  seedRules(n: number): void;
  seedTasks(n: number): void;
  seedPlugins(n: number): void;
  seedProcesses(serverId: number, n: number): void;
  /** Every access token issued so far is expired from now on (401, code 40002). */
  expireAccessTokens(): void;
  /** The next `times` requests matching method and path prefix answer `status` with the seed's code for it. */
  failNext(method: string, pathPrefix: string, status: number, times?: number): void;
  /** From now on, every request is refused with 429 for `ms` (Retry-After = ceil(ms / 1000)). */
  throttleFor(ms: number): void;
  /** Swaps the TLS certificate (HTTPS only). */
  setCert(tls: { key: string; cert: string }): void;
  /** Open WebSockets (metrics and terminal). */
  sockets(): number;
  close(): Promise<void>;
}

const STATUS_CODES: Record<number, [number, string]> = {
  400: [42201, 'Bad request'],
  401: [40003, 'Token invalid'],
  403: [40301, 'Insufficient permissions'],
  404: [40401, 'Resource not found'],
  409: [40901, 'Resource already exists'],
  422: [42201, 'Validation error'],
  500: [50001, 'Internal server error'],
  501: [50101, 'Feature not implemented'],
  502: [50001, 'Bad gateway'],
  503: [50301, 'Service unavailable'],
  504: [50301, 'Gateway timeout'],
};

/** Starts the NexusPanel stand-in on 127.0.0.1 (HTTPS when `tls` is given). */
export async function startNexusServer(opts: NexusServerOptions = {}): Promise<NexusServer> {
  const deviations = opts.deviations ?? false;
  const key = new Uint8Array(randomBytes(32));
  const store = newStore(opts.adminPassword ?? 'Admin-Pass-123', opts.userPassword ?? 'Operator-Pass-123');
  const ttl = opts.accessTtlSec ?? 3600;
  const limit = opts.rateLimit ?? { max: 100, windowMs: 60_000 };
  const authLimit = opts.authRateLimit ?? { max: 10, windowMs: 60_000 };
  const log: LoggedRequest[] = [];
  const effects: string[] = [];
  const revoked = new Set<string>();
  const issued = new Set<string>();
  const expired = new Set<string>();
  const windows = new RateWindows();
  const failures = new InjectedFailures();
  const throttle = new Throttle();

  async function sign(user: NxUser, typ: 'access' | 'refresh', sid: string): Promise<{ token: string; jti: string }> {
    const jti = randomUUID();
    const token = await new SignJWT({ username: user.username, role: user.role, typ, sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(user.id))
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (typ === 'access' ? ttl : 7 * 86_400))
      .sign(key);
    if (typ === 'access') issued.add(jti);
    return { token, jti };
  }

  /** The user of a bearer token, or the error code and message to refuse it with. */
  async function authenticate(
    header: string | undefined,
    typ: 'access' | 'refresh' = 'access',
    raw?: string,
  ): Promise<{ user: NxUser; jti: string; sid: string } | { code: number; message: string }> {
    const token = raw ?? /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return { code: 40003, message: 'Authorization header required' };
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
      const jti = String(payload.jti);
      const sid = String(payload['sid']);
      if (payload['typ'] !== typ || revoked.has(jti) || revoked.has(sid))
        return { code: 40003, message: 'Token invalid' };
      if (expired.has(jti)) return { code: 40002, message: 'Token expired' };
      const user = store.users.find((u) => String(u.id) === payload.sub);
      if (!user) return { code: 40003, message: 'Token invalid' };
      return { user, jti, sid };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { code: 40002, message: 'Token expired' };
      return { code: 40003, message: 'Token invalid' };
    }
  }

  function rate(bucket: string, l: { max: number; windowMs: number }) {
    return windows.hit(bucket, l.max, l.windowMs);
  }

  const envelope = (code: number, message: string, data?: unknown) => ({
    code,
    message,
    ...(data !== undefined ? { data } : {}),
  });

  async function handleAuth(
    req: LoggedRequest,
    res: http.ServerResponse,
    action: string,
    hdrs: Record<string, number | string>,
  ): Promise<void> {
    const b = (() => {
      try {
        return JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    const fail = (status: number, code: number, message: string, details?: unknown) =>
      sendJson(res, status, { code, message, ...(details !== undefined ? { details } : {}) }, hdrs);
    if (action === 'login' && req.method === 'POST') {
      const user = store.users.find((u) => u.username === b['username']);
      if (!user || user.password !== b['password'])
        return fail(401, 40001, 'Invalid credentials', 'Username or password is incorrect');
      const sid = randomUUID();
      const access = await sign(user, 'access', sid);
      const refresh = await sign(user, 'refresh', sid);
      user.last_login_at = new Date().toISOString();
      const { password: _p, ...pub } = user;
      return sendJson(
        res,
        200,
        envelope(200, 'Login successful', {
          access_token: access.token,
          refresh_token: refresh.token,
          expires_in: ttl,
          token_type: 'Bearer',
          user: pub,
        }),
        hdrs,
      );
    }
    if (action === 'refresh' && req.method === 'POST') {
      const who = await authenticate(
        undefined,
        'refresh',
        typeof b['refresh_token'] === 'string' ? b['refresh_token'] : '',
      );
      if ('code' in who) return fail(401, who.code, who.message);
      const access = await sign(who.user, 'access', who.sid);
      return sendJson(
        res,
        200,
        envelope(200, 'Token refreshed successfully', {
          access_token: access.token,
          expires_in: ttl,
          token_type: 'Bearer',
        }),
        hdrs,
      );
    }
    if (action === 'logout' && req.method === 'POST') {
      const who = await authenticate(req.headers.authorization);
      if ('code' in who) return fail(401, who.code, who.message);
      revoked.add(who.sid);
      return sendJson(res, 200, envelope(200, 'Logout successful'), hdrs);
    }
    if (action === 'reset-password' && req.method === 'POST') {
      return sendJson(res, 200, envelope(200, 'Password reset email sent'), hdrs);
    }
    if (action === 'register' && req.method === 'POST') {
      return fail(501, 50101, 'Feature not implemented');
    }
    return fail(404, 40401, `Route ${req.method} ${req.path} not found`);
  }

  async function handle(req: LoggedRequest, res: http.ServerResponse): Promise<void> {
    const now = Date.now();
    const throttled = throttle.retryAfter(now);
    if (throttled !== null) {
      sendJson(
        res,
        429,
        { code: 42901, message: 'Too many requests' },
        {
          'retry-after': throttled,
        },
      );
      return;
    }
    const parts = req.path.replace(/\/+$/, '').split('/').slice(1);
    if (parts[0] !== 'api' || parts[1] !== 'v1') {
      sendJson(res, 404, { code: 40401, message: 'Route not found' });
      return;
    }
    const f = failures.take(req);
    if (f) {
      const [code, message] = STATUS_CODES[f.status] ?? [50001, 'Internal server error'];
      sendJson(res, f.status, { code, message });
      return;
    }
    if (parts[2] === 'auth') {
      const r = rate(`ip:${String(req.headers['x-forwarded-for'] ?? '127.0.0.1')}`, authLimit);
      if (r.over) {
        sendJson(
          res,
          429,
          { code: 42901, message: 'Too many login attempts' },
          { ...r.headers, 'retry-after': r.retryAfter },
        );
        return;
      }
      await handleAuth(req, res, parts[3] ?? '', r.headers);
      return;
    }
    const who = await authenticate(req.headers.authorization);
    if ('code' in who) {
      sendJson(res, 401, { code: who.code, message: who.message });
      return;
    }
    const r = rate(`user:${who.user.id}`, limit);
    if (r.over) {
      sendJson(
        res,
        429,
        { code: 42901, message: 'Rate limit exceeded' },
        { ...r.headers, 'retry-after': r.retryAfter },
      );
      return;
    }
    const ctx: RouteContext = {
      req,
      store,
      deviations,
      user: who.user,
      effects,
      ok: (status, message, data) => {
        sendJson(res, status, envelope(status, message, data), r.headers);
        return true;
      },
      bad: (status, code, message, details) => {
        sendJson(res, status, { code, message, ...(details !== undefined ? { details } : {}) }, r.headers);
        return true;
      },
    };
    routeApi(ctx, parts.slice(2));
  }

  const onRequest = loggingListener(log, handle, (res, e) => {
    sendJson(res, 500, { code: 50001, message: `Internal server error: ${String(e)}` });
  });

  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onRequest)
    : http.createServer(onRequest);
  const live = attachWebSockets({
    server,
    log,
    store,
    deviations,
    metricsIntervalMs: opts.metricsIntervalMs ?? 1000,
    authenticate: (header) => authenticate(header),
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    log,
    effects,
    store,
    seedServers: (n) => seedServers(store, n),
    seedUsers: (n) => seedUsers(store, n),
    seedAlerts: (n) => seedAlerts(store, n),
    seedRules: (n) => seedRules(store, n),
    seedTasks: (n) => seedTasks(store, n),
    seedPlugins: (n) => seedPlugins(store, n),
    seedProcesses(serverId, n) {
      store.processes.set(serverId, makeProcesses(n));
    },
    expireAccessTokens() {
      for (const jti of issued) expired.add(jti);
    },
    failNext: failures.next,
    throttleFor: throttle.for,
    setCert(next) {
      (server as https.Server).setSecureContext({ key: next.key, cert: next.cert });
    },
    sockets: () => live.count(),
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

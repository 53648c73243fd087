import crypto from 'node:crypto';
import type http from 'node:http';
import { InjectedFailures, sendJson, startLoopback, Throttle, type LoggedRequest } from './loopback-server';

/*
 * A SkyPANEL stand-in on 127.0.0.1, written from the seed document (seeds/skypanel-api.md): JWT login at
 * /api/auth/login with a short-lived token, `{success, data}` answers and the `{success:false, error:{code,
 * message, details}}` envelope, servers with power actions that pass through a transitional state for a few
 * polls, invoices, the profile with password change, the documented rate limits (1000 per 15 minutes, 10 sign-ins
 * per minute) with X-RateLimit-* headers and 429 + Retry-After.
 *
 * `deviations: true` behaves like the public code instead: no /api/auth/login (404), a passport session cookie
 * from POST /api/login, servers at /api/user/servers with power at /api/user/servers/:id/power/:action
 * (boot, shutdown, restart, poweroff), balance and transactions instead of invoices, bare `{error}` bodies, and
 * API keys (Bearer) for /api/v1/me, /api/v1/servers and /api/v1/balance.
 */

export interface SkyServerRow {
  id: string;
  name: string;
  status: string;
  ipAddress: string;
  plan: string;
  /** Polls of the list left before a transitional status settles, and what it settles to. */
  pending: { polls: number; to: string } | null;
}

export interface SkyPanelServerOptions {
  readonly deviations?: boolean;
  readonly email?: string;
  readonly password?: string;
  readonly apiKey?: string;
  /** Seconds a JWT lives (default 3600). */
  readonly tokenTtlSec?: number;
  /** List polls a power action stays transitional (default 2). */
  readonly pollsToSettle?: number;
}

export interface SkyPanelServer {
  readonly url: string;
  readonly port: number;
  readonly log: LoggedRequest[];
  readonly servers: SkyServerRow[];
  /** Every power action carried out ("restart server-1"). */
  readonly effects: string[];
  /** Every issued token / session is forgotten (as after a restart or expiry): the next call gets 401. */
  expireSessions(): void;
  failNext(method: string, pathPrefix: string, status: number, times?: number): void;
  throttleFor(ms: number): void;
  close(): Promise<void>;
}

const WINDOW_MS = 15 * 60_000;

function b64url(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

/** Starts the SkyPANEL stand-in. */
export async function startSkyPanelServer(opts: SkyPanelServerOptions = {}): Promise<SkyPanelServer> {
  const dev = opts.deviations ?? false;
  const email = opts.email ?? 'admin@example.com';
  const password = opts.password ?? 'sky-pass-123';
  const apiKey = opts.apiKey ?? 'sk_test_0123456789abcdef';
  const ttl = opts.tokenTtlSec ?? 3600;
  const pollsToSettle = opts.pollsToSettle ?? 2;
  const profile = { id: 1, email, firstName: 'Ada', lastName: 'Admin', role: 'admin', createdAt: '2023-01-01' };
  const servers: SkyServerRow[] = Array.from({ length: 3 }, (_, i) => ({
    id: `server-${i + 1}`,
    name: `VPS ${i + 1}`,
    status: i === 2 ? 'stopped' : 'running',
    ipAddress: `192.0.2.${10 + i}`,
    plan: 'Basic',
    pending: null,
  }));
  const invoices = [
    { id: 'inv_1', amount: 9.99, status: 'paid', dueDate: '2023-02-01', createdAt: '2023-01-15' },
    { id: 'inv_2', amount: 19.5, status: 'unpaid', dueDate: '2023-03-01', createdAt: '2023-02-15' },
  ];
  const tokens = new Set<string>();
  const sessions = new Set<string>();
  const effects: string[] = [];
  const failures = new InjectedFailures();
  const throttle = new Throttle();
  let window = { start: Date.now(), count: 0 };
  let authWindow = { start: Date.now(), count: 0 };

  const fail = (res: http.ServerResponse, status: number, code: string, message: string, details?: unknown): void => {
    if (dev) sendJson(res, status, { error: message });
    else sendJson(res, status, { success: false, error: { code, message, ...(details ? { details } : {}) } });
  };
  const ok = (res: http.ServerResponse, data: unknown, headers: Record<string, string | number> = {}): void =>
    sendJson(res, 200, dev ? data : { success: true, data }, headers);

  const advance = (): void => {
    for (const s of servers) {
      if (s.pending && --s.pending.polls <= 0) {
        s.status = s.pending.to;
        s.pending = null;
      }
    }
  };
  const power = (res: http.ServerResponse, id: string, action: string): void => {
    const s = servers.find((x) => x.id === id);
    if (!s) return fail(res, 404, 'NOT_FOUND', 'The requested resource was not found', { resource: 'server', id });
    const plan: Record<string, [string, string]> = {
      start: ['starting', 'running'],
      boot: ['starting', 'running'],
      stop: ['stopping', 'stopped'],
      poweroff: ['stopping', 'stopped'],
      shutdown: ['stopping', 'stopped'],
      restart: ['restarting', 'running'],
    };
    const step = plan[action];
    if (!step) return fail(res, 400, 'VALIDATION_ERROR', 'Request validation failed', { action: 'Unknown action' });
    s.status = step[0];
    s.pending = { polls: pollsToSettle, to: step[1] };
    effects.push(`${action} ${id}`);
    ok(res, { id, status: s.status });
  };

  const server = await startLoopback((req, res) => {
    const now = Date.now();
    if (now - window.start > WINDOW_MS) window = { start: now, count: 0 };
    window.count++;
    const limits = {
      'x-ratelimit-limit': 1000,
      'x-ratelimit-remaining': Math.max(0, 1000 - window.count),
      'x-ratelimit-reset': Math.ceil((window.start + WINDOW_MS) / 1000),
    };
    for (const [k, v] of Object.entries(limits)) res.setHeader(k, v);
    const throttled = throttle.retryAfter(now);
    if (throttled !== null) {
      res.setHeader('retry-after', throttled);
      return fail(res, 429, 'RATE_LIMITED', 'Too many requests, please try again later.');
    }
    const f = failures.take(req);
    if (f) {
      return fail(res, f.status, 'INTERNAL_ERROR', 'Server error');
    }
    const body = (): Record<string, unknown> => {
      try {
        return JSON.parse(req.body || '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const isLogin = req.method === 'POST' && (req.path === '/api/auth/login' || req.path === '/api/login');
    if (isLogin) {
      if (now - authWindow.start > 60_000) authWindow = { start: now, count: 0 };
      if (++authWindow.count > 10) {
        res.setHeader('retry-after', Math.ceil((authWindow.start + 60_000 - now) / 1000));
        return fail(res, 429, 'RATE_LIMITED', 'Too many sign-in attempts, please try again later.');
      }
    }

    // --- sign-in
    if (req.method === 'POST' && req.path === '/api/auth/login') {
      if (dev) return sendJson(res, 404, { error: 'Cannot POST /api/auth/login' });
      const b = body();
      if (b['email'] !== email || b['password'] !== password) {
        return fail(res, 401, 'UNAUTHORIZED', 'Invalid email or password');
      }
      const token = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 1, exp: Math.floor(now / 1000) + ttl, jti: crypto.randomUUID() })}.sig`;
      tokens.add(token);
      return ok(res, { token, user: { id: 1, email, role: 'admin' } });
    }
    if (req.method === 'POST' && req.path === '/api/login' && dev) {
      const b = body();
      if ((b['username'] !== email && b['email'] !== email) || b['password'] !== password) {
        return sendJson(res, 401, { message: 'Invalid username or password' });
      }
      const sid = crypto.randomBytes(16).toString('hex');
      sessions.add(sid);
      return sendJson(res, 200, profile, { 'set-cookie': `connect.sid=${sid}; Path=/; HttpOnly` });
    }

    // --- who is calling
    const auth = req.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    const sid = /connect\.sid=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
    const jwtOk = (): boolean => {
      if (bearer === null || !tokens.has(bearer)) return false;
      const exp = (JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp;
      return exp * 1000 > now;
    };
    if (req.path.startsWith('/api/v1/')) {
      if (!dev) return fail(res, 404, 'NOT_FOUND', 'The requested resource was not found');
      if (bearer !== apiKey) return sendJson(res, 401, { error: 'Unauthorized' });
      if (req.path === '/api/v1/me') return sendJson(res, 200, { id: 1, email, fullName: 'Ada Admin', role: 'admin' });
      if (req.path === '/api/v1/servers') {
        advance();
        return sendJson(res, 200, { servers: servers.map(({ pending: _p, ...s }) => s) });
      }
      if (req.path === '/api/v1/balance') {
        return sendJson(res, 200, { virtFusionCredits: 12.5, virtFusionTokens: 1250, currency: 'USD' });
      }
      return sendJson(res, 404, { error: 'Not found' });
    }
    const authed = dev ? sid !== null && sessions.has(sid) : jwtOk();
    if (!authed) return fail(res, 401, 'UNAUTHORIZED', 'Authentication required');

    // --- documented routes
    if (!dev) {
      if (req.method === 'GET' && req.path === '/api/users/me') return ok(res, profile);
      if (req.method === 'PUT' && req.path === '/api/users/me') {
        const b = body();
        if (b['newPassword'] !== undefined && b['currentPassword'] !== password) {
          return fail(res, 400, 'VALIDATION_ERROR', 'Current password is incorrect', {
            fields: [{ field: 'currentPassword', message: 'Current password is incorrect' }],
          });
        }
        if (typeof b['firstName'] === 'string') profile.firstName = b['firstName'];
        if (typeof b['lastName'] === 'string') profile.lastName = b['lastName'];
        return ok(res, profile);
      }
      if (req.method === 'GET' && req.path === '/api/servers') {
        advance();
        return ok(
          res,
          servers.map(({ pending: _p, ...s }) => s),
        );
      }
      const m = /^\/api\/servers\/([^/]+)\/power$/.exec(req.path);
      if (req.method === 'POST' && m) return power(res, decodeURIComponent(m[1] ?? ''), String(body()['action']));
      if (req.method === 'GET' && req.path === '/api/billing/invoices') return ok(res, invoices);
      return fail(res, 404, 'NOT_FOUND', 'The requested resource was not found');
    }

    // --- the public code's routes
    if (req.method === 'GET' && req.path === '/api/user') return sendJson(res, 200, profile);
    if (req.method === 'GET' && req.path === '/api/user/servers') {
      advance();
      return sendJson(
        res,
        200,
        servers.map(({ pending: _p, ...s }) => s),
      );
    }
    const pm = /^\/api\/user\/servers\/([^/]+)\/power\/([a-z]+)$/.exec(req.path);
    if (req.method === 'POST' && pm) {
      if (!['boot', 'shutdown', 'restart', 'poweroff'].includes(pm[2] ?? '')) {
        return sendJson(res, 400, { error: 'Invalid power action' });
      }
      return power(res, decodeURIComponent(pm[1] ?? ''), pm[2] ?? '');
    }
    if (req.method === 'GET' && req.path === '/api/billing/balance') {
      return sendJson(res, 200, { credits: 12.5, currency: 'USD' });
    }
    if (req.method === 'GET' && req.path === '/api/transactions') {
      return sendJson(res, 200, [
        { id: 7, description: 'Credit purchase', amount: 20, status: 'completed', createdAt: '2023-01-10' },
        { id: 8, description: 'Server hourly usage', amount: -7.5, status: 'completed', createdAt: '2023-01-31' },
      ]);
    }
    if (req.method === 'PUT' && req.path === '/api/users/me') return sendJson(res, 404, { error: 'Not found' });
    return sendJson(res, 404, { error: 'Not found' });
  });

  return {
    url: server.url,
    port: server.port,
    log: server.log,
    servers,
    effects,
    expireSessions() {
      tokens.clear();
      sessions.clear();
    },
    failNext: failures.next,
    throttleFor: throttle.for,
    close: () => server.close(),
  };
}

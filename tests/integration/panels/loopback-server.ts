import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request a loopback server received (body as text). */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Filled in when the handler answered. */
  status: number | null;
}

/** A handler: answers `res` for the logged request `req`. */
export type LoopbackHandler = (req: LoggedRequest, res: http.ServerResponse) => void | Promise<void>;

/** A small HTTP(S) server on 127.0.0.1 with a request log, for the panel HTTP tests. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  readonly log: LoggedRequest[];
  /** Swaps the TLS certificate (a "changed certificate" test); HTTPS only. */
  setCert(tls: { key: string; cert: string }): void;
  close(): Promise<void>;
}

/**
 * The request listener of a loopback server: reads the body, logs the request (its status filled in when the
 * answer is sent), and runs `handler`; a handler that throws answers through `onError` (a bare 500 by default).
 */
export function loggingListener(
  log: LoggedRequest[],
  handler: LoopbackHandler,
  onError: (res: http.ServerResponse, e: unknown) => void = (res, e) => {
    res.statusCode = 500;
    res.end(String(e));
  },
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const entry: LoggedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: null,
      };
      log.push(entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      Promise.resolve(handler(entry, res)).catch((e: unknown) => onError(res, e));
    });
  };
}

/**
 * Answers lost on purpose: the panel does the work, then the connection drops instead of the answer arriving (a
 * proxy or network failure after the fact), so a driver must find out whether its write took effect.
 */
export class LostAnswers {
  readonly #losses: { method: string; prefix: string }[] = [];

  /** Loses the answer to the next `method` request whose path starts with `prefix` (bound: a server's `loseAnswerNext`). */
  readonly next = (method: string, prefix: string): void => {
    this.#losses.push({ method, prefix });
  };

  /** Called first in a handler: when this request's answer is to be lost, whatever it sends drops the socket. */
  apply(req: LoggedRequest, res: http.ServerResponse): void {
    const lost = this.#losses.findIndex((x) => x.method === req.method && req.path.startsWith(x.prefix));
    if (lost < 0) return;
    this.#losses.splice(lost, 1);
    res.writeHead = () => res;
    res.end = () => {
      res.socket?.destroy();
      return res;
    };
  }
}

/**
 * Failures injected on purpose: the next requests of a method under a path prefix answer an error status (a 5xx to
 * retry, a 401 to sign in again) before the panel's own handling runs.
 */
export class InjectedFailures {
  readonly #failures: { method: string; prefix: string; status: number; times: number }[] = [];

  /** The next `times` `method` requests whose path starts with `prefix` fail with `status` (bound: `failNext`). */
  readonly next = (method: string, prefix: string, status: number, times = 1): void => {
    this.#failures.push({ method, prefix, status, times });
  };

  /** The status this request is to fail with (one of its times used up), or null when it goes through. */
  take(req: LoggedRequest): { status: number } | null {
    const f = this.#failures.find((x) => x.method === req.method && req.path.startsWith(x.prefix) && x.times > 0);
    if (!f) return null;
    f.times--;
    return { status: f.status };
  }
}

/** A rate limit imposed from outside for a while (a test's `throttleFor(ms)`): every request answers 429 until then. */
export class Throttle {
  #until = 0;

  /** Every request in the next `ms` is refused (bound: a server's `throttleFor`). */
  readonly for = (ms: number): void => {
    this.#until = Date.now() + ms;
  };

  /** The Retry-After seconds while throttled, or null when requests go through. */
  retryAfter(now = Date.now()): number | null {
    return now < this.#until ? Math.ceil((this.#until - now) / 1000) : null;
  }
}

/** One request counted in a fixed rate-limit window (see {@link RateWindows.hit}). */
export interface RateHit {
  /** The window's limit is used up: this request is refused. */
  readonly over: boolean;
  /** When the window ends (epoch ms). */
  readonly resetAt: number;
  /** Seconds until the window ends (at least 1), for Retry-After. */
  readonly retryAfter: number;
  /** The documented X-RateLimit-* headers for this request. */
  readonly headers: {
    'x-ratelimit-limit': number;
    'x-ratelimit-remaining': number;
    'x-ratelimit-reset': number;
  };
}

/** Fixed rate-limit windows by bucket (per route group, per user), as the panels' limiters count requests. */
export class RateWindows {
  readonly #windows = new Map<string, { start: number; count: number }>();

  /** Counts a request in `bucket` (a new window once `windowMs` has passed) and says where it stands. */
  hit(bucket: string, max: number, windowMs: number, now = Date.now()): RateHit {
    let w = this.#windows.get(bucket);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(bucket, w);
    }
    w.count++;
    const resetAt = w.start + windowMs;
    return {
      over: w.count > max,
      resetAt,
      retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
      headers: {
        'x-ratelimit-limit': max,
        'x-ratelimit-remaining': Math.max(0, max - w.count),
        'x-ratelimit-reset': Math.ceil(resetAt / 1000),
      },
    };
  }
}

/** Starts a loopback server; `tls` makes it HTTPS. */
export async function startLoopback(
  handler: LoopbackHandler,
  tls?: { key: string; cert: string },
): Promise<LoopbackServer> {
  const log: LoggedRequest[] = [];
  const onRequest = loggingListener(log, handler);
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    log,
    setCert(next) {
      (server as https.Server).setSecureContext({ key: next.key, cert: next.cert });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer with extra headers. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

import { request as undiciRequest, type Dispatcher } from 'undici';
import { AppError, isAppError } from '../../../shared/errors';
import { panelError, type ErrorEnvelopeReader } from './http-errors';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  paceDelay,
  parseRateLimit,
  parseRetryAfter,
  type RateLimitState,
  type RetryPolicy,
} from './rate-limit';
import { pinnedAgent, staticPins, type TlsPinStore } from './tls-pinning';

/** HTTP methods the panels use. GET, PUT and DELETE are idempotent; POST and PATCH are not. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
const RETRY_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Supplies auth headers; `relogin` (optional) is called once after a 401 before the request is tried again. */
export interface HttpAuth {
  headers(signal?: AbortSignal): Promise<Record<string, string>> | Record<string, string>;
  relogin?(signal?: AbortSignal): Promise<void>;
}

/** What the client tells its owner while it works (retries, pacing): for step logs and tests. */
export type HttpEvent =
  | {
      readonly type: 'retry';
      readonly request: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly type: 'pace'; readonly request: string; readonly delayMs: number; readonly remaining: number }
  | { readonly type: 'relogin'; readonly request: string };

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** e.g. "https://panel.example.com:8443" (a path prefix is kept). */
  readonly baseUrl: string;
  /** Shown in messages: "CloudPanel: Site already exists". */
  readonly panelName: string;
  /** Per attempt, from sending to the whole body read. Default 30 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Pinned certificates for self-signed panels (see tls-pinning.ts); ignored when `dispatcher` is given. */
  readonly pins?: TlsPinStore;
  readonly dispatcher?: Dispatcher;
  readonly auth?: HttpAuth;
  /** The panel's error envelope reader (its own message, code and 422 fields). */
  readonly errorReader?: ErrorEnvelopeReader;
  readonly onEvent?: (e: HttpEvent) => void;
  /** Injectable for tests; defaults are the real clock, timers and Math.random. */
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

/** One request. `path` is relative to the base URL; `query` values that are undefined are left out. */
export interface HttpRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as application/json. */
  readonly json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Override: false never retries (even a GET); true allows retrying a non-idempotent request on 5xx. */
  readonly retry?: boolean;
}

/** A successful (2xx) answer: status, headers and the body (parsed JSON when it is JSON, else text). */
export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
}

/** Sleeps `ms`, early-rejecting when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('TIMEOUT', 'Cancelled.'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AppError('TIMEOUT', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Node/undici error codes meaning the request never left: safe to send again, even a POST. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(e: unknown): string | undefined {
  const o = e as { code?: unknown; cause?: { code?: unknown } } | null;
  const c = o?.code ?? o?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}

/** True when a failed request may or may not have taken effect on the panel (see post-once.ts). */
export function isAmbiguous(e: unknown): boolean {
  return isAppError(e) && e.details?.['ambiguous'] === true;
}

/**
 * The HTTP client every panel driver shares (issue 10): undici, a timeout on every attempt, retries with
 * exponential backoff and jitter only where repeating is safe (GET/PUT/DELETE on 429/502/503/504 and network
 * errors; any request refused with 429 or never sent), Retry-After honoured up to a cap, pacing ahead of the
 * limit from X-RateLimit-*, one re-login after a 401, certificate pinning for self-signed panels, and failures as
 * AppError with the panel's own message. A POST that may have taken effect fails with `details.ambiguous`; see
 * {@link postOnce} for the look-before-retry helper.
 */
export class HttpClient {
  readonly #o: HttpClientOptions;
  readonly #policy: RetryPolicy;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #base: URL;
  #rate: RateLimitState | null = null;

  constructor(o: HttpClientOptions) {
    this.#o = o;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...(o.retry ?? {}) };
    this.#base = new URL(o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`);
    if (this.#base.protocol !== 'https:' && this.#base.protocol !== 'http:') {
      throw new AppError('VALIDATION', 'A panel URL starts with https:// (or http://).', { field: 'baseUrl' });
    }
    this.#ownsDispatcher = o.dispatcher === undefined;
    this.#dispatcher = o.dispatcher ?? pinnedAgent(o.pins ?? staticPins());
  }

  /** The panel's origin ("https://host:port"). */
  get origin(): string {
    return this.#base.origin;
  }

  /** What the last answer's rate-limit headers said (null before the first, or when the panel sends none). */
  get rateLimit(): RateLimitState | null {
    return this.#rate;
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return (this.#o.sleep ?? sleep)(ms, signal);
  }

  #url(req: HttpRequest): URL {
    const url = new URL(req.path.replace(/^\//, ''), this.#base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Sends `req`, retrying where safe; resolves with a 2xx answer or rejects with an AppError. */
  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const label = `${req.method} ${new URL(req.path.replace(/^\//, ''), this.#base).pathname}`;
    const idempotent = req.retry ?? IDEMPOTENT.has(req.method);
    const canRetry = req.retry !== false;
    let relogged = false;
    for (let attempt = 0; ; attempt++) {
      await this.#pace(label, req.signal);
      let res: HttpResponse;
      try {
        res = await this.#once(req, label);
      } catch (e) {
        const failure = e as AppError;
        const notSent = failure.details?.['notSent'] === true;
        if (
          canRetry &&
          (idempotent || notSent) &&
          attempt < this.#policy.retries &&
          failure.code !== 'HOST_KEY_UNKNOWN' &&
          failure.code !== 'HOST_KEY_CHANGED'
        ) {
          await this.#backoff(label, attempt, failure.message, null, req.signal);
          continue;
        }
        throw failure;
      }
      if (res.status >= 200 && res.status < 300) return res as HttpResponse<T>;
      if (res.status === 401 && this.#o.auth?.relogin && !relogged) {
        relogged = true;
        this.#o.onEvent?.({ type: 'relogin', request: label });
        await this.#o.auth.relogin(req.signal);
        attempt--;
        continue;
      }
      const err = this.#error(res, label);
      // A 429 is a refusal before any work (the limiter runs first): repeating it is safe for every method.
      const retryable = RETRY_STATUS.has(res.status) && (idempotent || res.status === 429);
      if (canRetry && retryable && attempt < this.#policy.retries) {
        const after = parseRetryAfter(headerOf(res.headers, 'retry-after'), this.#now());
        if (after !== null && after > this.#policy.retryAfterCapMs) {
          throw new AppError('RATE_LIMITED', `${err.message} (it asks to wait ${Math.ceil(after / 1000)} s).`, {
            ...err.details,
            retryAfterMs: after,
          });
        }
        await this.#backoff(label, attempt, `HTTP ${res.status}`, after, req.signal);
        continue;
      }
      if (res.status === 401 && relogged) {
        throw new AppError('AUTH_FAILED', `${err.message} (signing in again did not help).`, err.details);
      }
      if (!idempotent && (res.status === 502 || res.status === 503 || res.status === 504)) {
        throw new AppError(err.code, err.message, { ...err.details, ambiguous: true });
      }
      throw err;
    }
  }

  async #backoff(label: string, attempt: number, reason: string, after: number | null, signal?: AbortSignal) {
    const delayMs = after ?? backoffDelay(this.#policy, attempt, this.#o.random);
    this.#o.onEvent?.({ type: 'retry', request: label, attempt: attempt + 1, delayMs, reason });
    await this.#sleep(delayMs, signal);
  }

  async #pace(label: string, signal?: AbortSignal): Promise<void> {
    const state = this.#rate;
    const now = this.#now();
    let delay = paceDelay(state, this.#policy, now);
    if (delay <= 0 || state === null) return;
    if (state.remaining <= 0 && delay > this.#policy.retryAfterCapMs) {
      throw new AppError(
        'RATE_LIMITED',
        `${this.#o.panelName}: the request limit is used up for another ${Math.ceil(delay / 1000)} s.`,
        { retryAfterMs: delay },
      );
    }
    if (state.remaining > 0) delay = Math.min(delay, this.#policy.maxDelayMs);
    this.#o.onEvent?.({ type: 'pace', request: label, delayMs: delay, remaining: state.remaining });
    await this.#sleep(delay, signal);
    // The window we waited for is over (or we spread our share of it): forget it until the next answer.
    this.#rate = state.remaining <= 0 ? null : state;
  }

  async #once(req: HttpRequest, label: string): Promise<HttpResponse> {
    const timeoutMs = this.#o.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
    Object.assign(headers, await this.#o.auth?.headers(req.signal));
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    try {
      const res = await undiciRequest(this.#url(req), {
        method: req.method,
        headers,
        body,
        signal,
        dispatcher: this.#dispatcher,
      });
      const text = await res.body.text();
      const rate = parseRateLimit(res.headers, this.#now());
      if (rate !== null) this.#rate = rate;
      return {
        status: res.statusCode,
        headers: res.headers,
        body: parseBody(text, headerOf(res.headers, 'content-type')),
      };
    } catch (e) {
      if (isAppError(e)) throw e;
      if (req.signal?.aborted) throw new AppError('TIMEOUT', `${label} was cancelled.`);
      const code = errorCode(e);
      const notSent = code !== undefined && NOT_SENT.has(code);
      if (timeout.aborted) {
        throw new AppError(
          'TIMEOUT',
          `${this.#o.panelName} did not answer ${label} within ${Math.round(timeoutMs / 1000)} s.`,
          {
            ambiguous: true,
          },
        );
      }
      throw new AppError(
        'CONNECTION_FAILED',
        `${this.#o.panelName}: ${label} failed (${code ?? (e instanceof Error ? e.message : 'network error')}).`,
        notSent ? { notSent: true } : { ambiguous: true },
      );
    }
  }

  #error(res: HttpResponse, label: string): AppError {
    const reader = this.#o.errorReader ?? (() => null);
    return panelError(
      { status: res.status, body: res.body, headers: res.headers, request: label },
      reader,
      this.#o.panelName,
    );
  }

  /** Closes the connection pool (only when the client made it). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

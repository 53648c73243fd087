/**
 * Backoff, Retry-After and X-RateLimit-* arithmetic for the panel HTTP client.
 * Why separate: pure functions of headers and a clock, so the client stays about I/O and these stay testable.
 */

/** How the client backs off and paces itself. All values in milliseconds. */
export interface RetryPolicy {
  /** Attempts after the first, for idempotent requests (and for a POST refused with 429). */
  readonly retries: number;
  /** First backoff; doubles per attempt, with full jitter. */
  readonly baseDelayMs: number;
  /** Largest backoff between two attempts. */
  readonly maxDelayMs: number;
  /** Longest Retry-After (or rate-limit reset) the client waits for; a longer one fails with RATE_LIMITED. */
  readonly retryAfterCapMs: number;
  /** Start slowing down when X-RateLimit-Remaining falls to this many requests. */
  readonly lowWater: number;
}

/** Defaults: three retries, 250 ms doubling to 8 s, Retry-After honoured up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  retryAfterCapMs: 60_000,
  lowWater: 5,
};

/** Exponential backoff with full jitter (AWS architecture blog): a random delay in [base·2^n / 2, base·2^n]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** What X-RateLimit-* (or RateLimit-*) headers said about the current window. */
export interface RateLimitState {
  readonly limit: number | null;
  readonly remaining: number;
  /** When the window resets (epoch ms). */
  readonly resetAt: number;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

/**
 * Reads X-RateLimit-Limit/Remaining/Reset (or the draft RateLimit-* names). Reset is epoch seconds when it is
 * large (express-rate-limit's legacy headers), else seconds from now (the IETF draft). null when absent.
 */
export function parseRateLimit(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): RateLimitState | null {
  const remaining = header(headers, 'x-ratelimit-remaining') ?? header(headers, 'ratelimit-remaining');
  const reset = header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset');
  if (remaining === null || reset === null) return null;
  const r = Number(remaining);
  const s = Number(reset);
  if (!Number.isFinite(r) || !Number.isFinite(s)) return null;
  const limitRaw = header(headers, 'x-ratelimit-limit') ?? header(headers, 'ratelimit-limit');
  const limit = limitRaw !== null && Number.isFinite(Number(limitRaw)) ? Number(limitRaw) : null;
  const resetAt = s > 1e9 ? s * 1000 : now + s * 1000;
  return { limit, remaining: r, resetAt };
}

/**
 * How long to wait before the next request so the window is not exhausted: nothing while plenty remain, the
 * remaining window spread over the remaining requests near the limit, the whole window when none remain.
 */
export function paceDelay(state: RateLimitState | null, policy: RetryPolicy, now: number): number {
  if (state === null || state.resetAt <= now) return 0;
  const left = state.resetAt - now;
  if (state.remaining <= 0) return left;
  if (state.remaining > policy.lowWater) return 0;
  return Math.round(left / (state.remaining + 1));
}

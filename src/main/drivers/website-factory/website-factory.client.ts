import { AppError } from '../../../shared/errors';
import { HttpClient, sleep, type HttpMethod } from '../http/http-client';
import { jsonObject as obj } from '../http/json-values';
import type { PasswordClientOptions } from '../http/client-options';
import { collectOffsets } from '../http/pagination';
import { parseRateLimit } from '../http/rate-limit';
import { StepLog } from '../http/step-log';
import { TokenHolder, type Tokens } from '../http/token-holder';
import { readWebsiteFactoryError } from './website-factory-errors';
import { definedOptions, signalOpt as opt } from '../http/defined-options';

/** A site as the hub lists it (GET /sites/). */
export interface WfSite {
  readonly id: string;
  readonly domain: string;
  readonly brand_name?: string | null;
  readonly cloudflare_account_id?: string | null;
  readonly status_dns?: string | null;
  readonly status_hosting?: string | null;
  readonly status_content?: string | null;
  readonly status_deployment?: string | null;
  readonly hosting_doc_root?: string | null;
  readonly error_message?: string | null;
  readonly created_at?: string | null;
  readonly updated_at?: string | null;
}

/** Every documented filter of GET /sites/. */
export interface WfSiteFilters {
  readonly status_dns?: string;
  readonly status_hosting?: string;
  readonly status_content?: string;
  readonly status_deployment?: string;
  readonly domain_search?: string;
  readonly has_error?: boolean;
}

/** The documented filter names of GET /sites/ (the search box accepts them as `name:value`). */
export const SITE_FILTERS = [
  'status_dns',
  'status_hosting',
  'status_content',
  'status_deployment',
  'domain_search',
  'has_error',
] as const;

/** One page of GET /sites/. */
export interface WfSitePage {
  readonly items: WfSite[];
  readonly total: number | null;
  readonly hasNext: boolean | null;
}

/** How bulk creates are paced: the documented 10 requests per minute, and rows per request (see the driver). */
export interface BulkLimit {
  readonly perWindow: number;
  readonly windowMs: number;
  /** Rows per POST /sites/bulk. */
  readonly maxRows: number;
}

/** Documented: bulk operations 10 per minute per user. Rows per request are not documented: 100 (one full page). */
export const DEFAULT_BULK_LIMIT: BulkLimit = { perWindow: 10, windowMs: 60_000, maxRows: 100 };

/** Options of {@link WebsiteFactoryApi}. */
export interface WebsiteFactoryApiOptions extends PasswordClientOptions {
  /** Items per page when listing sites (1-100). Default 100. */
  readonly pageSize?: number;
  readonly bulk?: Partial<BulkLimit>;
}

/**
 * The Website Factory hub (seed website-factory-api.md) over the shared HTTP client: form-encoded sign-in at
 * /auth/token, the bearer token refreshed at /auth/refresh before it expires (a 401 signs in again once), sites
 * listed with limit/offset to the end, and bulk creates paced to the documented bulk limit on the client side
 * (the hub may not send X-RateLimit-* headers) and on the headers when it does. Retries and waits go to the log
 * of the step that runs the call.
 */
export class WebsiteFactoryApi {
  readonly http: HttpClient;
  readonly tokens: TokenHolder;
  readonly bulkLimit: BulkLimit;
  readonly #auth: HttpClient;
  readonly #o: WebsiteFactoryApiOptions;
  readonly #pageSize: number;
  readonly #stepLog = new StepLog();
  readonly #bulkSent: number[] = [];
  #bulkBlockedUntil = 0;
  #user: Record<string, unknown> | null = null;

  constructor(o: WebsiteFactoryApiOptions) {
    if (o.username.trim() === '') {
      throw new AppError('VALIDATION', 'Website Factory signs in with a user name.', { field: 'username' });
    }
    this.#o = o;
    const common = {
      baseUrl: o.baseUrl,
      panelName: 'Website Factory',
      errorReader: readWebsiteFactoryError,
      onEvent: this.#stepLog.onEvent(o.onHttpEvent),
      ...definedOptions(o, ['pins', 'dispatcher', 'timeoutMs', 'retry']),
    };
    this.#auth = new HttpClient(common);
    this.tokens = new TokenHolder(
      { login: (signal) => this.#login(signal), refresh: (rt, signal) => this.#refresh(rt, signal) },
      { ...(o.now ? { now: o.now } : {}), ...(o.tokenSkewMs !== undefined ? { skewMs: o.tokenSkewMs } : {}) },
    );
    this.http = new HttpClient({ ...common, auth: this.tokens });
    this.#pageSize = Math.min(100, Math.max(1, o.pageSize ?? 100));
    this.bulkLimit = { ...DEFAULT_BULK_LIMIT, ...(o.bulk ?? {}) };
  }

  /** Runs `f` with the client's retry notes going to `log` (a step's ctx.log). */
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#stepLog.run(log, f);
  }

  #log(line: string): void {
    this.#stepLog.write(line);
  }

  async #login(signal?: AbortSignal): Promise<Tokens> {
    const res = await this.#auth.request({
      method: 'POST',
      path: '/auth/token',
      form: { username: this.#o.username, password: this.#o.password },
      ...opt(signal),
    });
    const body = obj(res.body);
    const token = body['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new AppError('AUTH_FAILED', 'Website Factory accepted the sign-in but sent no access token.');
    }
    if (body['user'] !== undefined) this.#user = obj(body['user']);
    // /auth/refresh takes the current (still valid) access token: it is its own refresh token.
    return { accessToken: token, refreshToken: token };
  }

  async #refresh(current: string, signal?: AbortSignal): Promise<Tokens> {
    const res = await this.#auth.request({
      method: 'POST',
      path: '/auth/refresh',
      headers: { authorization: `Bearer ${current}` },
      ...opt(signal),
    });
    const token = obj(res.body)['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new AppError('AUTH_FAILED', 'Website Factory refreshed the session but sent no access token.');
    }
    this.#log('Website Factory session refreshed');
    return { accessToken: token, refreshToken: token };
  }

  /** Who we are (GET /auth/me). */
  async me(signal?: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.http.request({ method: 'GET', path: '/auth/me', ...opt(signal) });
    this.#user = obj(res.body);
    return this.#user;
  }

  /** The hub's name and version (GET /, no auth). */
  async version(signal?: AbortSignal): Promise<string | null> {
    const res = await this.#auth.request({ method: 'GET', path: '/', ...opt(signal) });
    const v = obj(res.body)['version'];
    return typeof v === 'string' ? v : null;
  }

  /** One request with the bearer token; the JSON body. */
  async call<T = unknown>(
    method: HttpMethod,
    path: string,
    o: { query?: Record<string, string | number | boolean | undefined>; json?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const res = await this.http.request<T>({
      method,
      path,
      ...definedOptions(o, ['query', 'json']),
      ...opt(o.signal),
    });
    return res.body;
  }

  /** One page of sites with the documented filters. */
  async sitesPage(
    filters: WfSiteFilters,
    page: { limit: number; offset: number },
    signal?: AbortSignal,
  ): Promise<WfSitePage> {
    const body = obj(await this.call('GET', '/sites/', { query: { ...filters, ...page }, ...opt(signal) }));
    const items = (Array.isArray(body['items']) ? body['items'] : []) as WfSite[];
    return {
      items,
      total: typeof body['total'] === 'number' ? body['total'] : null,
      hasNext: typeof body['has_next'] === 'boolean' ? body['has_next'] : null,
    };
  }

  /** Every site matching `filters`, limit/offset to the end. */
  listSites(filters: WfSiteFilters = {}, signal?: AbortSignal): Promise<WfSite[]> {
    return collectOffsets<WfSite>(
      async (q) => {
        const p = await this.sitesPage(filters, q, signal);
        return { items: p.items, total: p.total, hasMore: p.hasNext };
      },
      { pageSize: this.#pageSize, ...opt(signal) },
    );
  }

  /** The site with exactly this domain, or null (domain_search narrows, the match is exact). */
  async findSite(domain: string, signal?: AbortSignal): Promise<WfSite | null> {
    const found = await this.listSites({ domain_search: domain }, signal);
    return found.find((s) => s.domain.toLowerCase() === domain) ?? null;
  }

  /** The sites among `domains` that exist (one listing of all sites). */
  async existing(domains: readonly string[], signal?: AbortSignal): Promise<Map<string, WfSite>> {
    const want = new Set(domains);
    const out = new Map<string, WfSite>();
    for (const s of await this.listSites({}, signal)) {
      const d = s.domain.toLowerCase();
      if (want.has(d)) out.set(d, s);
    }
    return out;
  }

  /**
   * Waits until one more bulk request fits: at most `perWindow` in any `windowMs` (sliding, counted from each
   * answer, with a small margin), and past a reset the hub announced when it said none remain.
   */
  async #bulkSlot(signal?: AbortSignal): Promise<void> {
    const { perWindow, windowMs } = this.bulkLimit;
    const margin = Math.min(250, Math.ceil(windowMs / 20));
    for (;;) {
      const now = Date.now();
      while (this.#bulkSent.length > 0 && (this.#bulkSent[0] ?? 0) + windowMs + margin <= now) this.#bulkSent.shift();
      let wait = Math.max(0, this.#bulkBlockedUntil - now);
      if (this.#bulkSent.length >= perWindow) {
        wait = Math.max(wait, (this.#bulkSent[0] ?? now) + windowMs + margin - now);
      }
      if (wait <= 0) break;
      this.#log(`Waiting ${wait} ms for the bulk limit (${perWindow} requests per ${Math.round(windowMs / 1000)} s)`);
      await sleep(wait, signal);
    }
  }

  /** One POST /sites/bulk of at most `maxRows` rows, paced to the bulk limit; the hub's answer as it came. */
  async bulkCreate(sites: readonly Record<string, string>[], signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (sites.length > this.bulkLimit.maxRows) {
      throw new AppError('INTERNAL', `A bulk request takes at most ${this.bulkLimit.maxRows} rows.`);
    }
    await this.#bulkSlot(signal);
    // Signed in first, so the request leaves right after its slot is taken.
    await this.tokens.token(signal);
    let res;
    try {
      res = await this.http.request({ method: 'POST', path: '/sites/bulk', json: { sites }, ...opt(signal) });
    } finally {
      // Counted from the answer: the hub saw the request no later than that, so its window is never overrun.
      this.#bulkSent.push(Date.now());
    }
    const rate = parseRateLimit(res.headers, Date.now());
    if (rate !== null && rate.remaining <= 0) this.#bulkBlockedUntil = rate.resetAt;
    return obj(res.body);
  }

  /** Closes both connection pools. */
  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.#auth.close()]);
  }
}

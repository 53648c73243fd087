import type { Dispatcher } from 'undici';
import { AppError, isAppError } from '../../../shared/errors';
import { HttpClient, sleep, type HttpRequest } from '../http/http-client';
import { jsonObject as obj, nonEmpty as text } from '../http/json-values';
import type { PasswordClientOptions } from '../http/client-options';
import { collectPages } from '../http/pagination';
import { StepLog } from '../http/step-log';
import { pinnedAgent, staticPins } from '../http/tls-pinning';
import { TokenHolder, type Tokens } from '../http/token-holder';
import { readGhostCpError } from './ghostcp-errors';
import { definedOptions, signalOpt as opt } from '../http/defined-options';

/** A JSON object as GhostCP returns it (users, domains, zones, jobs …). */
export type GhostRow = Record<string, unknown>;

/** Who we are signed in as (GET /api/v1/auth/me, or the login answer's `user`). */
export interface GhostUser {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly role: string | null;
}

/** One page of a list: its rows and, when the panel says, how many there are in all. */
export interface GhostPage {
  readonly items: GhostRow[];
  readonly total: number | null;
}

/** How a running system job is followed: first interval, growing ×1.5 to the max, given up after `timeoutMs`. */
export interface JobPollOptions {
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
  readonly timeoutMs: number;
}

/** Options of {@link GhostCpApi}. */
export interface GhostCpApiOptions extends PasswordClientOptions {
  readonly poll?: Partial<JobPollOptions>;
  /** Items per page when following a list to the end (GhostCP's maximum is 100). Default 100. */
  readonly pageSize?: number;
}

const DEFAULT_POLL: JobPollOptions = { intervalMs: 1000, maxIntervalMs: 10_000, timeoutMs: 30 * 60_000 };
/** GhostCP's documented page size maximum. */
export const GHOSTCP_MAX_LIMIT = 100;

/** An id or name from panel JSON as text ('' when it is neither a string nor a number). */
export function idText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The public code's placeholder handlers answer 200 `{"message": "… - TODO"}`: a stub, not data. */
function stubMessage(body: unknown): string | null {
  const b = obj(body);
  const m = text(b['message']);
  return m !== null && /\bTODO\b/.test(m) && b['id'] === undefined ? m : null;
}

/** A feature the panel's API lacks, in one clear sentence (UNSUPPORTED). */
export function unsupported(what: string, why?: string): AppError {
  return new AppError('UNSUPPORTED', `${what} is not supported by this panel${why ? ` (${why})` : ''}.`, {
    panel: 'ghostcp',
  });
}

/**
 * The GhostCP API (seed ghostcp-api.md) over the shared HTTP client: JWT sign-in with an optional 2FA code
 * (asked for with AUTH_FAILED details.needsOtp), refresh before the token expires (TokenHolder, jose), one
 * re-login after a 401, page/limit lists followed to the end, and writes that fail as typed errors with the
 * panel's own message. What the public implementation lacks (routes that answer 405, handlers that answer
 * `{"message": "… - TODO"}`) fails as UNSUPPORTED "… is not supported by this panel" instead of looking empty.
 */
export class GhostCpApi {
  readonly http: HttpClient;
  readonly #authHttp: HttpClient;
  readonly #o: GhostCpApiOptions;
  readonly #tokens: TokenHolder;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #poll: JobPollOptions;
  readonly #pageSize: number;
  readonly #stepLog = new StepLog({ relogin: 'the session ended, signing in again' });
  #otp: string | null = null;
  #user: GhostUser | null = null;

  constructor(o: GhostCpApiOptions) {
    if (o.username.trim() === '') {
      throw new AppError('VALIDATION', 'GhostCP signs in with a username.', { field: 'username' });
    }
    this.#o = o;
    this.#ownsDispatcher = o.dispatcher === undefined;
    this.#dispatcher = o.dispatcher ?? pinnedAgent(o.pins ?? staticPins());
    this.#poll = { ...DEFAULT_POLL, ...(o.poll ?? {}) };
    this.#pageSize = Math.min(GHOSTCP_MAX_LIMIT, o.pageSize ?? GHOSTCP_MAX_LIMIT);
    this.#tokens = new TokenHolder(
      {
        login: (signal) => this.#login(signal),
        refresh: (token, signal) => this.#refresh(token, signal),
      },
      { ...(o.now ? { now: o.now } : {}), ...(o.tokenSkewMs !== undefined ? { skewMs: o.tokenSkewMs } : {}) },
    );
    const common = {
      baseUrl: o.baseUrl,
      panelName: 'GhostCP',
      errorReader: readGhostCpError,
      dispatcher: this.#dispatcher,
      onEvent: this.#stepLog.onEvent(o.onHttpEvent),
      ...definedOptions(o, ['timeoutMs', 'retry']),
    };
    // Sign-in has its own client: its own rate-limit bucket (5 a minute), and no bearer token to ask for. With so
    // small a window it slows down only before the last sign-in left (not 8 s before a 2FA code's second try).
    this.#authHttp = new HttpClient({ ...common, retry: { lowWater: 1, ...(o.retry ?? {}) } });
    this.http = new HttpClient({ ...common, auth: this.#tokens });
  }

  /** The panel's origin. */
  get origin(): string {
    return this.http.origin;
  }

  /** Who we signed in as (null before the first sign-in). */
  get user(): GhostUser | null {
    return this.#user;
  }

  /** Runs `f` with the client's retry and re-login notes going to `log` (a step's ctx.log). */
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#stepLog.run(log, f);
  }

  /**
   * Signs in now (again, when `otp` answers a 2FA challenge). Without a code, an account with 2FA fails with
   * AUTH_FAILED details.needsOtp; the code is used for this sign-in only (a later re-login asks again).
   */
  async signIn(opts: { otp?: string } = {}, signal?: AbortSignal): Promise<GhostUser> {
    if (opts.otp !== undefined) {
      if (!/^\d{6,8}$/.test(opts.otp)) {
        throw new AppError('VALIDATION', 'A two-factor code has 6 to 8 digits.', { field: 'otp' });
      }
      this.#otp = opts.otp;
    }
    try {
      await this.#tokens.relogin(signal);
    } finally {
      this.#otp = null; // a code is good for one sign-in (a refresh may have made it unnecessary)
    }
    return this.me(signal);
  }

  /** GET /api/v1/auth/me (falls back to the login answer's user when the panel lacks it). */
  async me(signal?: AbortSignal): Promise<GhostUser> {
    try {
      const res = await this.http.request({ method: 'GET', path: '/api/v1/auth/me', ...opt(signal) });
      const u = obj(res.body);
      const user = userOf(obj(u['user'] ?? u));
      if (user !== null) this.#user = user;
    } catch (e) {
      if (!(isAppError(e) && (e.code === 'NOT_FOUND' || e.details?.['status'] === 405)) || this.#user === null) throw e;
    }
    if (this.#user === null) throw new AppError('AUTH_FAILED', 'GhostCP did not say who we are.');
    return this.#user;
  }

  /** GET /health (no sign-in): the service name and version. */
  async health(signal?: AbortSignal): Promise<{ status: string | null; version: string | null }> {
    const res = await this.#authHttp.request({ method: 'GET', path: '/health', ...opt(signal) });
    const b = obj(res.body);
    return { status: text(b['status']), version: text(b['version']) };
  }

  async #login(signal?: AbortSignal): Promise<Tokens> {
    const otp = this.#otp;
    const json: Record<string, string> = { username: this.#o.username, password: this.#o.password };
    // The seed names the field two_factor_code; the public code reads totp_code. Both carry the same code.
    if (otp !== null) Object.assign(json, { two_factor_code: otp, totp_code: otp });
    let body: Record<string, unknown>;
    try {
      const res = await this.#authHttp.request({ method: 'POST', path: '/api/v1/auth/login', json, ...opt(signal) });
      body = obj(res.body);
    } catch (e) {
      throw loginError(e, otp !== null);
    } finally {
      this.#otp = null;
    }
    const token = text(body['token']) ?? text(body['access_token']);
    if (token === null) throw new AppError('AUTH_FAILED', 'GhostCP accepted the sign-in but sent no token.');
    const user = userOf(obj(body['user']));
    if (user !== null) this.#user = user;
    return { accessToken: token, refreshToken: token };
  }

  async #refresh(token: string, signal?: AbortSignal): Promise<Tokens> {
    const res = await this.#authHttp.request({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      json: { token },
      retry: false,
      ...opt(signal),
    });
    const next = text(obj(res.body)['token']);
    if (next === null) throw new AppError('AUTH_FAILED', 'GhostCP refreshed the session but sent no token.');
    return { accessToken: next, refreshToken: next };
  }

  /** One page of a list endpoint (`key` is its array: users, domains, zones …); `what` names it in errors. */
  async page(
    path: string,
    key: string,
    what: string,
    query: Readonly<Record<string, string | number | undefined>>,
    signal?: AbortSignal,
  ): Promise<GhostPage & { pages: number | null }> {
    const res = await this.#call({ method: 'GET', path, query, ...opt(signal) }, what);
    const body = obj(res);
    const raw = body[key] ?? body['data'];
    const items = (Array.isArray(raw) ? raw : []).map((x) => obj(x));
    const total = typeof body['total'] === 'number' ? body['total'] : null;
    const pages = typeof body['pages'] === 'number' ? body['pages'] : null;
    return { items, total, pages };
  }

  /** Every row of a list endpoint, page by page to the end (limit ≤ 100, a safety cap on pages). */
  async all(
    path: string,
    key: string,
    what: string,
    query: Readonly<Record<string, string | number | undefined>> = {},
    signal?: AbortSignal,
  ): Promise<GhostRow[]> {
    return collectPages<GhostRow>(
      { page: 'page', size: 'limit' },
      async (q) => {
        const p = await this.page(path, key, what, { ...query, ...q }, signal);
        const page = q['page'] ?? 1;
        return {
          items: p.items,
          total: p.total,
          hasMore: p.pages !== null ? page < p.pages : null,
        };
      },
      { pageSize: this.#pageSize, ...(signal ? { signal } : {}) },
    );
  }

  /** POST a create (sent once: the caller wraps it in postOnce); resolves with the created object. */
  async create(path: string, json: unknown, what: string, signal?: AbortSignal): Promise<GhostRow> {
    return unwrap(await this.#call({ method: 'POST', path, json, ...opt(signal) }, what));
  }

  /** PUT an update; resolves with the updated object. */
  async update(path: string, json: unknown, what: string, signal?: AbortSignal): Promise<GhostRow> {
    return unwrap(await this.#call({ method: 'PUT', path, json, ...opt(signal) }, what));
  }

  /** POST an action without a body (renew …); resolves with what the panel answered. */
  async action(path: string, what: string, signal?: AbortSignal): Promise<GhostRow> {
    return unwrap(await this.#call({ method: 'POST', path, ...opt(signal) }, what));
  }

  /** DELETE one thing (a 404 means it is already gone: resolves false). */
  async remove(path: string, what: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#call({ method: 'DELETE', path, ...opt(signal) }, what);
      return true;
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return false;
      throw e;
    }
  }

  async #call(req: HttpRequest, what: string): Promise<unknown> {
    let body: unknown;
    try {
      body = (await this.http.request(req)).body;
    } catch (e) {
      const status = isAppError(e) ? e.details?.['status'] : undefined;
      // 405: the public code has no such route (e.g. DELETE /users/:id); 501: a handler that says so.
      if (status === 405 || status === 501) throw unsupported(what);
      throw e;
    }
    const stub = stubMessage(body);
    if (stub !== null) throw unsupported(what, `its API answers "${stub}"`);
    return body;
  }

  /**
   * Follows a system job until it is completed (resolves with the job) or failed (AppError with its last output
   * line), logging each change of status and each new line of its output. Jobs are looked up in the list
   * (newest first, filtered by type): the seed documents no GET /jobs/:id.
   */
  async followJob(id: string, jobType: string | null, log: (line: string) => void, signal?: AbortSignal) {
    const started = Date.now();
    let interval = this.#poll.intervalMs;
    let status = '';
    let seenLines = 0;
    for (let n = 1; ; n++) {
      const job = await this.findJob(id, jobType, signal);
      if (job === null) throw new AppError('NOT_FOUND', `GhostCP does not list job ${id}.`);
      const s = text(job['status']) ?? 'unknown';
      const lines = (text(job['output_log']) ?? '').split('\n').filter((l) => l.trim() !== '');
      for (const line of lines.slice(seenLines)) log(`job ${id}: ${line}`);
      seenLines = Math.max(seenLines, lines.length);
      if (s !== status) {
        log(`GhostCP job ${id}: ${s}`);
        status = s;
      }
      if (s === 'completed') return job;
      if (s === 'failed') {
        throw new AppError('CONFLICT', `GhostCP: job ${id} failed: ${lines.at(-1) ?? 'no reason given'}`, {
          jobId: id,
        });
      }
      if (Date.now() - started > this.#poll.timeoutMs) {
        throw new AppError('TIMEOUT', `GhostCP job ${id} is still ${s} after ${n} checks.`, { jobId: id });
      }
      await sleep(interval, signal);
      interval = Math.min(this.#poll.maxIntervalMs, Math.round(interval * 1.5));
    }
  }

  /** One job by id: the newest page of its type first, then the whole list. */
  async findJob(id: string, jobType: string | null, signal?: AbortSignal): Promise<GhostRow | null> {
    const filter = { ...(jobType ? { job_type: jobType } : {}), sort: 'created_at', order: 'desc' };
    const first = await this.page('/api/v1/jobs', 'jobs', 'System jobs', { ...filter, page: 1, limit: 100 }, signal);
    const hit = first.items.find((j) => String(j['id']) === id);
    if (hit) return hit;
    if (first.items.length < 100) return null;
    return (
      (await this.all('/api/v1/jobs', 'jobs', 'System jobs', filter, signal)).find((j) => String(j['id']) === id) ??
      null
    );
  }

  /** Closes the connection pool (only when this client made it). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

function userOf(u: Record<string, unknown>): GhostUser | null {
  const username = text(u['username']);
  if (username === null) return null;
  return { id: idText(u['id']), username, email: text(u['email']), role: text(u['role']) };
}

function unwrap(body: unknown): GhostRow {
  const b = obj(body);
  if (b['id'] !== undefined) return b;
  for (const k of ['data', 'user', 'domain', 'zone', 'record', 'account', 'database', 'certificate', 'job', 'config']) {
    const inner = obj(b[k]);
    if (inner['id'] !== undefined) return inner;
  }
  return b;
}

/** A refused sign-in as AUTH_FAILED; a 2FA challenge (or a bare 401 without a code) carries needsOtp. */
function loginError(e: unknown, hadOtp: boolean): unknown {
  if (!isAppError(e) || e.details?.['status'] !== 401) return e;
  const said = e.message.startsWith('GhostCP: ');
  const panelDetails = obj(e.details?.['panelDetails']);
  const asksCode = panelDetails['two_factor_required'] === true || /two.?factor|2fa|totp/i.test(e.message);
  if (said && asksCode) return new AppError('AUTH_FAILED', e.message, { status: 401, needsOtp: true });
  if (said) return new AppError('AUTH_FAILED', e.message, { status: 401 });
  // The public code answers every refused sign-in with a bare 401: a wrong password and a missing code look alike.
  return new AppError(
    'AUTH_FAILED',
    hadOtp
      ? 'GhostCP refused the sign-in: the username, password or two-factor code is wrong.'
      : 'GhostCP refused the sign-in: check the username and password; if the account uses two-factor authentication, enter its code.',
    { status: 401, needsOtp: true },
  );
}

import type { Dispatcher } from 'undici';
import type WebSocket from 'ws';
import { AppError, isAppError } from '../../../shared/errors';
import { HttpClient, type HttpRequest } from '../http/http-client';
import { jsonObject as obj, nonEmpty as text } from '../http/json-values';
import type { PasswordClientOptions } from '../http/client-options';
import { collectPages } from '../http/pagination';
import { StepLog } from '../http/step-log';
import { pinnedAgent, staticPins } from '../http/tls-pinning';
import { TokenHolder, type Tokens } from '../http/token-holder';
import { envelopeFailure, readNexusError, unsupported, withAppCode } from './nexuspanel-errors';
import { openSocket, SocketRefused } from './nexuspanel-socket';
import { definedOptions, signalOpt as opt } from '../http/defined-options';

/** A JSON object as NexusPanel returns it (a user, server, alert, task …). */
export type NexusRow = Record<string, unknown>;

/** Who we signed in as (the login answer's `user`). */
export interface NexusUser {
  readonly id: number | null;
  readonly username: string;
  readonly email: string | null;
  readonly role: string | null;
}

/** One page of a list as the panel answered it. */
export interface NexusPage {
  readonly items: NexusRow[];
  readonly total: number | null;
  readonly hasMore: boolean | null;
}

/** Options of {@link NexusPanelApi}. */
export interface NexusPanelApiOptions extends PasswordClientOptions {
  /** The panel's address (`https://host:8080`; a trailing `/api/v1` is accepted and dropped). */
  readonly baseUrl: string;
  /** Items per page when following a list to the end (NexusPanel's maximum is 100). Default 100. */
  readonly pageSize?: number;
}

/** NexusPanel's documented page size maximum. */
export const NEXUS_MAX_PER_PAGE = 100;

/** Where the alerts live: the seed's `/alerts` + `/alerts/rules`, or the public code's `/monitoring/…`. */
export interface AlertRoutes {
  readonly alerts: string;
  readonly rules: string;
}

const DOCUMENTED_ALERTS: AlertRoutes = { alerts: '/api/v1/alerts', rules: '/api/v1/alerts/rules' };
const MONITORING_ALERTS: AlertRoutes = {
  alerts: '/api/v1/monitoring/alerts',
  rules: '/api/v1/monitoring/alert-rules',
};

/** The panel's root (without `/api/v1`), ending in a slash. */
function rootOf(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/?$/, '/');
}

function userOf(v: unknown): NexusUser | null {
  const u = obj(v);
  const username = text(u['username']);
  if (username === null) return null;
  return {
    id: typeof u['id'] === 'number' ? u['id'] : null,
    username,
    email: text(u['email']),
    role: text(u['role']),
  };
}

/**
 * The NexusPanel API (seed nexuspanel-api.md) over the shared HTTP client: JWT sign-in, refresh before the token
 * runs out (TokenHolder, jose) and one re-login after a 401, logout; the `{code, message, data}` envelope with its
 * application codes as typed errors carrying the panel's message (also when a 2xx carries a failure code);
 * page/per_page lists followed to the end; 501 as UNSUPPORTED "… is not supported by this panel". It tolerates
 * the public code: alerts under `/monitoring/alerts` + `/monitoring/alert-rules`, WebSockets at `/ws/metrics/:id`
 * and `/ws/terminal/:id` (each found once by trying the documented route first, then remembered).
 */
export class NexusPanelApi {
  readonly http: HttpClient;
  readonly #authHttp: HttpClient;
  readonly #o: NexusPanelApiOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #pageSize: number;
  readonly #root: string;
  readonly #stepLog = new StepLog({ relogin: 'the session ended, signing in again' });
  #tokens: TokenHolder;
  #user: NexusUser | null = null;
  #signedIn = false;
  #alerts: AlertRoutes | null = null;
  #wsStyle: 'documented' | 'ws' | null = null;

  constructor(o: NexusPanelApiOptions) {
    if (o.username.trim() === '') {
      throw new AppError('VALIDATION', 'NexusPanel signs in with a username.', { field: 'username' });
    }
    this.#o = o;
    this.#root = rootOf(o.baseUrl);
    this.#ownsDispatcher = o.dispatcher === undefined;
    this.#dispatcher = o.dispatcher ?? pinnedAgent(o.pins ?? staticPins());
    this.#pageSize = Math.min(NEXUS_MAX_PER_PAGE, o.pageSize ?? NEXUS_MAX_PER_PAGE);
    this.#tokens = this.#holder();
    const common = {
      baseUrl: this.#root,
      panelName: 'NexusPanel',
      errorReader: readNexusError,
      dispatcher: this.#dispatcher,
      onEvent: this.#stepLog.onEvent(o.onHttpEvent),
      ...definedOptions(o, ['timeoutMs', 'retry']),
    };
    // Sign-in has its own client: its own rate-limit bucket (10 a minute per address), and no bearer token.
    this.#authHttp = new HttpClient(common);
    this.http = new HttpClient({
      ...common,
      auth: {
        headers: (signal) => this.#tokens.headers(signal),
        relogin: (signal) => this.#tokens.relogin(signal),
      },
    });
  }

  #holder(): TokenHolder {
    const o = this.#o;
    return new TokenHolder(
      { login: (signal) => this.#login(signal), refresh: (token, signal) => this.#refresh(token, signal) },
      { ...(o.now ? { now: o.now } : {}), ...(o.tokenSkewMs !== undefined ? { skewMs: o.tokenSkewMs } : {}) },
    );
  }

  /** The panel's origin. */
  get origin(): string {
    return this.http.origin;
  }

  /** Who we signed in as (null before the first sign-in). */
  get user(): NexusUser | null {
    return this.#user;
  }

  /** Runs `f` with the client's retry and re-login notes going to `log` (a step's ctx.log). */
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#stepLog.run(log, f);
  }

  /** Signs in now (again when signed in) and says who we are. */
  async signIn(signal?: AbortSignal): Promise<NexusUser> {
    await this.#tokens.relogin(signal);
    if (this.#user === null) throw new AppError('AUTH_FAILED', 'NexusPanel did not say who we are.');
    return this.#user;
  }

  /** POST /auth/logout (when signed in), then forgets the tokens: the next call signs in again. */
  async logout(signal?: AbortSignal): Promise<void> {
    if (!this.#signedIn) return;
    try {
      await this.http.request({ method: 'POST', path: '/api/v1/auth/logout', retry: false, ...opt(signal) });
    } finally {
      this.#signedIn = false;
      this.#tokens = this.#holder();
    }
  }

  async #login(signal?: AbortSignal): Promise<Tokens> {
    const res = await this.#authHttp
      .request({
        method: 'POST',
        path: '/api/v1/auth/login',
        json: { username: this.#o.username, password: this.#o.password },
        ...opt(signal),
      })
      .catch((e: unknown) => {
        throw withAppCode(e);
      });
    const data = this.#unwrap(res.body, 'POST /api/v1/auth/login');
    const access = text(data['access_token']);
    if (access === null) throw new AppError('AUTH_FAILED', 'NexusPanel accepted the sign-in but sent no token.');
    const user = userOf(data['user']);
    if (user !== null) this.#user = user;
    this.#signedIn = true;
    return { accessToken: access, refreshToken: text(data['refresh_token']) };
  }

  async #refresh(refreshToken: string, signal?: AbortSignal): Promise<Tokens> {
    const res = await this.#authHttp.request({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      json: { refresh_token: refreshToken },
      retry: false,
      ...opt(signal),
    });
    const data = this.#unwrap(res.body, 'POST /api/v1/auth/refresh');
    const access = text(data['access_token']);
    if (access === null) throw new AppError('AUTH_FAILED', 'NexusPanel refreshed the session but sent no token.');
    this.#signedIn = true;
    return { accessToken: access, refreshToken: text(data['refresh_token']) ?? refreshToken };
  }

  /** The envelope's `data` (an object; {} when absent), or the failure a 2xx envelope carried. */
  #unwrap(body: unknown, request: string): Record<string, unknown> {
    const failure = envelopeFailure(body, request);
    if (failure !== null) throw failure;
    const b = obj(body);
    return 'data' in b ? obj(b['data']) : b;
  }

  /** One call: `data` of the envelope; failures typed by the application code; 501 → UNSUPPORTED naming `what`. */
  async call(req: HttpRequest, what: string): Promise<Record<string, unknown>> {
    let body: unknown;
    try {
      body = (await this.http.request(req)).body;
    } catch (e) {
      const mapped = withAppCode(e);
      if (isAppError(mapped) && (mapped.details?.['status'] === 501 || mapped.code === 'UNSUPPORTED')) {
        throw unsupported(what);
      }
      throw mapped;
    }
    try {
      return this.#unwrap(body, `${req.method} ${req.path}`);
    } catch (e) {
      if (isAppError(e) && e.code === 'UNSUPPORTED') throw unsupported(what);
      throw e;
    }
  }

  /** One page of a list endpoint (`key` names its array: users, servers …; `items` is accepted too). */
  async page(
    path: string,
    key: string,
    what: string,
    query: Readonly<Record<string, string | number | undefined>>,
    signal?: AbortSignal,
  ): Promise<NexusPage> {
    const data = await this.call({ method: 'GET', path, query, ...opt(signal) }, what);
    const raw = data[key] ?? data['items'];
    const items = (Array.isArray(raw) ? raw : []).map((x) => obj(x));
    if (data['pagination'] === undefined) return { items, total: items.length, hasMore: false };
    const p = obj(data['pagination']);
    const total = typeof p['total_count'] === 'number' ? p['total_count'] : null;
    const hasMore =
      typeof p['has_next'] === 'boolean'
        ? p['has_next']
        : typeof p['current_page'] === 'number' && typeof p['total_pages'] === 'number'
          ? p['current_page'] < p['total_pages']
          : null;
    return { items, total, hasMore };
  }

  /** Every row of a list endpoint, page by page (page/per_page ≤ 100) to the end, with a safety cap. */
  all(
    path: string,
    key: string,
    what: string,
    query: Readonly<Record<string, string | number | undefined>> = {},
    signal?: AbortSignal,
  ): Promise<NexusRow[]> {
    return collectPages<NexusRow>(
      { page: 'page', size: 'per_page' },
      (q) => this.page(path, key, what, { ...query, ...q }, signal),
      { pageSize: this.#pageSize, ...(signal ? { signal } : {}) },
    );
  }

  /** Sends a POST once (the caller wraps a create in postOnce); resolves with `data[key]` (or `data`). */
  async post(path: string, key: string | null, json: unknown, what: string, signal?: AbortSignal): Promise<NexusRow> {
    const data = await this.call(
      { method: 'POST', path, ...(json !== undefined ? { json } : {}), ...opt(signal) },
      what,
    );
    return key !== null && key in data ? obj(data[key]) : data;
  }

  /** PUT an update; resolves with `data[key]`. */
  async put(path: string, key: string, json: unknown, what: string, signal?: AbortSignal): Promise<NexusRow> {
    const data = await this.call({ method: 'PUT', path, json, ...opt(signal) }, what);
    return key in data ? obj(data[key]) : data;
  }

  /** DELETE one thing; resolves false when it was already gone (404). */
  async remove(path: string, what: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call({ method: 'DELETE', path, ...opt(signal) }, what);
      return true;
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return false;
      throw e;
    }
  }

  /** The alert routes this panel serves: the seed's, else the public code's (tried once, then remembered). */
  async alertRoutes(signal?: AbortSignal): Promise<AlertRoutes> {
    if (this.#alerts !== null) return this.#alerts;
    for (const routes of [DOCUMENTED_ALERTS, MONITORING_ALERTS]) {
      try {
        await this.http.request({
          method: 'GET',
          path: routes.alerts,
          query: { page: 1, per_page: 1 },
          ...opt(signal),
        });
        this.#alerts = routes;
        return routes;
      } catch (e) {
        if (!(isAppError(e) && e.details?.['status'] === 404)) throw withAppCode(e);
      }
    }
    throw unsupported('Alerting');
  }

  /**
   * Opens the metrics stream or the terminal of a server over WebSocket: the seed's route
   * (`/api/v1/servers/:id/metrics/stream`, `/api/v1/servers/:id/terminal`), else the public code's
   * (`/ws/metrics/:id`, `/ws/terminal/:id`); a refused token is renewed once, like a 401 over HTTP.
   */
  async socket(kind: 'metrics' | 'terminal', serverId: string, signal?: AbortSignal): Promise<WebSocket> {
    const styles: ('documented' | 'ws')[] = this.#wsStyle !== null ? [this.#wsStyle] : ['documented', 'ws'];
    let relogged = false;
    for (let i = 0; i < styles.length; i++) {
      const style = styles[i] ?? 'documented';
      const path =
        style === 'documented'
          ? `api/v1/servers/${serverId}/${kind === 'metrics' ? 'metrics/stream' : 'terminal'}`
          : `ws/${kind}/${serverId}`;
      const url = new URL(path, this.#root);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      try {
        const ws = await openSocket({
          url,
          headers: await this.#tokens.headers(signal),
          pins: this.#o.pins ?? staticPins(),
          timeoutMs: this.#o.timeoutMs ?? 30_000,
        });
        this.#wsStyle = style;
        return ws;
      } catch (e) {
        if (!(e instanceof SocketRefused)) throw e;
        const status = e.details?.['status'];
        if (status === 401 && !relogged) {
          relogged = true;
          this.#o.onHttpEvent?.({ type: 'relogin', request: `WS ${url.pathname}` });
          await this.#tokens.relogin(signal);
          i--;
          continue;
        }
        if (status === 404 && i + 1 < styles.length) continue;
        if (status === 501) throw unsupported(kind === 'metrics' ? 'The live metrics stream' : 'The web terminal');
        throw new AppError(e.code, e.message, e.details);
      }
    }
    throw unsupported(kind === 'metrics' ? 'The live metrics stream' : 'The web terminal');
  }

  /** Closes the connection pool (only when the client made it). */
  async close(): Promise<void> {
    await this.http.close();
    await this.#authHttp.close();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

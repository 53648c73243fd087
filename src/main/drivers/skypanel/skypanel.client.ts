import { AppError, isAppError } from '../../../shared/errors';
import type { PanelDriverOptions } from '../capabilities';
import { readErrorEnvelope } from '../http/envelope-errors';
import { HttpClient, type HttpMethod } from '../http/http-client';
import { jsonObject as obj } from '../http/json-values';
import { StepLog } from '../http/step-log';
import { TokenHolder, type Tokens } from '../http/token-holder';
import { definedOptions } from '../http/defined-options';

/** The versioned media type the seed asks every request to send. */
export const SKYPANEL_ACCEPT = 'application/vnd.skypanel.v1+json';

/**
 * How this SkyPANEL signs us in: the seed's JWT (`POST /api/auth/login`), or the public code's session cookie
 * (`POST /api/login`, passport) for a login, or its API keys on `/api/v1/*` for a key without a user name.
 */
export type SkyAuthMode = 'jwt' | 'session' | 'apikey';

/** A server as SkyPANEL lists it. */
export interface SkyServer {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly ipAddress: string | null;
  readonly plan: string | null;
}

/** A scalar id or name as text ('' for anything else). */
export function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** `{success, data}` (the seed) or the bare body (the public code). */
export function dataOf(body: unknown): unknown {
  const o = obj(body);
  return 'success' in o && 'data' in o ? o['data'] : body;
}

/**
 * The SkyPANEL API (seed skypanel-api.md) over the shared HTTP client: the versioned Accept header on every
 * request, the `{success, error:{code,message,details}}` envelope as typed errors, JWT sign-in (signed in again
 * before the token runs out, and once after a 401). Tolerates the public code: session-cookie login at
 * `/api/login` when the documented route is absent, and API keys for `/api/v1/*`.
 */
export class SkyPanelApi {
  readonly http: HttpClient;
  /** Sign-in requests: the same panel, without the auth headers (and never a re-login loop). */
  readonly #authHttp: HttpClient;
  readonly #o: PanelDriverOptions;
  readonly #tokens: TokenHolder;
  readonly #stepLog = new StepLog({ window: 'the window' });
  #mode: SkyAuthMode | null;
  #cookie: string | null = null;

  constructor(o: PanelDriverOptions) {
    this.#o = o;
    this.#mode = o.username === null ? 'apikey' : null;
    this.#tokens = new TokenHolder({ login: (signal) => this.#login(signal) });
    const common = {
      baseUrl: o.baseUrl,
      panelName: 'SkyPANEL',
      pins: o.pins,
      errorReader: readErrorEnvelope, // the same {success:false, error:{code,message,details}} shapes as CloudPanel
      onEvent: this.#stepLog.onEvent(o.onHttpEvent),
      ...definedOptions(o, ['timeoutMs', 'retry']),
    };
    this.#authHttp = new HttpClient(common);
    this.http = new HttpClient({
      ...common,
      auth: {
        headers: async (signal) => this.#authHeaders(signal),
        relogin: async (signal) => {
          if (this.#mode === 'apikey') throw new AppError('AUTH_FAILED', 'SkyPANEL refused the API key.');
          this.#cookie = null;
          await this.#tokens.relogin(signal);
        },
      },
    });
  }

  /** Which sign-in this panel uses (known after the first call). */
  async mode(signal?: AbortSignal): Promise<SkyAuthMode> {
    if (this.#mode === null) await this.#tokens.token(signal);
    return this.#mode ?? 'jwt';
  }

  /** Runs `f` with the client's retry notes going to `log` (a step's ctx.log). */
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#stepLog.run(log, f);
  }

  /** One call; the answer's `data` (or the bare body of the public code). */
  async call(method: HttpMethod, path: string, json?: unknown, signal?: AbortSignal): Promise<unknown> {
    const res = await this.http.request({
      method,
      path,
      headers: { accept: SKYPANEL_ACCEPT },
      ...(json !== undefined ? { json } : {}),
      ...(signal ? { signal } : {}),
    });
    return dataOf(res.body);
  }

  /** The servers of this account (the seed's list, the public code's user list, or the API-key list). */
  async servers(signal?: AbortSignal): Promise<SkyServer[]> {
    const mode = await this.mode(signal);
    const path = mode === 'jwt' ? '/api/servers' : mode === 'session' ? '/api/user/servers' : '/api/v1/servers';
    const data = await this.call('GET', path, undefined, signal);
    const list = Array.isArray(data) ? data : (obj(data)['servers'] ?? obj(data)['data']);
    if (!Array.isArray(list)) throw new AppError('INTERNAL', 'SkyPANEL answered the server list in an unknown shape.');
    return list.map((s) => {
      const o = obj(s);
      return {
        id: text(o['id']),
        name: text(o['name']) || text(o['hostname']) || text(o['id']),
        status: typeof o['status'] === 'string' ? o['status'].toLowerCase() : 'unknown',
        ipAddress: typeof o['ipAddress'] === 'string' ? o['ipAddress'] : null,
        plan: typeof o['plan'] === 'string' ? o['plan'] : null,
      };
    });
  }

  async #authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.#mode === 'apikey') return { authorization: `Bearer ${this.#o.secret}` };
    const token = await this.#tokens.token(signal);
    return this.#mode === 'session' ? { cookie: token } : { authorization: `Bearer ${token}` };
  }

  /** The documented JWT login; on 404 the public code's session login (its cookie stands in for the token). */
  async #login(signal?: AbortSignal): Promise<Tokens> {
    const email = this.#o.username ?? '';
    if (this.#mode !== 'session') {
      try {
        const res = await this.#authHttp.request({
          method: 'POST',
          path: '/api/auth/login',
          json: { email, password: this.#o.secret },
          headers: { accept: SKYPANEL_ACCEPT },
          ...(signal ? { signal } : {}),
        });
        const token = obj(dataOf(res.body))['token'];
        if (typeof token !== 'string' || token === '') {
          throw new AppError('AUTH_FAILED', 'SkyPANEL signed in but gave no token.');
        }
        this.#mode = 'jwt';
        return { accessToken: token };
      } catch (e) {
        if (!(isAppError(e) && e.details?.['status'] === 404)) throw e;
      }
    }
    const res = await this.#authHttp.request({
      method: 'POST',
      path: '/api/login',
      json: { username: email, email, password: this.#o.secret },
      headers: { accept: SKYPANEL_ACCEPT },
      ...(signal ? { signal } : {}),
    });
    const set = res.headers['set-cookie'];
    const cookie = (Array.isArray(set) ? set : typeof set === 'string' ? [set] : [])
      .map((c) => c.split(';')[0] ?? '')
      .filter((c) => c.includes('='))
      .join('; ');
    if (cookie === '') throw new AppError('AUTH_FAILED', 'SkyPANEL signed in but set no session cookie.');
    this.#mode = 'session';
    this.#cookie = cookie;
    return { accessToken: this.#cookie };
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.#authHttp.close()]);
  }
}

import { AppError } from '../../../shared/errors';
import { HttpClient, sleep } from '../http/http-client';
import type { PanelClientOptions } from '../http/client-options';
import { collectPages } from '../http/pagination';
import { jsonObject as obj } from '../http/json-values';
import { StepLog } from '../http/step-log';
import { readCloudPanelError } from './cloudpanel-errors';
import { definedOptions, signalOpt as opt } from '../http/defined-options';

/** A site as CloudPanel's API lists it (GET /api/v1/sites). */
export interface CpSite {
  readonly id: number;
  readonly domainName: string;
  readonly type: string;
  readonly rootDirectory: string | null;
  readonly phpVersion?: string | null;
  readonly reverseProxyUrl?: string | null;
  readonly status?: string;
}

/** A queued operation's state (GET /api/v1/operations/:id). */
export interface CpOperation {
  readonly id: number;
  readonly status: string;
  readonly error: string | null;
  readonly result: unknown;
}

/** One page of a list as the panel answered it (see {@link CloudPanelApi.page}). */
export interface CpPage<T> {
  readonly items: T[];
  readonly total: number | null;
  readonly hasMore: boolean | null;
  readonly paginated: boolean;
}

/** How queued operations are polled: first interval, growing ×1.5 up to the max, given up after `timeoutMs`. */
export interface PollOptions {
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
  readonly timeoutMs: number;
}

/** Options of {@link CloudPanelApi}. */
export interface CloudPanelApiOptions extends PanelClientOptions {
  readonly apiKey: string;
  readonly poll?: Partial<PollOptions>;
  /** Items per page when listing. Default 100. */
  readonly pageSize?: number;
}

const DEFAULT_POLL: PollOptions = { intervalMs: 1000, maxIntervalMs: 10_000, timeoutMs: 15 * 60_000 };

/**
 * The CloudPanel API (seed cloudpanel-api.md) over the shared HTTP client: X-API-Key auth, lists followed to the
 * end, queued writes (documented 202 {operation_id}, or the public code's 200 {operation:{id}}) and operation
 * polling with backoff. Retries and rate-limit waits are written to the log of the step that runs the call.
 */
export class CloudPanelApi {
  readonly http: HttpClient;
  readonly #poll: PollOptions;
  readonly #pageSize: number;
  readonly #stepLog = new StepLog();

  constructor(o: CloudPanelApiOptions) {
    if (!/^cp_[A-Za-z0-9_-]+$/.test(o.apiKey) && !/^[A-Za-z0-9_-]{8,}$/.test(o.apiKey)) {
      throw new AppError('VALIDATION', 'That does not look like a CloudPanel API key.', { field: 'apiKey' });
    }
    this.http = new HttpClient({
      baseUrl: o.baseUrl,
      panelName: 'CloudPanel',
      auth: { headers: () => ({ 'x-api-key': o.apiKey }) },
      errorReader: readCloudPanelError,
      onEvent: this.#stepLog.onEvent(o.onHttpEvent),
      ...definedOptions(o, ['pins', 'dispatcher', 'timeoutMs', 'retry']),
    });
    this.#poll = { ...DEFAULT_POLL, ...(o.poll ?? {}) };
    this.#pageSize = o.pageSize ?? 100;
  }

  /** Runs `f` with the client's retry notes going to `log` (a step's ctx.log). */
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#stepLog.run(log, f);
  }

  /** Which key this is: an admin key may list users; a user key gets 403 there (explained, not an error). */
  async identify(signal?: AbortSignal): Promise<{ role: 'admin' | 'user'; sites: number }> {
    // One small page is enough: the key works, and the panel's total says how many sites it sees.
    const first = await this.page<CpSite>('/api/v1/sites', 'sites', 1, 1, signal);
    const sites = first.total ?? first.items.length;
    try {
      await this.http.request({ method: 'GET', path: '/api/v1/users', query: { page: 1, limit: 1 }, ...opt(signal) });
      return { role: 'admin', sites };
    } catch (e) {
      if (e instanceof AppError && e.details?.['status'] === 403) return { role: 'user', sites };
      throw e;
    }
  }

  /** Every site, page by page to the end. */
  listSites(signal?: AbortSignal): Promise<CpSite[]> {
    return this.#list<CpSite>('/api/v1/sites', 'sites', signal);
  }

  /** Every database with its users. */
  listDatabases(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return this.#list('/api/v1/databases', 'databases', signal);
  }

  /** Every panel user (admin key only: a user key fails with AUTH_FAILED and the panel's 403 message). */
  listUsers(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return this.#list('/api/v1/users', 'users', signal);
  }

  /** Every certificate. */
  listCertificates(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return this.#list('/api/v1/certificates', 'certificates', signal);
  }

  #list<T>(path: string, key: string, signal?: AbortSignal): Promise<T[]> {
    return this.listAll<T>(path, key, signal);
  }

  /** Every item of a list resource (`key` names the array in the answer), page by page to the end. */
  async listAll<T>(path: string, key: string, signal?: AbortSignal): Promise<T[]> {
    return collectPages<T>(
      { page: 'page', size: 'limit' },
      async (query) => {
        const p = await this.page<T>(path, key, query['page'] ?? 1, query['limit'] ?? this.#pageSize, signal);
        // A panel without pagination answers everything at once: one page, done.
        if (!p.paginated) return { items: p.items, hasMore: false };
        return { items: p.items, total: p.total, hasMore: p.hasMore };
      },
      { pageSize: this.#pageSize, ...(signal ? { signal } : {}) },
    );
  }

  /**
   * One page of a list resource as the panel answered it. `paginated` is false when the panel ignored page/limit
   * and sent everything (the caller slices); `total` is the panel's count when it gives one.
   */
  async page<T>(path: string, key: string, page: number, limit: number, signal?: AbortSignal): Promise<CpPage<T>> {
    const res = await this.http.request({ method: 'GET', path, query: { page, limit }, ...opt(signal) });
    const body = obj(res.body);
    const items = (Array.isArray(body[key]) ? body[key] : Array.isArray(body['data']) ? body['data'] : []) as T[];
    if (body['pagination'] === undefined) return { items, total: items.length, hasMore: false, paginated: false };
    const p = obj(body['pagination']);
    return {
      items,
      total: typeof p['total'] === 'number' ? p['total'] : null,
      hasMore: typeof p['pages'] === 'number' && typeof p['page'] === 'number' ? p['page'] < p['pages'] : null,
      paginated: true,
    };
  }

  /** Sends a queued write once; resolves with the operation id (documented 202 or the public code's 200). */
  async queue(method: 'POST' | 'DELETE', path: string, json?: unknown, signal?: AbortSignal): Promise<number> {
    const id = await this.write(method, path, json, signal);
    if (id !== null) return id;
    throw new AppError('INTERNAL', `CloudPanel accepted ${method} ${path} but named no operation to follow.`);
  }

  /**
   * Sends a write once; resolves with the operation id to follow, or null when the panel did it at once (an
   * answer without an operation, e.g. 201 with the created row).
   */
  async write(method: 'POST' | 'DELETE', path: string, json?: unknown, signal?: AbortSignal): Promise<number | null> {
    const res = await this.http.request({ method, path, ...(json !== undefined ? { json } : {}), ...opt(signal) });
    const body = obj(res.body);
    const id = body['operation_id'] ?? obj(body['operation'])['id'] ?? obj(body['data'])['operation_id'];
    if (typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id))) return Number(id);
    return null;
  }

  /** One look at a queued operation. */
  async operation(id: number, signal?: AbortSignal): Promise<CpOperation> {
    const res = await this.http.request({ method: 'GET', path: `/api/v1/operations/${id}`, ...opt(signal) });
    const body = obj(res.body);
    const d = obj(body['data'] ?? body['operation'] ?? body);
    return {
      id,
      status: typeof d['status'] === 'string' ? d['status'] : 'unknown',
      error: typeof d['error'] === 'string' ? d['error'] : null,
      result: d['result'] ?? null,
    };
  }

  /**
   * Polls a queued operation with backoff until it is completed (resolves) or failed (AppError with the panel's
   * error), logging each change of status; gives up after the poll timeout (the operation may still finish).
   */
  async waitFor(id: number, log: (line: string) => void, signal?: AbortSignal): Promise<CpOperation> {
    const started = Date.now();
    let interval = this.#poll.intervalMs;
    let last = '';
    for (let n = 1; ; n++) {
      const op = await this.operation(id, signal);
      if (op.status !== last) {
        log(`CloudPanel operation ${id}: ${op.status}${op.error ? ` (${op.error})` : ''}`);
        last = op.status;
      }
      if (op.status === 'completed') return op;
      if (op.status === 'failed') {
        throw new AppError('CONFLICT', `CloudPanel: operation ${id} failed: ${op.error ?? 'no reason given'}`, {
          operationId: id,
        });
      }
      if (Date.now() - started > this.#poll.timeoutMs) {
        throw new AppError('TIMEOUT', `CloudPanel operation ${id} is still ${op.status} after ${n} checks.`, {
          operationId: id,
        });
      }
      await sleep(interval, signal);
      interval = Math.min(this.#poll.maxIntervalMs, Math.round(interval * 1.5));
    }
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.http.close();
  }
}

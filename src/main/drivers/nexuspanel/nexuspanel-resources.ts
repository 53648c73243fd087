import { AppError } from '../../../shared/errors';
import type { Plan } from '../../operations/operation.types';
import type { PanelListQuery, PanelResourceKindInfo, PanelResources, PanelRowData } from '../capabilities';
import type { NexusPanelApi, NexusRow } from './nexuspanel.client';
import { NEXUS_MAX_PER_PAGE } from './nexuspanel.client';
import { LIST_OF, NEXUS_KINDS, rowOf } from './nexuspanel-kinds';
import { nexusPlan, writeSteps, type NexusStepEnv } from './nexuspanel-plans';
import { idOf, ruleBody, serverBody, serverPatch, userBody } from './nexuspanel-values';

/** How the process list is sorted (seed: `sort` = cpu, memory or name). */
export type ProcessSort = 'cpu' | 'memory' | 'name';

/**
 * The processes search box: `server:<id>` picks the server (default: the first one the panel lists),
 * `sort:cpu|memory|name` the order; other words filter by name or command.
 */
export function parseProcessSearch(search: string | null): {
  serverId: string | null;
  sort: ProcessSort;
  words: string[];
} {
  let serverId: string | null = null;
  let sort: ProcessSort = 'cpu';
  const words: string[] = [];
  for (const w of (search ?? '').split(/\s+/).filter(Boolean)) {
    const m = /^(server|sort):(.*)$/.exec(w);
    if (m?.[1] === 'server') serverId = idOf(m[2], 'server');
    else if (m?.[1] === 'sort') {
      if (m[2] !== 'cpu' && m[2] !== 'memory' && m[2] !== 'name') {
        throw new AppError('VALIDATION', 'Sort processes by cpu, memory or name.', { field: 'search' });
      }
      sort = m[2];
    } else words.push(w.toLowerCase());
  }
  return { serverId, sort, words };
}

function matches(row: PanelRowData, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const hay = Object.values(row.cells)
    .map((v) => String(v ?? '').toLowerCase())
    .join(' ');
  return words.every((w) => hay.includes(w));
}

/**
 * NexusPanel's resources for the Panels section: servers, processes of a server, alerts, alert rules, users,
 * tasks, plugins. Lists use the panel's page/per_page directly when it can (its total shown); searches the panel
 * cannot do are done here over the whole list. Writes are plans whose values are validated before sending.
 */
export class NexusPanelResources implements PanelResources {
  readonly #api: NexusPanelApi;
  readonly #env: NexusStepEnv;
  readonly #panelId: string;

  constructor(api: NexusPanelApi, panelId: string, password: string) {
    this.#api = api;
    this.#env = { api, password };
    this.#panelId = panelId;
  }

  kinds(): readonly PanelResourceKindInfo[] {
    return NEXUS_KINDS;
  }

  /** Where a listed kind lives now (alerts and rules depend on the panel's routes). */
  async #where(kind: string): Promise<{ path: string; key: string; what: string; panelSearch: boolean }> {
    const l = LIST_OF[kind];
    if (!l) throw new AppError('NOT_FOUND', `NexusPanel has no "${kind}".`, { field: 'resource' });
    if (kind === 'alerts' || kind === 'alert-rules') {
      const routes = await this.#api.alertRoutes();
      return { ...l, path: kind === 'alerts' ? routes.alerts : routes.rules };
    }
    return l;
  }

  /** Every item of a kind, page by page to the end (processes: of `serverId`, sorted). */
  async all(kind: string, opts: { serverId?: string; sort?: ProcessSort; search?: string } = {}): Promise<NexusRow[]> {
    if (kind === 'processes') {
      const serverId = opts.serverId !== undefined ? idOf(opts.serverId, 'server') : await this.#firstServer();
      return this.#api.all(`/api/v1/servers/${serverId}/processes`, 'processes', 'The process list', {
        sort: opts.sort ?? 'cpu',
      });
    }
    const l = await this.#where(kind);
    return this.#api.all(
      l.path,
      l.key,
      l.what,
      opts.search !== undefined && l.panelSearch ? { search: opts.search } : {},
    );
  }

  async #firstServer(): Promise<string> {
    const first = await this.#api.page('/api/v1/servers', 'servers', 'Listing servers', { page: 1, per_page: 1 });
    const id = first.items[0]?.['id'];
    if (typeof id !== 'number' && typeof id !== 'string') {
      throw new AppError('NOT_FOUND', 'NexusPanel manages no server yet.');
    }
    return idOf(id, 'server');
  }

  async list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }> {
    if (kind === 'processes') {
      const s = parseProcessSearch(q.search);
      const rows = (
        await this.all('processes', { ...(s.serverId !== null ? { serverId: s.serverId } : {}), sort: s.sort })
      )
        .map((x) => rowOf(kind, x))
        .filter((r) => matches(r, s.words));
      return { items: rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: rows.length };
    }
    const l = await this.#where(kind);
    const localSearch = q.search !== null && !l.panelSearch;
    if (!localSearch && q.pageSize <= NEXUS_MAX_PER_PAGE) {
      const p = await this.#api.page(l.path, l.key, l.what, {
        page: q.page,
        per_page: q.pageSize,
        ...(q.search !== null ? { search: q.search } : {}),
      });
      return { items: p.items.map((x) => rowOf(kind, x)), total: p.total };
    }
    const words = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const rows = (await this.all(kind, q.search !== null && l.panelSearch ? { search: q.search } : {}))
      .map((x) => rowOf(kind, x))
      .filter((r) => matches(r, localSearch ? words : []));
    return { items: rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: rows.length };
  }

  async #findBy(kind: string, field: string, value: unknown): Promise<NexusRow | null> {
    return (await this.all(kind)).find((x) => x[field] === value) ?? null;
  }

  async planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    if (kind === 'servers') {
      const body = serverBody(values);
      return this.#createPlan(kind, 'server', body, 'name', `add server ${String(body['name'])}`);
    }
    if (kind === 'users') {
      const { body, password } = userBody(values);
      return this.#createPlan(kind, 'user', body, 'username', `create user ${String(body['username'])}`, [password]);
    }
    if (kind === 'alert-rules') {
      const body = ruleBody(values);
      return this.#createPlan(kind, 'rule', body, 'name', `create alert rule ${String(body['name'])}`);
    }
    const info = NEXUS_KINDS.find((k) => k.id === kind);
    throw new AppError('UNSUPPORTED', `${info?.label ?? kind} cannot be created through NexusPanel's API.`);
  }

  async #createPlan(
    kind: string,
    key: string,
    body: Record<string, unknown>,
    unique: string,
    what: string,
    secrets: readonly string[] = [],
  ): Promise<Plan> {
    const path = (await this.#where(kind)).path;
    if (await this.#findBy(kind, unique, body[unique])) {
      throw new AppError('CONFLICT', `NexusPanel already has ${key} ${String(body[unique])}.`, { field: unique });
    }
    const shown = `POST ${path} ${JSON.stringify({ ...body, ...(body['password'] !== undefined ? { password: '••••' } : {}) })}`;
    const steps = writeSteps(this.#env, {
      what,
      method: 'POST',
      path,
      body,
      key,
      shown,
      secrets,
      lookup: () => this.#findBy(kind, unique, body[unique]),
      verify: async () => {
        const found = await this.#findBy(kind, unique, body[unique]);
        if (!found)
          throw new AppError('NOT_FOUND', `NexusPanel answered, but does not list ${key} ${String(body[unique])}.`);
        return `${key} ${String(found['id'])} listed`;
      },
      undo: async (signal, answer) => {
        if (answer['id'] !== undefined)
          await this.#api.remove(`${path}/${idOf(answer['id'])}`, `Deleting ${key}`, signal);
      },
    });
    const params = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'password')) as Record<
      string,
      string | number | boolean
    >;
    return nexusPlan(
      `NexusPanel: ${what}`,
      this.#panelId,
      `nexuspanel.${kind}.create`,
      steps,
      { resource: kind, ...params },
      secrets,
    );
  }

  async planDelete(kind: string, itemId: string): Promise<Plan> {
    const id = idOf(itemId);
    const info = NEXUS_KINDS.find((k) => k.id === kind);
    if (!info?.canDelete)
      throw new AppError('UNSUPPORTED', `${info?.label ?? kind} cannot be deleted through NexusPanel's API.`);
    const path = `${(await this.#where(kind)).path}/${id}`;
    const label = info.label.toLowerCase().replace(/s$/, '');
    const steps = writeSteps(this.#env, {
      what: `delete ${label} ${id}`,
      method: 'DELETE',
      path,
      key: null,
      shown: `DELETE ${path}`,
      verify: async () => {
        if ((await this.all(kind)).some((x) => String(x['id']) === id)) {
          throw new AppError('CONFLICT', `NexusPanel answered, but still lists ${label} ${id}.`);
        }
        return 'gone';
      },
    });
    return nexusPlan(`NexusPanel: delete ${label} ${id}`, this.#panelId, `nexuspanel.${kind}.delete`, steps, {
      resource: kind,
      id,
    });
  }

  /** A server update (PUT /servers/:id), validated, as a plan. */
  planUpdateServer(itemId: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    const id = idOf(itemId);
    const body = serverPatch(values);
    const path = `/api/v1/servers/${id}`;
    const steps = writeSteps(this.#env, {
      what: `update server ${id}`,
      method: 'PUT',
      path,
      body,
      key: 'server',
      shown: `PUT ${path} ${JSON.stringify(body)}`,
      verify: async (signal) => {
        const now = (await this.#api.call({ method: 'GET', path, signal }, 'Reading a server'))['server'];
        const row = typeof now === 'object' && now !== null ? (now as NexusRow) : {};
        const differs = Object.entries(body).filter(([k, v]) => row[k] !== v);
        if (differs.length > 0)
          throw new AppError('CONFLICT', `NexusPanel did not apply ${differs.map(([k]) => k).join(', ')}.`);
        return 'updated';
      },
    });
    return Promise.resolve(
      nexusPlan(`NexusPanel: update server ${id}`, this.#panelId, 'nexuspanel.servers.update', steps, {
        id,
        ...(body as Record<string, string | number>),
      }),
    );
  }

  async planAction(kind: string, itemId: string, action: string): Promise<Plan> {
    const id = idOf(itemId);
    if (kind === 'servers' && action === 'test-connection') {
      const path = `/api/v1/servers/${id}/test-connection`;
      const steps = writeSteps(this.#env, {
        what: `test the connection to server ${id}`,
        method: 'POST',
        path,
        key: null,
        shown: `POST ${path}`,
        summary: (a) => {
          if (a['connected'] !== true) {
            throw new AppError(
              'CONNECTION_FAILED',
              `NexusPanel could not reach server ${id}${typeof a['error'] === 'string' ? `: ${a['error']}` : ''}.`,
            );
          }
          return `connected in ${typeof a['latency_ms'] === 'number' ? a['latency_ms'] : '?'} ms${typeof a['os_info'] === 'string' ? ` (${a['os_info']})` : ''}`;
        },
      });
      return nexusPlan(
        `NexusPanel: test the connection to server ${id}`,
        this.#panelId,
        'nexuspanel.servers.test-connection',
        steps,
        { id },
      );
    }
    if (kind === 'alerts' && (action === 'acknowledge' || action === 'resolve')) {
      const path = `${(await this.#api.alertRoutes()).alerts}/${id}/${action}`;
      const state = action === 'acknowledge' ? 'acknowledged' : 'resolved';
      const steps = writeSteps(this.#env, {
        what: `${action} alert ${id}`,
        method: 'POST',
        path,
        key: 'alert',
        shown: `POST ${path}`,
        verify: async () => {
          const alert = (await this.all('alerts')).find((x) => String(x['id']) === id);
          if (!alert) throw new AppError('NOT_FOUND', `NexusPanel does not list alert ${id}.`);
          if (alert['status'] !== state && !(state === 'acknowledged' && alert['status'] === 'resolved')) {
            throw new AppError('CONFLICT', `Alert ${id} is still ${String(alert['status'])}.`);
          }
          return `alert ${id} ${String(alert['status'])}`;
        },
      });
      return nexusPlan(`NexusPanel: ${action} alert ${id}`, this.#panelId, `nexuspanel.alerts.${action}`, steps, {
        id,
        action,
      });
    }
    throw new AppError('UNSUPPORTED', `NexusPanel has no "${action}" for ${kind}.`);
  }
}

import { AppError } from '../../../shared/errors';
import type { Plan } from '../../operations/operation.types';
import type { PanelListQuery, PanelResourceKindInfo, PanelResources, PanelRowData } from '../capabilities';
import { cloudflareImport } from './cloudflare-import';
import { credentialWrite } from './credential-writes';
import type { WebsiteFactorySites } from './sites.capability';
import { SITE_FILTERS, type WebsiteFactoryApi, type WfSiteFilters } from './website-factory.client';
import { flatten, rowOf, SITE_STATUS, TRIGGER_TYPES, WF_KINDS } from './website-factory-kinds';
import { boolOf, checkDisplayName, checkId, checkOneOf, must } from './website-factory-values';
import { writePlan } from './write-plan';
import { jsonObject as obj } from '../http/json-values';

type Item = Record<string, unknown>;

function list(v: unknown, key?: string): Item[] {
  const arr = Array.isArray(v) ? v : key !== undefined ? obj(v)[key] : null;
  return Array.isArray(arr) ? arr.map(obj) : [];
}

/** Splits a search box into the documented filters (`name:value`) and free text. */
export function searchTerms(search: string | null, known: readonly string[]): { filters: Item; text: string } {
  const filters: Item = {};
  const rest: string[] = [];
  for (const t of (search ?? '').split(/\s+/).filter((x) => x !== '')) {
    const m = /^([a-z_]+):(.+)$/.exec(t);
    if (m && known.includes(m[1] ?? '')) filters[m[1] as string] = m[2];
    else rest.push(t);
  }
  return { filters, text: rest.join(' ') };
}

/** Keeps the query values that pass a cheap check (they go into a URL query, encoded by the client). */
function queryOf(filters: Item): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (typeof v === 'string' && /^[A-Za-z0-9_.@:-]{1,200}$/.test(v)) out[k] = v;
  }
  return out;
}

function page<T>(all: T[], q: PanelListQuery): { items: T[]; total: number } {
  const start = (q.page - 1) * q.pageSize;
  return { items: all.slice(start, start + q.pageSize), total: all.length };
}

function matches(row: PanelRowData, text: string): boolean {
  if (text === '') return true;
  const needle = text.toLowerCase();
  return Object.values(row.cells).some((v) => v !== null && String(v).toLowerCase().includes(needle));
}

/**
 * The Website Factory hub's resources for the Panels section: tables a page at a time (sites through the hub's
 * limit/offset and filters; the hub's unpaginated lists paged here), creates, deletes and row actions as plans
 * that send once and log the hub's answer. Every value is checked before anything is sent; secret fields are
 * registered with the step's secrets and masked in the plan preview; rows never carry a secret.
 */
export class WebsiteFactoryResources implements PanelResources {
  readonly #api: WebsiteFactoryApi;
  readonly #sites: WebsiteFactorySites;
  readonly #serverId: string;
  readonly #secret: string;

  constructor(api: WebsiteFactoryApi, sites: WebsiteFactorySites, serverId: string, secret: string) {
    this.#api = api;
    this.#sites = sites;
    this.#serverId = serverId;
    this.#secret = secret;
  }

  kinds(): readonly PanelResourceKindInfo[] {
    return WF_KINDS;
  }

  #info(kind: string): PanelResourceKindInfo {
    const info = WF_KINDS.find((k) => k.id === kind);
    if (!info) throw new AppError('NOT_FOUND', `Website Factory has no "${kind}".`, { field: 'resource' });
    return info;
  }

  async list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }> {
    const info = this.#info(kind);
    if (kind === 'sites') return this.#listSites(info, q);
    const rows = await this.#rows(kind, info, q.search);
    const { text } = searchTerms(q.search, SEARCH_FILTERS[kind] ?? []);
    return page(
      rows.filter((r) => matches(r, text)),
      q,
    );
  }

  async #listSites(info: PanelResourceKindInfo, q: PanelListQuery) {
    const { filters, text } = searchTerms(q.search, SITE_FILTERS);
    const f: WfSiteFilters = { ...queryOf(filters), ...(text !== '' ? { domain_search: text } : {}) };
    if (filters['has_error'] !== undefined) Object.assign(f, { has_error: boolOf(filters['has_error'], true) });
    const items: PanelRowData[] = [];
    let total: number | null = null;
    // The hub pages by at most 100: a bigger table page is two requests.
    for (let offset = (q.page - 1) * q.pageSize; items.length < q.pageSize;) {
      const limit = Math.min(100, q.pageSize - items.length);
      const p = await this.#api.sitesPage(f, { limit, offset });
      items.push(...p.items.map((s) => rowOf(info, s as unknown as Item)));
      total = p.total;
      offset += p.items.length;
      if (p.items.length < limit || p.hasNext === false) break;
    }
    return { items, total };
  }

  async #rows(kind: string, info: PanelResourceKindInfo, search: string | null): Promise<PanelRowData[]> {
    const api = this.#api;
    const f = queryOf(searchTerms(search, SEARCH_FILTERS[kind] ?? []).filters);
    const rowsOf = (items: Item[]) => items.map((i) => rowOf(info, i));
    const metrics = (v: unknown) => flatten(v).map((m) => ({ id: m.key, cells: { key: m.key, value: m.value } }));
    switch (kind) {
      case 'site-stats':
        return metrics(await api.call('GET', '/sites/stats'));
      case 'workflow-executions':
        return rowsOf(
          list(await api.call('GET', '/monitoring/workflows/executions', { query: { limit: 200, days: 30, ...f } })),
        );
      case 'workflows-failed':
        return rowsOf(list(await api.call('GET', '/monitoring/workflows/failed', { query: { days: 7, ...f } })));
      case 'workflows-retrying':
        return rowsOf(list(await api.call('GET', '/monitoring/workflows/retrying')));
      case 'workflow-stats':
        return metrics(await api.call('GET', '/monitoring/workflows/stats', { query: { days: 30, ...f } }));
      case 'system-health':
        return metrics(await api.call('GET', '/monitoring/system/health'));
      case 'processing-status':
        return Object.entries(obj(await api.call('GET', '/status/processing'))).map(([module, v]) =>
          rowOf(info, { ...obj(v), module }, module),
        );
      case 'alerts':
        return rowsOf(list(await api.call('GET', '/monitoring/alerts', { query: f }), 'alerts'));
      case 'servers':
        return rowsOf(list(await api.call('GET', '/api/v1/credentials/servers', { query: f })));
      case 'registrars':
        return rowsOf(list(await api.call('GET', '/api/v1/credentials/registrars', { query: f })));
      case 'infrastructure':
        return rowsOf(list(await api.call('GET', '/api/v1/credentials/infrastructure', { query: f })));
      case 'cloudflare-accounts':
      case 'cloudflare-import':
        return rowsOf(list(await api.call('GET', '/api/v1/credentials/cloudflare-accounts')));
      default:
        return [];
    }
  }

  async planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    const info = this.#info(kind);
    if (info.fields.length === 0) {
      throw new AppError('UNSUPPORTED', `${info.label} cannot be created through Website Factory's API.`);
    }
    switch (kind) {
      case 'sites':
        return this.#sites.planCreateSite({
          domain: values['domain'],
          brand_name: values['brand_name'],
          cloudflare_account_id: values['cloudflare_account_id'],
        });
      case 'workflow-executions': {
        const type = must(checkOneOf(TRIGGER_TYPES), values['workflow_type'], 'workflow_type', 'Workflow');
        const siteId = must(checkId, values['site_id'], 'site_id', 'Site id');
        return this.#trigger(type, siteId);
      }
      case 'cloudflare-import':
        return writePlan(this.#api, this.#serverId, this.#secret, cloudflareImport(values['csv'], this.#api));
      case 'servers':
      case 'registrars':
      case 'infrastructure':
      case 'cloudflare-accounts':
        return writePlan(this.#api, this.#serverId, this.#secret, credentialWrite(kind, values, this.#api));
      default:
        throw new AppError('UNSUPPORTED', `${info.label} cannot be created through Website Factory's API.`);
    }
  }

  async planDelete(kind: string, itemId: string): Promise<Plan> {
    const info = this.#info(kind);
    const id = must(checkId, itemId, 'itemId', 'Id');
    if (!info.canDelete) throw new AppError('UNSUPPORTED', `Website Factory's API cannot delete ${info.label}.`);
    if (kind === 'sites') {
      const site = (await this.#api.listSites()).find((s) => s.id === id);
      if (!site) throw new AppError('NOT_FOUND', `No site ${id} on this Website Factory hub.`);
      return this.#sites.planDeleteById(id, site.domain);
    }
    const path = `/api/v1/credentials/${kind}/${encodeURIComponent(id)}`;
    return writePlan(this.#api, this.#serverId, this.#secret, {
      resource: kind,
      verb: 'delete',
      title: `Delete ${info.label} ${id}`,
      method: 'DELETE',
      path,
    });
  }

  planAction(kind: string, itemId: string, action: string): Promise<Plan> {
    try {
      return Promise.resolve(this.#action(kind, itemId, action));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #action(kind: string, itemId: string, action: string): Plan {
    const info = this.#info(kind);
    const id = must(checkId, itemId, 'itemId', 'Id');
    if (!info.actions.some((a) => a.id === action)) {
      throw new AppError('UNSUPPORTED', `Website Factory has no "${action}" for ${info.label}.`);
    }
    const e = encodeURIComponent(id);
    if (kind === 'sites' && action.startsWith('trigger-')) return this.#trigger(action.slice(8), id);
    const spec: Record<string, { path: string; title: string }> = {
      'sites:retry': { path: `/sites/${e}/retry`, title: `Retry the failed workflows of site ${id}` },
      'alerts:acknowledge': { path: `/monitoring/alerts/${e}/acknowledge`, title: `Acknowledge alert ${id}` },
      'alerts:resolve': { path: `/monitoring/alerts/${e}/resolve`, title: `Resolve alert ${id}` },
      'system-health:health-check': { path: '/monitoring/health-check', title: 'Run the hub health checks' },
    };
    const s = spec[`${kind}:${action}`] ?? {
      path: `/monitoring/workflows/${e}/retry`,
      title: `Retry workflow execution ${id}`,
    };
    return writePlan(this.#api, this.#serverId, this.#secret, {
      resource: kind,
      verb: action,
      title: s.title,
      method: 'POST',
      path: s.path,
    });
  }

  /** A partial update of a site (PATCH /sites/{id}): brand, Cloudflare account and the four states. */
  planPatchSite(itemId: string, values: Readonly<Record<string, unknown>>): Plan {
    const id = must(checkId, itemId, 'itemId', 'Id');
    const json: Record<string, unknown> = {};
    if (values['brand_name'] !== undefined)
      json['brand_name'] = must(checkDisplayName, values['brand_name'], 'brand_name', 'Brand name');
    if (values['cloudflare_account_id'] !== undefined)
      json['cloudflare_account_id'] = must(checkId, values['cloudflare_account_id'], 'cloudflare_account_id', 'Id');
    for (const [k, allowed] of Object.entries(SITE_STATUS)) {
      if (values[k] !== undefined) json[k] = must(checkOneOf(allowed), values[k], k, k);
    }
    const unknown = Object.keys(values).filter((k) => !(k in json));
    if (unknown.length > 0 || Object.keys(json).length === 0) {
      throw new AppError('VALIDATION', `A site update changes brand_name, cloudflare_account_id or a status.`, {
        field: unknown[0] ?? 'brand_name',
      });
    }
    return writePlan(this.#api, this.#serverId, this.#secret, {
      resource: 'sites',
      verb: 'update',
      title: `Update site ${id} on Website Factory`,
      method: 'PATCH',
      path: `/sites/${encodeURIComponent(id)}`,
      json,
    });
  }

  #trigger(type: string, siteId: string): Plan {
    const workflow = must(checkOneOf(TRIGGER_TYPES), type, 'workflow_type', 'Workflow');
    return writePlan(this.#api, this.#serverId, this.#secret, {
      resource: 'workflow-executions',
      verb: 'trigger',
      title: `Start the ${workflow} workflow of site ${siteId}`,
      method: 'POST',
      path: '/workflows/trigger',
      json: { workflow_type: workflow, site_id: siteId },
    });
  }
}

/** The documented query filters of each list, accepted in the search box as `name:value`. */
const SEARCH_FILTERS: Readonly<Record<string, readonly string[]>> = {
  'workflow-executions': ['site_id', 'workflow_type', 'status', 'days'],
  'workflows-failed': ['days'],
  'workflow-stats': ['days'],
  alerts: ['severity', 'acknowledged'],
  servers: ['active_only'],
  registrars: ['provider'],
  infrastructure: ['service_name'],
};

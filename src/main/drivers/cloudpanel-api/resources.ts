import { DbPassword } from '../../../shared/contract/databases.contract';
import type { SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import { PhpVersion } from '../../../shared/remote-names';
import type { Plan } from '../../operations/operation.types';
import type { PanelListQuery, PanelResourceKindInfo, PanelResources, PanelRowData } from '../capabilities';
import type { CpSite } from './cloudpanel-api.client';
import { checked, optionalText, text } from './cloudpanel-values';
import { checkUpload, planCertificateDelete, planCertificateInstall, planCertificateRenew } from './certificate-plans';
import {
  planDatabaseCreate,
  planDatabaseDelete,
  planDatabaseUserCreate,
  planDatabaseUserDelete,
  rowId,
  type PanelEnv,
} from './database-plans';
import {
  CLOUDPANEL_KINDS,
  LIST_OF,
  certificateRow,
  databaseRow,
  databaseUserRows,
  siteRow,
  userRow,
  type CpCertificate,
  type CpDatabase,
  type CpUser,
} from './resource-kinds';
import type { CloudPanelApiSites } from './sites.capability';
import { explainUserKey, planUserCreate, planUserDelete } from './user-plans';

/** The panel's largest page (the seed's servers cap `limit` at 100). */
const API_PAGE = 100;

function rowsOf(kind: string, items: unknown[]): PanelRowData[] {
  switch (kind) {
    case 'sites':
      return (items as CpSite[]).map(siteRow);
    case 'databases':
      return (items as CpDatabase[]).map(databaseRow);
    case 'database-users':
      return (items as CpDatabase[]).flatMap(databaseUserRows);
    case 'users':
      return (items as CpUser[]).map(userRow);
    default:
      return (items as CpCertificate[]).map(certificateRow);
  }
}

function matches(row: PanelRowData, search: string): boolean {
  const q = search.toLowerCase();
  return Object.values(row.cells).some((v) => v !== null && String(v).toLowerCase().includes(q));
}

/**
 * The Panels section's view of a CloudPanel API panel (issue 10): sites, databases, database users, users (admin
 * key) and certificates, a page at a time, created and deleted by plans of queued operations. Every value is
 * checked before anything is sent; the panel's 422 fields come back under the form's keys.
 */
export class CloudPanelApiResources implements PanelResources {
  readonly #env: PanelEnv;
  readonly #sites: CloudPanelApiSites;

  constructor(env: PanelEnv, sites: CloudPanelApiSites) {
    this.#env = env;
    this.#sites = sites;
  }

  kinds(): readonly PanelResourceKindInfo[] {
    return CLOUDPANEL_KINDS;
  }

  /**
   * One page of a kind. Without a search it asks the panel for just the pages that cover it; a search (the API has
   * none) and database users (nested in the databases list) read the whole list and filter here.
   */
  async list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }> {
    const src = this.#source(kind);
    const start = (q.page - 1) * q.pageSize;
    const run = () =>
      kind === 'database-users' || q.search !== null
        ? this.#filtered(kind, src, q.search, start, q.pageSize)
        : this.#window(kind, src, start, q.pageSize);
    return kind === 'users' ? explainUserKey(run) : run();
  }

  async #filtered(
    kind: string,
    src: { path: string; key: string },
    search: string | null,
    start: number,
    size: number,
  ) {
    const all = rowsOf(kind, await this.#env.api.listAll(src.path, src.key));
    const hits = search === null ? all : all.filter((r) => matches(r, search));
    return { items: hits.slice(start, start + size), total: hits.length };
  }

  async #window(kind: string, src: { path: string; key: string }, start: number, size: number) {
    const per = Math.min(size, API_PAGE);
    const first = Math.floor(start / per) + 1;
    const last = Math.floor((start + size - 1) / per) + 1;
    const items: unknown[] = [];
    let total: number | null = null;
    for (let p = first; p <= last; p++) {
      const page = await this.#env.api.page<unknown>(src.path, src.key, p, per);
      if (!page.paginated) {
        // The panel sent everything at once: cut the window here.
        return { items: rowsOf(kind, page.items.slice(start, start + size)), total: page.items.length };
      }
      items.push(...page.items);
      total = page.total;
      if (page.hasMore === false || page.items.length === 0) break;
    }
    const skip = start - (first - 1) * per;
    return { items: rowsOf(kind, items.slice(skip, skip + size)), total };
  }

  #source(kind: string): { path: string; key: string } {
    const src = LIST_OF[kind];
    if (!src) throw new AppError('NOT_FOUND', `CloudPanel has no "${kind}".`, { field: 'resource' });
    return src;
  }

  async planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    this.#source(kind);
    const env = this.#env;
    switch (kind) {
      case 'sites':
        return this.#sites.planCreate(this.#siteCreate(values));
      case 'databases': {
        const username = optionalText(values, 'username');
        const password = optionalText(values, 'password');
        if (username !== undefined && password === undefined) {
          throw new AppError('VALIDATION', 'Give the new user a password.', { field: 'password' });
        }
        if (password !== undefined) checkedPassword(password);
        return planDatabaseCreate(
          env,
          {
            name: text(values, 'name', 'database name'),
            site: text(values, 'site'),
            user:
              username !== undefined && password !== undefined
                ? { username, password: () => Promise.resolve(password) }
                : null,
          },
          password !== undefined ? [password] : [],
        );
      }
      case 'database-users': {
        const password = checkedPassword(text(values, 'password'));
        return planDatabaseUserCreate(env, {
          database: text(values, 'database'),
          username: text(values, 'username', 'user name'),
          password,
        });
      }
      case 'users':
        return planUserCreate(env, { username: values['username'], email: values['email'], role: values['role'] });
      default:
        return this.#certificateCreate(values);
    }
  }

  #siteCreate(values: Readonly<Record<string, unknown>>): SiteCreate {
    const kind = optionalText(values, 'kind') ?? 'php';
    if (kind !== 'php' && kind !== 'static' && kind !== 'proxy') {
      throw new AppError('VALIDATION', 'The type is php, static or proxy.', { field: 'kind' });
    }
    const root = optionalText(values, 'root');
    const systemUser = optionalText(values, 'systemUser');
    const base = {
      serverId: this.#env.serverId,
      domain: text(values, 'domain'),
      aliases: [],
      dryRun: false,
      ...(root !== undefined ? { root } : {}),
      ...(systemUser !== undefined ? { systemUser } : {}),
    };
    if (kind === 'proxy') return { ...base, kind, upstream: text(values, 'upstream') };
    const php = optionalText(values, 'phpVersion');
    if (kind === 'php') {
      return {
        ...base,
        kind,
        ...(php !== undefined ? { phpVersion: checked(PhpVersion, php, 'phpVersion') } : {}),
      };
    }
    return { ...base, kind };
  }

  #certificateCreate(values: Readonly<Record<string, unknown>>): Promise<Plan> {
    const site = text(values, 'site');
    const type = optionalText(values, 'type') ?? 'letsencrypt';
    if (type === 'letsencrypt') return planCertificateInstall(this.#env, site, { type: 'letsencrypt' });
    if (type !== 'custom')
      throw new AppError('VALIDATION', 'The certificate is letsencrypt or custom.', { field: 'type' });
    const privateKey = text(values, 'privateKey', 'private key');
    const bundle = checkUpload(site, {
      certificate: text(values, 'certificate'),
      privateKey,
      chain: optionalText(values, 'chain'),
    });
    return planCertificateInstall(
      this.#env,
      site,
      { type: 'custom', bundle: () => Promise.resolve({ fullchain: bundle.fullchain, key: bundle.key }) },
      [privateKey, bundle.key],
      bundle.leaf.fingerprint,
    );
  }

  async planDelete(kind: string, itemId: string): Promise<Plan> {
    this.#source(kind);
    const env = this.#env;
    switch (kind) {
      case 'sites': {
        const id = rowId(itemId, 'site');
        const site = (await env.api.listSites()).find((s) => s.id === id);
        if (!site) throw new AppError('NOT_FOUND', `No site ${id} on this CloudPanel.`);
        return this.#sites.planDelete(site.domainName, false);
      }
      case 'databases':
        return planDatabaseDelete(env, { id: rowId(itemId, 'database') });
      case 'database-users':
        return planDatabaseUserDelete(env, itemId);
      case 'users':
        return planUserDelete(env, rowId(itemId, 'user'));
      default:
        return planCertificateDelete(env, rowId(itemId, 'certificate'));
    }
  }

  async planAction(kind: string, itemId: string, action: string): Promise<Plan> {
    if (kind !== 'certificates' || action !== 'renew') {
      throw new AppError('UNSUPPORTED', `CloudPanel has no "${action}" for ${kind}.`);
    }
    return planCertificateRenew(this.#env, rowId(itemId, 'certificate'));
  }
}

/** The same rule as databases.create's passwords (12+ printable, no quotes): checked, never quoted back. */
function checkedPassword(p: string): string {
  return checked(DbPassword, p, 'password');
}

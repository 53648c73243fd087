import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { CreateOptions, SitesCapability } from '../capabilities';
import { postOnce } from '../http/post-once';
import type { WebsiteFactoryApi, WfSite } from './website-factory.client';
import { checkDisplayName, checkDomain, must } from './website-factory-values';
import { runPanelStep } from '../http/step-log';

/** A hub site in PanelDeck's shape: a static site (the hub builds and deploys generated content). */
export function siteFromHub(serverId: string, s: WfSite): Site {
  return {
    serverId,
    domain: s.domain,
    aliases: [],
    kind: 'static',
    root: s.hosting_doc_root ?? null,
    upstream: null,
    phpVersion: null,
    tls: false,
    certificatePath: null,
    enabled: s.status_deployment !== 'failed',
    managed: false,
    systemUser: null,
    configPath: null,
    source: 'website-factory',
  };
}

/** A brand name from a domain when none is given: "shop-example.com" → "Shop Example". */
export function brandOf(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label
    .split('-')
    .filter((w) => w !== '')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

/** Runs a step's body with the account secret registered and the client's notes in the step log. */
export function runIn<T>(api: WebsiteFactoryApi, secret: string, ctx: StepContext, f: () => Promise<T>): Promise<T> {
  return runPanelStep(api, ctx, [secret], f);
}

function statusLine(s: WfSite): string {
  return `dns ${s.status_dns ?? '?'}, hosting ${s.status_hosting ?? '?'}, content ${s.status_content ?? '?'}, deployment ${s.status_deployment ?? '?'}`;
}

/**
 * Sites on a Website Factory hub: listed with limit/offset to the end, created with one POST /sites/ (an
 * ambiguous failure is looked up before anything is sent again) and deleted by id. The domain is checked before
 * anything is sent; the hub makes static sites only, so other kinds, aliases, roots and users are refused.
 */
export class WebsiteFactorySites implements SitesCapability {
  readonly #api: WebsiteFactoryApi;
  readonly #serverId: string;
  readonly #secret: string;

  constructor(api: WebsiteFactoryApi, serverId: string, secret: string) {
    this.#api = api;
    this.#serverId = serverId;
    this.#secret = secret;
  }

  async list(): Promise<Site[]> {
    return (await this.#api.listSites()).map((s) => siteFromHub(this.#serverId, s));
  }

  /** The create plan for one site (also the sites resource's create). */
  async planCreateSite(
    values: { domain: unknown; brand_name?: unknown; cloudflare_account_id?: unknown },
    opts: CreateOptions = {},
  ): Promise<Plan> {
    const domain = must(checkDomain, values.domain, 'domain', 'Domain');
    const brand =
      values.brand_name === undefined || values.brand_name === ''
        ? brandOf(domain)
        : must(checkDisplayName, values.brand_name, 'brand_name', 'Brand name');
    const request: Record<string, string> = { domain, brand_name: brand };
    if (values.cloudflare_account_id !== undefined && values.cloudflare_account_id !== '') {
      request['cloudflare_account_id'] = must(
        (v) => (/^[A-Za-z0-9-]{1,64}$/.test(v.trim()) ? { value: v.trim() } : { problem: 'Not a valid id.' }),
        values.cloudflare_account_id,
        'cloudflare_account_id',
        'Cloudflare account',
      );
    }
    const api = this.#api;
    if (!opts.resume && (await api.findSite(domain)) !== null) {
      throw new AppError('CONFLICT', `${domain} is already on this Website Factory hub.`, { field: 'domain' });
    }
    const steps: PlanStep[] = [
      {
        id: 'create',
        title: `Ask Website Factory to create ${domain}`,
        kind: 'exec',
        commands: [`POST /sites/ ${JSON.stringify(request)}`],
        run: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            const before = opts.resume ? await api.findSite(domain, ctx.signal) : null;
            if (before) return { summary: `${domain} is already on the hub`, data: { siteId: before.id } };
            const sent = await postOnce<WfSite | null>({
              send: () => api.call<WfSite>('POST', '/sites/', { json: request, signal: ctx.signal }),
              lookup: () => api.findSite(domain, ctx.signal),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The create took effect despite the lost answer; not sending it again.'
                    : 'The create did not take effect; sending it once more.',
                ),
            });
            const site = sent.value;
            if (site === null || typeof site.id !== 'string') {
              throw new AppError('INTERNAL', `Website Factory accepted ${domain} but named no site id.`);
            }
            ctx.log(`Website Factory created site ${site.id} (${statusLine(site)})`);
            return { summary: `site ${site.id}`, data: { siteId: site.id } };
          }),
        rollback: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            const id = (ctx.result.data as { siteId?: string } | undefined)?.siteId;
            if (id) await api.call('DELETE', `/sites/${encodeURIComponent(id)}`, { signal: ctx.signal });
          }),
      },
      {
        id: 'verify',
        title: `Check that Website Factory lists ${domain}`,
        kind: 'verify',
        commands: [`GET /sites/?domain_search=${domain}`],
        run: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            const site = await api.findSite(domain, ctx.signal);
            if (!site) throw new AppError('NOT_FOUND', `Website Factory answered, but does not list ${domain}.`);
            ctx.log(`${domain}: ${statusLine(site)}`);
            return { summary: statusLine(site) };
          }),
      },
    ];
    return {
      title: `Create site ${domain} on Website Factory`,
      serverId: this.#serverId,
      kind: 'site.create',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'website-factory', ...request },
    };
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    // The domain first: a hostile one is refused as VALIDATION whatever else is wrong.
    must(checkDomain, input.domain, 'domain', 'Domain');
    if (input.kind !== 'static') {
      throw new AppError('UNSUPPORTED', 'Website Factory builds static sites only.', { field: 'kind' });
    }
    for (const [field, set] of [
      ['aliases', input.aliases.length > 0],
      ['root', input.root !== undefined],
      ['systemUser', input.systemUser !== undefined],
    ] as const) {
      if (set) {
        throw new AppError('UNSUPPORTED', `Website Factory chooses the ${field} itself; leave it empty.`, { field });
      }
    }
    return this.planCreateSite({ domain: input.domain }, opts);
  }

  /** The delete plan for a site by domain. */
  async planDelete(domain: string, _deleteWebroot: boolean): Promise<Plan> {
    const name = must(checkDomain, domain, 'domain', 'Domain');
    const site = await this.#api.findSite(name);
    if (!site) throw new AppError('NOT_FOUND', `No site ${name} on this Website Factory hub.`);
    return this.planDeleteById(site.id, name);
  }

  /** The delete plan for a site by id (the sites resource's delete). */
  planDeleteById(siteId: string, domain: string): Plan {
    const api = this.#api;
    const path = `/sites/${encodeURIComponent(siteId)}`;
    const steps: PlanStep[] = [
      {
        id: 'delete',
        title: `Ask Website Factory to delete ${domain}`,
        kind: 'exec',
        commands: [`DELETE ${path}`],
        run: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            try {
              // DELETE is idempotent: the client retries it on 429/5xx by itself.
              const res = await api.call<{ message?: string }>('DELETE', path, { signal: ctx.signal });
              ctx.log(`Website Factory: ${res?.message ?? 'deleted'}`);
              return { summary: 'deleted' };
            } catch (e) {
              if (e instanceof AppError && e.code === 'NOT_FOUND') return { summary: 'already gone' };
              throw e;
            }
          }),
      },
      {
        id: 'verify',
        title: `Check that ${domain} is gone`,
        kind: 'verify',
        commands: [`GET /sites/?domain_search=${domain}`],
        run: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            const still = await api.findSite(domain, ctx.signal);
            if (still && still.id === siteId) {
              throw new AppError('CONFLICT', `Website Factory still lists ${domain}.`);
            }
            return { summary: 'gone' };
          }),
      },
    ];
    return {
      title: `Delete site ${domain} on Website Factory`,
      serverId: this.#serverId,
      kind: 'site.delete',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'website-factory', domain, siteId },
    };
  }

  planSetEnabled(domain: string, enabled: boolean): Promise<Plan> {
    return Promise.reject(
      new AppError(
        'UNSUPPORTED',
        `Website Factory cannot ${enabled ? 'enable' : 'disable'} ${domain}; change its deployment in the hub.`,
      ),
    );
  }
}

import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import { Domain, RemotePath, SystemUser, UpstreamUrl } from '../../../shared/remote-names';
import type { Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { CreateOptions, SitesCapability } from '../capabilities';
import { postOnce } from '../http/post-once';
import type { CloudPanelApi, CpSite } from './cloudpanel-api.client';
import { checked } from './cloudpanel-values';
import { runPanelStep } from '../http/step-log';

const KIND: Record<string, Site['kind']> = { php: 'php', static: 'static', 'reverse-proxy': 'proxy' };

/** A CloudPanel site in PanelDeck's shape (source cloudpanel-api; nodejs/python apps list as `other`). */
export function siteFromPanel(serverId: string, s: CpSite): Site {
  return {
    serverId,
    domain: s.domainName,
    aliases: [],
    kind: KIND[s.type] ?? 'other',
    root: s.rootDirectory ?? null,
    upstream: s.reverseProxyUrl ?? null,
    phpVersion: s.phpVersion ?? null,
    tls: false,
    certificatePath: null,
    enabled: true,
    managed: false,
    systemUser: null,
    configPath: null,
    source: 'cloudpanel-api',
  };
}

/** CloudPanel's site user for a domain: `shop.example.com` → `shop-example-com` (cut to 32). */
function siteUser(domain: string): string {
  return domain
    .replace(/[^a-z0-9]/g, '-')
    .replace(/^[^a-z]/, 's')
    .slice(0, 32);
}

/**
 * Sites on a CloudPanel panel through its API: listed page by page, created and deleted by plans whose steps
 * send the queued write once (an ambiguous failure is looked up before anything is sent again) and poll the
 * operation to completed/failed, logging its progress to the journal. Names are validated before sending.
 */
export class CloudPanelApiSites implements SitesCapability {
  readonly #api: CloudPanelApi;
  readonly #serverId: string;
  readonly #apiKey: string;

  constructor(api: CloudPanelApi, serverId: string, apiKey: string) {
    this.#api = api;
    this.#serverId = serverId;
    this.#apiKey = apiKey;
  }

  async list(): Promise<Site[]> {
    return (await this.#api.listSites()).map((s) => siteFromPanel(this.#serverId, s));
  }

  #run<T>(ctx: StepContext, f: () => Promise<T>): Promise<T> {
    return runPanelStep(this.#api, ctx, [this.#apiKey], f);
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    const domain = checked(Domain, input.domain, 'domain');
    if (input.aliases.length > 0) {
      throw new AppError('UNSUPPORTED', "CloudPanel's API creates a site without aliases; add them in CloudPanel.", {
        field: 'aliases',
      });
    }
    const root = input.root !== undefined ? checked(RemotePath, input.root, 'root') : undefined;
    const user =
      input.systemUser !== undefined ? checked(SystemUser, input.systemUser, 'systemUser') : siteUser(domain);
    const request: Record<string, string> = {
      domainName: domain,
      type: input.kind === 'proxy' ? 'reverse-proxy' : input.kind,
      rootDirectory: root ?? `/home/${user}/htdocs/${domain}`,
    };
    if (input.kind === 'php') request['phpVersion'] = input.phpVersion ?? '8.2';
    if (input.kind === 'proxy') request['reverseProxyUrl'] = checked(UpstreamUrl, input.upstream, 'upstream');
    const existing = (await this.#api.listSites()).find((s) => s.domainName === domain);
    if (existing && !opts.resume)
      throw new AppError('CONFLICT', `${domain} already exists on this CloudPanel.`, { field: 'domain' });

    const api = this.#api;
    const find = async (): Promise<CpSite | null> =>
      (await api.listSites()).find((s) => s.domainName === domain) ?? null;
    const steps: PlanStep[] = [
      {
        id: 'queue',
        title: `Ask CloudPanel to create ${domain}`,
        kind: 'exec',
        commands: [`POST /api/v1/sites ${JSON.stringify(request)}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            // A resumed plan whose create already went through only follows it.
            const before = opts.resume ? await find() : null;
            if (before) return { summary: `${domain} is already on the panel`, data: { operationId: null } };
            const sent = await postOnce({
              send: () => api.queue('POST', '/api/v1/sites', request, ctx.signal),
              lookup: async () => ((await find()) ? -1 : null),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The create took effect despite the lost answer; not sending it again.'
                    : 'The create did not take effect; sending it once more.',
                ),
            });
            const operationId = sent.value === -1 ? null : sent.value;
            if (operationId !== null) ctx.log(`CloudPanel queued operation ${operationId}`);
            return {
              summary: operationId !== null ? `operation ${operationId}` : 'found on the panel',
              data: { operationId },
            };
          }),
      },
      {
        id: 'wait',
        title: `Wait for CloudPanel to finish ${domain}`,
        kind: 'verify',
        commands: ['GET /api/v1/operations/:id (until completed or failed)'],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const id = (ctx.results.get('queue')?.data as { operationId?: number | null } | undefined)?.operationId;
            if (id === null || id === undefined) return { summary: 'nothing to wait for' };
            await api.waitFor(id, (l) => ctx.log(l), ctx.signal);
            return { summary: `operation ${id} completed` };
          }),
        rollback: (ctx) =>
          this.#run(ctx, async () => {
            const site = await find();
            if (!site) return;
            const id = await api.queue('DELETE', `/api/v1/sites/${site.id}`, undefined, ctx.signal);
            await api.waitFor(id, (l) => ctx.log(l), ctx.signal);
          }),
      },
      {
        id: 'verify',
        title: `Check that CloudPanel lists ${domain}`,
        kind: 'verify',
        commands: ['GET /api/v1/sites'],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const site = await find();
            if (!site) throw new AppError('NOT_FOUND', `CloudPanel finished, but does not list ${domain}.`);
            return { summary: `site ${site.id} (${site.type})` };
          }),
      },
    ];
    return {
      title: `Create ${request['type']} site ${domain} on CloudPanel`,
      serverId: this.#serverId,
      kind: 'site.create',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'cloudpanel-api', ...request },
    };
  }

  async planDelete(domain: string, _deleteWebroot: boolean): Promise<Plan> {
    const name = checked(Domain, domain, 'domain');
    const api = this.#api;
    const site = (await api.listSites()).find((s) => s.domainName === name);
    if (!site) throw new AppError('NOT_FOUND', `No site ${name} on this CloudPanel.`);
    const steps: PlanStep[] = [
      {
        id: 'queue',
        title: `Ask CloudPanel to delete ${name}`,
        kind: 'exec',
        commands: [`DELETE /api/v1/sites/${site.id}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const still = (await api.listSites(ctx.signal)).find((s) => s.id === site.id);
            if (!still) return { summary: 'already gone', data: { operationId: null } };
            // DELETE is idempotent: the client retries it on 429/5xx by itself.
            const operationId = await api.queue('DELETE', `/api/v1/sites/${site.id}`, undefined, ctx.signal);
            ctx.log(`CloudPanel queued operation ${operationId}`);
            return { summary: `operation ${operationId}`, data: { operationId } };
          }),
      },
      {
        id: 'wait',
        title: `Wait for CloudPanel to delete ${name}`,
        kind: 'verify',
        commands: ['GET /api/v1/operations/:id (until completed or failed)'],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const id = (ctx.results.get('queue')?.data as { operationId?: number | null } | undefined)?.operationId;
            if (id === null || id === undefined) return { summary: 'nothing to wait for' };
            await api.waitFor(id, (l) => ctx.log(l), ctx.signal);
            return { summary: `operation ${id} completed` };
          }),
      },
      {
        id: 'verify',
        title: `Check that ${name} is gone`,
        kind: 'verify',
        commands: ['GET /api/v1/sites'],
        run: (ctx) =>
          this.#run(ctx, async () => {
            if ((await api.listSites(ctx.signal)).some((s) => s.domainName === name)) {
              throw new AppError('CONFLICT', `CloudPanel finished, but still lists ${name}.`);
            }
            return { summary: 'gone' };
          }),
      },
    ];
    return {
      title: `Delete site ${name} on CloudPanel`,
      serverId: this.#serverId,
      kind: 'site.delete',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'cloudpanel-api', domain: name, siteId: site.id },
    };
  }

  planSetEnabled(domain: string, enabled: boolean): Promise<Plan> {
    return Promise.reject(
      new AppError(
        'UNSUPPORTED',
        `CloudPanel's API cannot ${enabled ? 'enable' : 'disable'} ${domain}; do it in CloudPanel.`,
      ),
    );
  }
}

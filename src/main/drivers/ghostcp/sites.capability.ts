import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import { Domain, PhpVersion, RemotePath, SystemUser, UpstreamUrl } from '../../../shared/remote-names';
import type { Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { CreateOptions, SitesCapability } from '../capabilities';
import { postOnce } from '../http/post-once';
import { idText, unsupported, type GhostCpApi, type GhostRow } from './ghostcp.client';
import { runPanelStep } from '../http/step-log';

const PATH = '/api/v1/domains';
const WHAT = 'Web domains';

/** A GhostCP web domain in PanelDeck's shape (source ghostcp): PHP-x.y backends are PHP sites, proxies proxy. */
export function siteFromWebDomain(serverId: string, d: GhostRow): Site {
  const backend = typeof d['backend_template'] === 'string' ? d['backend_template'] : '';
  const php = /^PHP-(\d+\.\d+)$/i.exec(backend);
  const proxy = typeof d['proxy_template'] === 'string' && d['proxy_template'] !== '';
  return {
    serverId,
    domain: idText(d['domain']),
    aliases: Array.isArray(d['aliases']) ? d['aliases'].filter((a): a is string => typeof a === 'string') : [],
    kind: proxy ? 'proxy' : php ? 'php' : 'static',
    root: typeof d['document_root'] === 'string' ? d['document_root'] : null,
    upstream: null,
    phpVersion: php?.[1] ?? null,
    tls: d['ssl_enabled'] === true,
    certificatePath: null,
    enabled: d['is_suspended'] !== true && d['is_active'] !== false,
    managed: false,
    systemUser: null,
    configPath: null,
    source: 'ghostcp',
  };
}

function checked<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  field: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new AppError('VALIDATION', `The ${field} is not valid; nothing was sent to GhostCP.`, { field });
  return r.data;
}

/**
 * Sites on a GhostCP panel: its web domains, listed page by page, created and deleted by plans whose write is
 * sent once (an ambiguous failure is looked up in the list before anything is sent again) and then checked in
 * the list, with progress in the step log. Every name is validated before anything is sent.
 */
export class GhostCpSites implements SitesCapability {
  readonly #api: GhostCpApi;
  readonly #serverId: string;
  readonly #secret: string;

  constructor(api: GhostCpApi, serverId: string, accountSecret: string) {
    this.#api = api;
    this.#serverId = serverId;
    this.#secret = accountSecret;
  }

  async list(): Promise<Site[]> {
    return (await this.#api.all(PATH, 'domains', WHAT)).map((d) => siteFromWebDomain(this.#serverId, d));
  }

  #run<T>(ctx: StepContext, f: () => Promise<T>): Promise<T> {
    return runPanelStep(this.#api, ctx, [this.#secret], f);
  }

  async #find(domain: string, signal?: AbortSignal): Promise<GhostRow | null> {
    return (await this.#api.all(PATH, 'domains', WHAT, {}, signal)).find((d) => d['domain'] === domain) ?? null;
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    const domain = checked(Domain, input.domain, 'domain');
    const aliases = input.aliases.map((a) => checked(Domain, a, 'aliases'));
    if (input.root !== undefined) checked(RemotePath, input.root, 'root');
    if (input.systemUser !== undefined) checked(SystemUser, input.systemUser, 'systemUser');
    if (input.kind === 'proxy') {
      checked(UpstreamUrl, input.upstream, 'upstream');
      throw unsupported('A reverse-proxy site', 'its API has no upstream setting');
    }
    if (input.root !== undefined) throw unsupported('Choosing the document root', 'GhostCP sets it itself');
    const php = input.kind === 'php' ? checked(PhpVersion, input.phpVersion ?? '8.3', 'phpVersion') : null;
    const request: Record<string, unknown> = {
      domain,
      web_template: 'default',
      ...(php ? { backend_template: `PHP-${php}` } : {}),
      aliases,
      ssl_enabled: false,
      letsencrypt_enabled: false,
    };
    const existing = await this.#find(domain);
    if (existing && !opts.resume) {
      throw new AppError('CONFLICT', `${domain} already exists on this GhostCP.`, { field: 'domain' });
    }
    const api = this.#api;
    const steps: PlanStep[] = [
      {
        id: 'create',
        title: `Ask GhostCP to create ${domain}`,
        kind: 'exec',
        commands: [`POST ${PATH} ${JSON.stringify(request)}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const before = opts.resume ? await this.#find(domain, ctx.signal) : null;
            if (before) return { summary: `${domain} is already on the panel`, data: { id: String(before['id']) } };
            ctx.log(`Sending the create of ${domain}`);
            const sent = await postOnce({
              send: () => api.create(PATH, request, WHAT, ctx.signal),
              lookup: () => this.#find(domain, ctx.signal),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The create took effect despite the lost answer; not sending it again.'
                    : 'The create did not take effect; sending it once more.',
                ),
            });
            const id = idText(sent.value['id']);
            ctx.log(`GhostCP created web domain ${domain} (id ${id})`);
            return { summary: `web domain ${id}`, data: { id } };
          }),
        rollback: (ctx) =>
          this.#run(ctx, async () => {
            const row = await this.#find(domain, ctx.signal);
            if (row) await api.remove(`${PATH}/${String(row['id'])}`, 'Deleting web domains', ctx.signal);
          }),
      },
      {
        id: 'verify',
        title: `Check that GhostCP lists ${domain}`,
        kind: 'verify',
        commands: [`GET ${PATH}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const row = await this.#find(domain, ctx.signal);
            if (!row) throw new AppError('NOT_FOUND', `GhostCP accepted ${domain}, but does not list it.`);
            ctx.log(`GhostCP lists ${domain} (${idText(row['backend_template']) || 'static'})`);
            return { summary: `web domain ${String(row['id'])}` };
          }),
      },
    ];
    return {
      title: `Create ${input.kind} site ${domain} on GhostCP`,
      serverId: this.#serverId,
      kind: 'site.create',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'ghostcp', domain, kind: input.kind, aliases, phpVersion: php },
    };
  }

  async planDelete(domain: string, _deleteWebroot: boolean): Promise<Plan> {
    const name = checked(Domain, domain, 'domain');
    const row = await this.#find(name);
    if (!row) throw new AppError('NOT_FOUND', `No web domain ${name} on this GhostCP.`);
    const id = String(row['id']);
    const api = this.#api;
    const steps: PlanStep[] = [
      {
        id: 'delete',
        title: `Ask GhostCP to delete ${name}`,
        kind: 'exec',
        commands: [`DELETE ${PATH}/${id}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            const removed = await api.remove(`${PATH}/${id}`, 'Deleting web domains', ctx.signal);
            ctx.log(removed ? `GhostCP deleted ${name}` : `${name} was already gone`);
            return { summary: removed ? 'deleted' : 'already gone' };
          }),
      },
      {
        id: 'verify',
        title: `Check that ${name} is gone`,
        kind: 'verify',
        commands: [`GET ${PATH}`],
        run: (ctx) =>
          this.#run(ctx, async () => {
            if (await this.#find(name, ctx.signal)) throw new AppError('CONFLICT', `GhostCP still lists ${name}.`);
            return { summary: 'gone' };
          }),
      },
    ];
    return {
      title: `Delete site ${name} on GhostCP`,
      serverId: this.#serverId,
      kind: 'site.delete',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'ghostcp', domain: name, domainId: id },
    };
  }

  planSetEnabled(domain: string, enabled: boolean): Promise<Plan> {
    return Promise.reject(unsupported(`${enabled ? 'Enabling' : 'Disabling'} a web domain (${domain.slice(0, 253)})`));
  }
}

import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../operations/operation.types';
import type { CreateOptions, SitesCapability } from '../capabilities';
import { planCommands, stepHost, verifyStep } from '../linux-ssh/safe-steps';
import { cliStep, guardDomain, guardSystemUser, keepFilesStep, siteAnswersStep } from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { HESTIA_BIN, hestiaOutcome } from './hestia-output';
import { hestiaAll, hestiaUsers, type HestiaRecord } from './hestia-state';

/** A web domain record as the contract's Site (with SSL: Hestia's certificate file of the domain). */
export function toSite(serverId: string, r: HestiaRecord): Site {
  const f = r.fields;
  const root = f.DOCUMENT_ROOT ? f.DOCUMENT_ROOT.replace(/\/$/, '') : `/home/${r.user}/web/${r.name}/public_html`;
  return {
    serverId,
    domain: r.name,
    aliases: (f.ALIAS ?? '').split(',').filter((a) => a !== ''),
    kind: f.PROXY_TARGET ? 'proxy' : f.BACKEND ? 'php' : 'static',
    root,
    upstream: null,
    phpVersion: null,
    tls: f.SSL === 'yes',
    certificatePath: f.SSL === 'yes' ? `/home/${r.user}/conf/web/${r.name}/ssl/${r.name}.crt` : null,
    enabled: f.SUSPENDED !== 'yes',
    managed: true,
    systemUser: r.user,
    configPath: `/home/${r.user}/conf/web/${r.name}/nginx.conf`,
    source: 'hestia',
  };
}

/**
 * Web domains on a HestiaCP server through its v-* commands over SSH: listed per account with `json` output,
 * created and deleted by Hestia (which writes the vhost, webroot and PHP backend), then checked through nginx.
 * A site's system user is its Hestia account (default: the driver's account).
 */
export class HestiaSites implements SitesCapability {
  readonly #host: RemoteHost;
  readonly #account: string;

  constructor(host: RemoteHost, account: string) {
    this.#host = host;
    this.#account = account;
  }

  async list(): Promise<Site[]> {
    return (await hestiaAll(this.#host, 'v-list-web-domains')).map((r) => toSite(this.#host.serverId, r));
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    const domain = guardDomain(input.domain);
    const aliases = input.aliases.map((a) => guardDomain(a, 'aliases'));
    const user = guardSystemUser(input.systemUser ?? this.#account);
    if (input.kind === 'proxy') {
      throw new AppError('UNSUPPORTED', 'Hestia makes a proxy through a proxy template: set it in Hestia.', {
        field: 'kind',
      });
    }
    if (input.root !== undefined) {
      throw new AppError('UNSUPPORTED', 'Hestia decides the webroot (/home/<user>/web/<domain>/public_html).', {
        field: 'root',
      });
    }
    if (input.kind === 'php' && input.phpVersion !== undefined) {
      throw new AppError('UNSUPPORTED', "Hestia picks PHP through the domain's backend template.", {
        field: 'phpVersion',
      });
    }
    const h = this.#host;
    if (!(await hestiaUsers(h)).includes(user)) {
      throw new AppError('NOT_FOUND', `HestiaCP has no account ${user}.`, { field: 'systemUser' });
    }
    const existing = (await hestiaAll(h, 'v-list-web-domains')).find((r) => r.name === domain);
    if (existing && !opts.resume) {
      throw new AppError('CONFLICT', `HestiaCP already has the web domain ${domain} (account ${existing.user}).`);
    }
    const argv = [
      `${HESTIA_BIN}/v-add-web-domain`,
      user,
      domain,
      ...(aliases.length > 0 ? ['', 'yes', aliases.join(',')] : []),
    ];
    const add = cliStep(h, {
      id: 'v-add-web-domain',
      title: `v-add-web-domain ${user} ${domain}`,
      argv,
      read: (r) => hestiaOutcome(r, `Adding ${domain} in HestiaCP`).trim(),
    });
    const steps: PlanStep[] = [
      {
        ...add,
        async run(ctx) {
          if (opts.resume && (await hestiaAll(h, 'v-list-web-domains')).some((r) => r.name === domain)) {
            return { summary: `${domain} already exists in HestiaCP` };
          }
          return add.run(ctx);
        },
        async rollback(ctx) {
          const r = await stepHost(h, ctx).run([`${HESTIA_BIN}/v-delete-web-domain`, user, domain]);
          hestiaOutcome(r, `Removing ${domain} from HestiaCP`);
        },
      },
      siteAnswersStep(h, domain),
    ];
    return {
      title: `Create web domain ${domain} in HestiaCP (account ${user})`,
      serverId: h.serverId,
      kind: 'site.create',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { ...input, dryRun: false } as never,
    };
  }

  async planDelete(domain: string, deleteWebroot: boolean): Promise<Plan> {
    guardDomain(domain);
    const h = this.#host;
    const rec = (await hestiaAll(h, 'v-list-web-domains')).find((r) => r.name === domain);
    if (!rec) throw new AppError('NOT_FOUND', `HestiaCP has no web domain ${domain}.`);
    const steps: PlanStep[] = [];
    if (!deleteWebroot) steps.push(keepFilesStep(h, `/home/${rec.user}/web/${domain}`, domain));
    steps.push(
      cliStep(h, {
        id: 'v-delete-web-domain',
        title: `v-delete-web-domain ${rec.user} ${domain}`,
        argv: [`${HESTIA_BIN}/v-delete-web-domain`, rec.user, domain],
        read: (r) => hestiaOutcome(r, `Deleting ${domain} in HestiaCP`).trim(),
      }),
      {
        id: 'verify',
        title: `Check that HestiaCP no longer lists ${domain}`,
        kind: 'verify',
        async run() {
          if ((await hestiaAll(h, 'v-list-web-domains')).some((r) => r.name === domain)) {
            throw new AppError('INTERNAL', `Hestia reported success but still lists ${domain}.`);
          }
          return { summary: 'gone' };
        },
      },
    );
    return {
      title: `Delete web domain ${domain} from HestiaCP`,
      serverId: h.serverId,
      kind: 'site.delete',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { domain, deleteWebroot },
    };
  }

  async planSetEnabled(domain: string, enabled: boolean): Promise<Plan> {
    guardDomain(domain);
    const h = this.#host;
    const rec = (await hestiaAll(h, 'v-list-web-domains')).find((r) => r.name === domain);
    if (!rec) throw new AppError('NOT_FOUND', `HestiaCP has no web domain ${domain}.`);
    if ((rec.fields.SUSPENDED !== 'yes') === enabled) {
      throw new AppError('CONFLICT', `${domain} is already ${enabled ? 'enabled' : 'suspended'}.`);
    }
    const cmd = enabled ? 'v-unsuspend-web-domain' : 'v-suspend-web-domain';
    const steps: PlanStep[] = [
      cliStep(h, {
        id: cmd,
        title: `${cmd} ${rec.user} ${domain}`,
        argv: [`${HESTIA_BIN}/${cmd}`, rec.user, domain],
        read: (r) => hestiaOutcome(r, `${enabled ? 'Unsuspending' : 'Suspending'} ${domain} in HestiaCP`).trim(),
        rollback: [`${HESTIA_BIN}/${enabled ? 'v-suspend-web-domain' : 'v-unsuspend-web-domain'}`, rec.user, domain],
      }),
      enabled
        ? siteAnswersStep(h, domain)
        : verifyStep(h, domain, (status) => (status === 403 ? null : `HTTP ${status} instead of 403 (suspended)`)),
    ];
    return {
      title: `${enabled ? 'Unsuspend' : 'Suspend'} web domain ${domain} in HestiaCP`,
      serverId: h.serverId,
      kind: 'site.setEnabled',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { domain, enabled },
    };
  }
}

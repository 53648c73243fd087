import { randomBytes } from 'node:crypto';
import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../operations/operation.types';
import type { CreateOptions, ProbeResult, SitesCapability } from '../capabilities';
import { planCommands, stepHost } from '../linux-ssh/safe-steps';
import {
  cliStep,
  guardDomain,
  guardSystemUser,
  guardUpstream,
  keepFilesStep,
  siteAnswersStep,
  withStdinPassword,
} from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { clpctlOutcome } from './clpctl-output';
import { readClpCertificatePaths, readClpSites, type ClpSiteRow } from './clp-state';

/** The clpctl binary (on CloudPanel's PATH: /usr/bin/clpctl). */
export const CLPCTL = 'clpctl';

/** CloudPanel's site user for a domain: `shop.example.com` → `shop-example-com` (cut to 32). */
export function clpSiteUser(domain: string): string {
  return domain
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, 's')
    .slice(0, 32)
    .replace(/-+$/, '');
}

/** A random site-user password (CloudPanel requires one; PanelDeck does not keep it: SSH keys are the way in). */
function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A CloudPanel site row as the contract's Site; `certificatePath`: what its vhost serves on 443 (null: no TLS). */
export function toSite(serverId: string, r: ClpSiteRow, certificatePath: string | null = null): Site {
  const kind =
    r.type === 'php' ? 'php' : r.type === 'static' ? 'static' : r.type === 'reverse-proxy' ? 'proxy' : 'other';
  return {
    serverId,
    domain: r.domainName,
    aliases: [],
    kind,
    root: r.rootDirectory,
    upstream: r.reverseProxyUrl,
    phpVersion: r.phpVersion,
    tls: certificatePath !== null,
    certificatePath,
    enabled: true,
    managed: true,
    systemUser: r.user,
    configPath: `/etc/nginx/sites-enabled/${r.domainName}.conf`,
    source: 'cloudpanel-cli',
  };
}

/**
 * Sites on a stock CloudPanel server through its CLI (clpctl) over SSH: listed from CloudPanel's own SQLite
 * database (clpctl has no list command), created and deleted by clpctl, then checked through the server's nginx.
 * CloudPanel writes the vhost, the site user and the PHP pool itself; PanelDeck only plans the calls.
 */
export class CloudPanelCliSites implements SitesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>) {
    this.#host = host;
    this.#probe = probe;
  }

  async list(): Promise<Site[]> {
    const rows = await readClpSites(this.#host);
    const certs = await readClpCertificatePaths(
      this.#host,
      rows.map((r) => r.domainName),
    );
    return rows.map((r) => toSite(this.#host.serverId, r, certs.get(r.domainName) ?? null));
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    const domain = guardDomain(input.domain);
    if (input.aliases.length > 0) {
      throw new AppError('UNSUPPORTED', 'clpctl creates a site for one domain (plus www); add aliases in CloudPanel.', {
        field: 'aliases',
      });
    }
    if (input.root !== undefined) {
      throw new AppError('UNSUPPORTED', 'CloudPanel decides the webroot (/home/<user>/htdocs/<domain>).', {
        field: 'root',
      });
    }
    const user = guardSystemUser(input.systemUser ?? clpSiteUser(domain));
    const existing = (await readClpSites(this.#host)).find((r) => r.domainName === domain);
    if (existing && !opts.resume) throw new AppError('CONFLICT', `CloudPanel already has a site ${domain}.`);
    const args: string[] = [`--domainName=${domain}`];
    let sub: string;
    if (input.kind === 'php') {
      const probe = await this.#probe();
      const version = input.phpVersion ?? probe.php[probe.php.length - 1];
      if (version === undefined)
        throw new AppError('VALIDATION', 'No PHP version is installed.', { field: 'phpVersion' });
      sub = 'site:add:php';
      args.push(`--phpVersion=${version}`, '--vhostTemplate=Generic');
    } else if (input.kind === 'proxy') {
      sub = 'site:add:reverse-proxy';
      args.push(`--reverseProxyUrl=${guardUpstream(input.upstream)}`);
    } else {
      sub = 'site:add:static';
    }
    args.push(`--siteUser=${user}`);
    const argv = withStdinPassword([CLPCTL, sub, ...args, { passwordPrefix: '--siteUserPassword=' }]);
    const h = this.#host;
    const password = randomPassword();
    const add = cliStep(h, {
      id: 'clpctl',
      title: `clpctl ${sub} ${domain}`,
      argv,
      password: () => Promise.resolve(password),
      read: (r) => clpctlOutcome(r, `Creating ${domain} in CloudPanel`),
    });
    const steps: PlanStep[] = [
      {
        ...add,
        async run(ctx) {
          // A resumed plan finds the site its interrupted run made: clpctl would call it a duplicate.
          if (opts.resume && (await readClpSites(h)).some((r) => r.domainName === domain)) {
            return { summary: `${domain} already exists in CloudPanel` };
          }
          return add.run(ctx);
        },
        rollback: async (ctx) => {
          const r = await stepHost(h, ctx).run([CLPCTL, 'site:delete', `--domainName=${domain}`, '--force']);
          clpctlOutcome(r, `Removing ${domain} from CloudPanel`);
        },
      },
      siteAnswersStep(h, domain),
    ];
    return {
      title: `Create ${input.kind} site ${domain} in CloudPanel`,
      serverId: h.serverId,
      kind: 'site.create',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { ...input, dryRun: false } as never,
      secrets: [password],
    };
  }

  async planDelete(domain: string, deleteWebroot: boolean): Promise<Plan> {
    guardDomain(domain);
    const h = this.#host;
    const site = (await readClpSites(h)).find((r) => r.domainName === domain);
    if (!site) throw new AppError('NOT_FOUND', `CloudPanel has no site ${domain}.`);
    const steps: PlanStep[] = [];
    if (!deleteWebroot && site.rootDirectory) steps.push(keepFilesStep(h, site.rootDirectory, domain));
    steps.push(
      cliStep(h, {
        id: 'clpctl',
        title: `clpctl site:delete ${domain}`,
        argv: [CLPCTL, 'site:delete', `--domainName=${domain}`, '--force'],
        read: (r) => clpctlOutcome(r, `Deleting ${domain} in CloudPanel`),
      }),
      {
        id: 'verify',
        title: `Check that CloudPanel no longer lists ${domain}`,
        kind: 'verify',
        async run() {
          if ((await readClpSites(h)).some((r) => r.domainName === domain)) {
            throw new AppError('INTERNAL', `clpctl reported success but CloudPanel still lists ${domain}.`);
          }
          return { summary: 'gone' };
        },
      },
    );
    return {
      title: `Delete site ${domain} from CloudPanel`,
      serverId: h.serverId,
      kind: 'site.delete',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { domain, deleteWebroot },
    };
  }

  planSetEnabled(domain: string): Promise<Plan> {
    return Promise.reject(
      new AppError('UNSUPPORTED', `clpctl cannot switch ${domain} off and on; CloudPanel has no such command.`),
    );
  }
}

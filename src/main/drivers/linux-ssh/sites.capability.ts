import type { Site, SiteCreate } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../operations/operation.types';
import { display } from '../../ssh/shell-quote';
import type { CreateOptions, ProbeResult, SitesCapability } from '../capabilities';
import { writeFileArgv, type RemoteHost } from '../remote-host';
import { unifiedDiff } from '../unified-diff';
import { readSiteFiles, sitesFromFiles, type SiteLocation } from './nginx-sites';
import { ACME_WEBROOT, renderVhost, welcomePage } from './nginx-templates';
import {
  planCommands,
  backupStep,
  execStep,
  reloadNginxStep,
  stepHost,
  validateNginxStep,
  verifyStep,
  writeStep,
} from './safe-steps';

/** Creates the site's system user unless it exists; prints "created" when it made one (the rollback needs it). */
const ADD_USER =
  'id -u "$1" >/dev/null 2>&1 && exit 0; useradd --system --user-group --no-create-home --home-dir "$2" --shell /usr/sbin/nologin "$1" && echo created';

/**
 * Creates the webroot; prints the topmost folder it had to make (empty when all existed), so a rollback removes
 * exactly what this made.
 */
const MAKE_WEBROOT =
  'd=$1; top=""; while [ ! -e "$d" ]; do top=$d; d=$(dirname -- "$d"); done; mkdir -p -- "$1" && chmod 0755 -- "$1"; if [ -n "$top" ]; then chown -R "$2:$2" -- "$top"; chmod -R a+rX -- "$top"; fi; printf %s "$top"';

/** Waits up to 10 s for a socket to appear. */
const WAIT_SOCKET = 'i=0; while [ ! -S "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; [ -S "$1" ]';

/** A system user name derived from a domain: `shop.example.com` → `shop_example_com` (cut to 32). */
export function userForDomain(domain: string): string {
  const base = domain.replace(/[^a-z0-9]/g, '_').replace(/^[^a-z_]/, 's');
  return base.slice(0, 32);
}

/** The PHP-FPM pool file and socket of a site. */
function poolOf(domain: string, version: string): { path: string; socket: string; name: string } {
  return {
    path: `/etc/php/${version}/fpm/pool.d/paneldeck-${domain}.conf`,
    // The version stays in the socket's name (php8.2-fpm-…) so the lister reads it back like Debian's own sockets.
    socket: `/run/php/php${version}-fpm-paneldeck-${domain}.sock`,
    name: `paneldeck-${domain}`,
  };
}

function renderPool(name: string, user: string, socket: string): string {
  return [
    '; Managed by PanelDeck',
    `[${name}]`,
    `user = ${user}`,
    `group = ${user}`,
    `listen = ${socket}`,
    'listen.owner = www-data',
    'listen.group = www-data',
    'listen.mode = 0660',
    'pm = ondemand',
    'pm.max_children = 5',
    'pm.process_idle_timeout = 30s',
    '',
  ].join('\n');
}

/**
 * Sites on a plain Linux server with nginx: listed from the server's own configuration, changed through plans of
 * safe-write steps (see safe-steps.ts). Debian layout (sites-available + sites-enabled) when present, conf.d
 * otherwise.
 */
export class LinuxSshSites implements SitesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>) {
    this.#host = host;
    this.#probe = probe;
  }

  async list(): Promise<Site[]> {
    return (await this.#locations()).map((l) => l.site);
  }

  async #locations(): Promise<SiteLocation[]> {
    return sitesFromFiles(this.#host.serverId, await readSiteFiles(this.#host));
  }

  async #find(domain: string): Promise<SiteLocation> {
    const found = (await this.#locations()).find((l) => l.site.domain === domain);
    if (!found) throw new AppError('NOT_FOUND', `No site ${domain} on this server.`);
    return found;
  }

  async #layout(): Promise<{ available: boolean }> {
    const probe = await this.#probe();
    if (probe.webServer?.name !== 'nginx') {
      throw new AppError('UNSUPPORTED', 'This server runs no nginx; PanelDeck manages nginx sites over SSH.');
    }
    if (!probe.privileged) {
      throw new AppError('AUTH_FAILED', 'The SSH user is not root and cannot use sudo without a password.');
    }
    return { available: await this.#host.exists('/etc/nginx/sites-available') };
  }

  async planCreate(input: SiteCreate, opts: CreateOptions = {}): Promise<Plan> {
    const { available } = await this.#layout();
    const domain = input.domain;
    const existing = (await this.#locations()).find(
      (l) => l.site.domain === domain || l.site.aliases.includes(domain) || input.aliases.includes(l.site.domain),
    );
    // A resumed plan (retry after an interruption) finds its own half-made site: its steps are idempotent.
    if (existing && !opts.resume)
      throw new AppError(
        'CONFLICT',
        `${existing.site.domain} is already served by ${existing.site.configPath ?? 'nginx'}.`,
      );
    const user = input.systemUser ?? userForDomain(domain);
    const home = `/var/www/${domain}`;
    const root = input.root ?? `${home}/public`;
    const vhostPath = available ? `/etc/nginx/sites-available/${domain}.conf` : `/etc/nginx/conf.d/${domain}.conf`;
    const linkPath = available ? `/etc/nginx/sites-enabled/${domain}.conf` : null;
    const h = this.#host;

    let pool: ReturnType<typeof poolOf> | null = null;
    let phpVersion: string | null = null;
    if (input.kind === 'php') {
      const probe = await this.#probe();
      phpVersion = input.phpVersion ?? probe.php[probe.php.length - 1] ?? null;
      if (phpVersion === null || !probe.php.includes(phpVersion)) {
        throw new AppError(
          'VALIDATION',
          probe.php.length === 0
            ? 'PHP-FPM is not installed on this server.'
            : `PHP ${phpVersion ?? '?'} is not installed here; choose one of ${probe.php.join(', ')}.`,
          { field: 'phpVersion' },
        );
      }
      pool = poolOf(domain, phpVersion);
    }
    const vhost = renderVhost({
      domain,
      aliases: input.aliases,
      kind: input.kind,
      root,
      user,
      ...(pool ? { phpSocket: pool.socket } : {}),
      ...(input.kind === 'proxy' ? { upstream: input.upstream } : {}),
      ...(opts.fault ? { fault: opts.fault } : {}),
    });
    const page = welcomePage(input.kind, domain);

    const userArgv = ['sh', '-c', ADD_USER, 'sh', user, home];
    const webrootArgv = ['sh', '-c', MAKE_WEBROOT, 'sh', root, user];
    const acmeArgv = ['install', '-d', '-m', '0755', `${ACME_WEBROOT}/.well-known/acme-challenge`];
    const steps: PlanStep[] = [
      backupStep(h, linkPath ? [vhostPath, linkPath] : [vhostPath], { reload: true }),
      {
        id: 'user',
        title: `Create the system user ${user} (if missing)`,
        kind: 'exec',
        commands: [display(userArgv)],
        async run(ctx) {
          const out = await stepHost(h, ctx).check(userArgv, `Creating the user ${user}`);
          return { data: { created: out.includes('created') } };
        },
        async rollback(ctx) {
          if ((ctx.result.data as { created?: boolean } | undefined)?.created) {
            await stepHost(h, ctx).check(['userdel', user], `Removing the user ${user}`);
          }
        },
      },
      {
        id: 'webroot',
        title: `Create the webroot ${root} (if missing)`,
        kind: 'exec',
        commands: [
          display(webrootArgv),
          ...(input.kind !== 'proxy'
            ? [`${display(writeFileArgv(`${root}/${page.name}`, 0o644, 'XXXXXXXX'))}  < welcome page`]
            : []),
          display(acmeArgv),
        ],
        async run(ctx) {
          const sh = stepHost(h, ctx);
          const top = (await sh.check(webrootArgv, `Creating ${root}`)).trim();
          if (input.kind !== 'proxy' && top !== '') {
            await sh.writeFile(`${root}/${page.name}`, page.body, 0o644);
          }
          await sh.check(acmeArgv, 'Creating the ACME folder');
          return { data: { top, page: top !== '' } };
        },
        async rollback(ctx) {
          const top = (ctx.result.data as { top?: string } | undefined)?.top ?? '';
          if (top !== '') await stepHost(h, ctx).check(['rm', '-rf', '--', top], `Removing ${top}`);
        },
      },
    ];
    if (pool) {
      const p = pool;
      const v = phpVersion as string;
      const testFpm = [`php-fpm${v}`, '-t'];
      const reloadFpm = ['systemctl', 'reload', `php${v}-fpm`];
      // The new pool's socket appears shortly after the reload: wait for it on the server (bounded).
      const waitSocket = ['sh', '-c', WAIT_SOCKET, 'sh', p.socket];
      steps.push({
        id: 'php-pool',
        title: `PHP ${v}: a pool running as ${user}`,
        kind: 'write',
        commands: [
          `${display(writeFileArgv(p.path, 0o644, 'XXXXXXXX'))}  < pool (see diff)`,
          display(testFpm),
          display(reloadFpm),
          display(waitSocket),
        ],
        async run(ctx) {
          const sh = stepHost(h, ctx);
          await sh.writeFile(p.path, renderPool(p.name, user, p.socket), 0o644);
          await sh.check(testFpm, `Validating PHP-FPM ${v}`);
          await sh.check(reloadFpm, `Reloading PHP-FPM ${v}`);
          await sh.check(waitSocket, `Waiting for ${p.socket}`);
        },
        async rollback(ctx) {
          const sh = stepHost(h, ctx);
          await sh.check(['rm', '-f', '--', p.path], `Removing ${p.path}`);
          await sh.check(['systemctl', 'reload', `php${v}-fpm`], `Reloading PHP-FPM ${v}`);
        },
      });
    }
    steps.push(writeStep(h, 'vhost', vhostPath, vhost));
    if (linkPath) steps.push(execStep(h, 'enable', `Enable ${domain}`, ['ln', '-sfn', vhostPath, linkPath]));
    steps.push(validateNginxStep(h), reloadNginxStep(h));
    const wrotePage = input.kind !== 'proxy';
    steps.push(
      verifyStep(h, domain, (status, body) => {
        if (input.kind === 'proxy') return status === 0 ? 'no HTTP answer' : null;
        if (status >= 500 || status === 0) return `HTTP ${status}`;
        if (wrotePage && status === 200 && !body.includes('PanelDeck site')) return 'another site answered';
        return null;
      }),
    );
    return {
      title: `Create ${input.kind} site ${domain}`,
      serverId: h.serverId,
      kind: 'site.create',
      steps,
      commands: planCommands(steps),
      diffs: [
        { path: vhostPath, before: null, after: vhost, unifiedDiff: unifiedDiff(vhostPath, null, vhost) },
        ...(pool
          ? [
              {
                path: pool.path,
                before: null,
                after: renderPool(pool.name, user, pool.socket),
                unifiedDiff: unifiedDiff(pool.path, null, renderPool(pool.name, user, pool.socket)),
              },
            ]
          : []),
      ],
      params: { ...input, dryRun: false } as never,
    };
  }

  async planDelete(domain: string, deleteWebroot: boolean): Promise<Plan> {
    await this.#layout();
    const loc = await this.#find(domain);
    const path = loc.site.configPath;
    if (path === null) throw new AppError('NOT_FOUND', `No configuration file found for ${domain}.`);
    const others = loc.fileDomains.filter((d) => d !== domain);
    if (others.length > 0) {
      throw new AppError('UNSUPPORTED', `${path} also serves ${others.join(', ')}; edit that file by hand.`);
    }
    const h = this.#host;
    const before = (await h.readFile(path)) ?? '';
    const steps: PlanStep[] = [
      backupStep(h, [path, ...loc.links], { reload: true }),
      ...loc.links.map((l, i) => execStep(h, `unlink-${i}`, `Remove the link ${l}`, ['rm', '-f', '--', l])),
      execStep(h, 'remove', `Remove ${path}`, ['rm', '-f', '--', path]),
      validateNginxStep(h),
      reloadNginxStep(h),
    ];
    if (loc.site.managed && loc.site.phpVersion !== null) {
      const p = poolOf(domain, loc.site.phpVersion);
      steps.push(execStep(h, 'php-pool', `Remove the PHP pool of ${domain}`, ['rm', '-f', '--', p.path]));
      steps.push(
        execStep(h, 'php-reload', `Reload PHP-FPM ${loc.site.phpVersion}`, [
          'systemctl',
          'reload',
          `php${loc.site.phpVersion}-fpm`,
        ]),
      );
    }
    if (deleteWebroot && loc.site.root !== null) {
      steps.push(execStep(h, 'webroot', `Delete the webroot ${loc.site.root}`, ['rm', '-rf', '--', loc.site.root]));
    }
    return {
      title: `Delete site ${domain}`,
      serverId: h.serverId,
      kind: 'site.delete',
      steps,
      commands: planCommands(steps),
      diffs: [{ path, before, after: null, unifiedDiff: unifiedDiff(path, before, null) }],
      params: { domain, deleteWebroot },
    };
  }

  async planSetEnabled(domain: string, enabled: boolean): Promise<Plan> {
    const { available } = await this.#layout();
    const loc = await this.#find(domain);
    const path = loc.site.configPath;
    if (!available || path === null || !path.startsWith('/etc/nginx/sites-available/')) {
      throw new AppError('UNSUPPORTED', `${domain} is not in sites-available; it cannot be switched on and off here.`);
    }
    if (loc.site.enabled === enabled)
      throw new AppError('CONFLICT', `${domain} is already ${enabled ? 'enabled' : 'disabled'}.`);
    const link = `/etc/nginx/sites-enabled/${path.slice('/etc/nginx/sites-available/'.length)}`;
    const h = this.#host;
    const links = enabled ? [link] : loc.links;
    const steps: PlanStep[] = [
      backupStep(h, links, { reload: true }),
      ...(enabled
        ? [execStep(h, 'link', `Enable ${domain}`, ['ln', '-sfn', path, link])]
        : links.map((l, i) => execStep(h, `unlink-${i}`, `Disable ${domain} (${l})`, ['rm', '-f', '--', l]))),
      validateNginxStep(h),
      reloadNginxStep(h),
    ];
    return {
      title: `${enabled ? 'Enable' : 'Disable'} site ${domain}`,
      serverId: h.serverId,
      kind: 'site.setEnabled',
      steps,
      commands: planCommands(steps),
      diffs: [],
      params: { domain, enabled },
    };
  }
}

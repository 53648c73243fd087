import type { Dispatcher } from 'undici';
import type { PanelDriver, PanelDriverFactory, PanelDriverOptions, PanelIdentityInfo } from '../capabilities';
import { AppError } from '../../../shared/errors';
import { GhostCpApi } from './ghostcp.client';
import { GhostCpResources } from './ghostcp-resources';
import { GhostCpSites } from './sites.capability';
import { definedOptions } from '../http/defined-options';
import { apiProbe, cachedProbe } from '../http/panel-probe';

/** What the GhostCP driver takes beyond every panel's options (tests move the token clock). */
export interface GhostCpDriverOptions extends PanelDriverOptions {
  /** The clock the token expiry is judged by. Default Date.now. */
  readonly now?: () => number;
  /** Refresh this long before the token expires. Default 30 s. */
  readonly tokenSkewMs?: number;
  /** Tests only: a custom undici dispatcher instead of the pinning agent. */
  readonly dispatcher?: Dispatcher;
}

/** The GhostCP driver: the panel driver interface plus the API itself (filters, jobs) for the CLI and tests. */
export interface GhostCpDriver extends PanelDriver {
  readonly kind: 'ghostcp';
  readonly sites: GhostCpSites;
  readonly resources: GhostCpResources;
  readonly api: GhostCpApi;
}

/**
 * Builds the GhostCP driver for one panel account (issue 10; seed ghostcp-api.md): JWT sign-in with optional
 * 2FA, web domains as sites, and users, DNS, mail, databases, certificates, jobs and backup configurations as
 * panel resources.
 */
export function createGhostCpDriver(o: GhostCpDriverOptions): GhostCpDriver {
  if (o.username === null || o.username.trim() === '') {
    throw new AppError('VALIDATION', 'GhostCP signs in with a username and password.', { field: 'username' });
  }
  const api = new GhostCpApi({
    baseUrl: o.baseUrl,
    username: o.username,
    password: o.secret,
    pins: o.pins,
    ...definedOptions(o, ['dispatcher', 'timeoutMs', 'retry']),
    ...(o.poll ? { poll: Object.fromEntries(Object.entries(o.poll).filter(([, v]) => v !== undefined)) } : {}),
    ...definedOptions(o, ['pageSize', 'onHttpEvent', 'now', 'tokenSkewMs']),
  });
  return {
    kind: 'ghostcp',
    capabilities: ['sites'],
    api,
    sites: new GhostCpSites(api, o.panelId, o.secret),
    resources: new GhostCpResources(api, o.panelId, o.secret),
    async identify(opts: { otp?: string } = {}): Promise<PanelIdentityInfo> {
      const user = opts.otp !== undefined || api.user === null ? await api.signIn(opts) : await api.me();
      let version: string | null = null;
      try {
        version = (await api.health()).version;
      } catch {
        // /health is optional for identity: a panel behind a proxy may hide it.
      }
      return {
        identity: user.email ? `${user.username} (${user.email})` : user.username,
        role: user.role,
        version,
        supports: ['sites', 'users', 'dns', 'mail', 'databases', 'certificates', 'jobs', 'backups'],
      };
    },
    probe: cachedProbe(async () =>
      apiProbe((api.user ?? (await api.me())).role === 'admin', { name: 'nginx', version: null }),
    ),
    close: () => api.close(),
  };
}

/** The factory the panels service uses (PANEL_FACTORIES.ghostcp). */
export const ghostCpFactory: PanelDriverFactory = (o) => createGhostCpDriver(o);

import type { Dispatcher } from 'undici';
import type { PanelDriver, PanelDriverFactory, PanelDriverOptions, PanelIdentityInfo } from '../capabilities';
import { WebsiteFactoryBulkSites } from './bulk-sites';
import { WebsiteFactoryResources } from './resources.capability';
import { WebsiteFactorySites } from './sites.capability';
import { WebsiteFactoryApi, type BulkLimit } from './website-factory.client';
import { definedOptions } from '../http/defined-options';
import { apiProbe, cachedProbe } from '../http/panel-probe';

/** Website Factory extras beyond {@link PanelDriverOptions} (tests and tuning; none needed in the app). */
export interface WebsiteFactoryDriverOptions extends PanelDriverOptions {
  /** Bulk pacing and rows per request (default: the documented 10 per minute, 100 rows). */
  readonly bulk?: Partial<BulkLimit>;
  /** Refresh the token this long before it expires (default 30 s). */
  readonly tokenSkewMs?: number;
  /** The clock token expiry is judged by. */
  readonly now?: () => number;
  /** Tests only: a custom undici dispatcher instead of the pinning agent. */
  readonly dispatcher?: Dispatcher;
}

/** The Website Factory driver: the PanelDriver plus its API, typed sites, resources and bulk create. */
export interface WebsiteFactoryDriver extends PanelDriver {
  readonly kind: 'website-factory';
  readonly api: WebsiteFactoryApi;
  readonly sites: WebsiteFactorySites;
  readonly resources: WebsiteFactoryResources;
  readonly bulkSites: WebsiteFactoryBulkSites;
}

/**
 * Builds the Website Factory hub driver for one panel account (issue 10; seed website-factory-api.md): sites in
 * the fleet table (source website-factory), the hub's resources for the Panels section, and the bulk site
 * create from CSV. The password signs in at /auth/token and is registered as a secret in every step.
 */
export function createWebsiteFactoryDriver(o: WebsiteFactoryDriverOptions): WebsiteFactoryDriver {
  const api = new WebsiteFactoryApi({
    baseUrl: o.baseUrl,
    username: o.username ?? '',
    password: o.secret,
    pins: o.pins,
    ...definedOptions(o, ['dispatcher', 'timeoutMs', 'retry', 'pageSize', 'onHttpEvent', 'bulk', 'tokenSkewMs', 'now']),
  });
  const sites = new WebsiteFactorySites(api, o.panelId, o.secret);
  return {
    kind: 'website-factory',
    capabilities: ['sites'],
    api,
    sites,
    resources: new WebsiteFactoryResources(api, sites, o.panelId, o.secret),
    bulkSites: new WebsiteFactoryBulkSites(api, o.panelId, o.secret),
    async identify(): Promise<PanelIdentityInfo> {
      const me = await api.me();
      const version = await api.version().catch(() => null);
      const name = typeof me['username'] === 'string' ? me['username'] : (o.username ?? '');
      const email = typeof me['email'] === 'string' && me['email'] !== '' ? ` <${me['email']}>` : '';
      return {
        identity: `${name}${email}`,
        role: me['is_active'] === false ? 'inactive' : null,
        version,
        supports: ['sites', 'bulk-sites', 'workflows', 'alerts', 'credentials'],
      };
    },
    probe: cachedProbe(async () => apiProbe((await api.me())['is_active'] !== false)),
    close: () => api.close(),
  };
}

/** The factory the panels service uses (PANEL_FACTORIES['website-factory']). */
export const websiteFactoryDriverFactory: PanelDriverFactory = (o) => createWebsiteFactoryDriver(o);

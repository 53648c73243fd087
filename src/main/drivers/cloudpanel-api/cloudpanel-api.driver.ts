import type { Dispatcher } from 'undici';
import type { PanelDriver, PanelDriverFactory, PanelIdentityInfo } from '../capabilities';
import type { HttpEvent } from '../http/http-client';
import type { RetryPolicy } from '../http/rate-limit';
import type { TlsPinStore } from '../http/tls-pinning';
import { CloudPanelApiCertificates } from './certificates.capability';
import { CloudPanelApi, type PollOptions } from './cloudpanel-api.client';
import { CloudPanelApiDatabases } from './databases.capability';
import { CloudPanelApiResources } from './resources';
import { CloudPanelApiSites } from './sites.capability';
import { definedOptions } from '../http/defined-options';
import { apiProbe, cachedProbe } from '../http/panel-probe';

/** What {@link createCloudPanelApiDriver} needs: the panel account (from the vault) and its pinned certificates. */
export interface CloudPanelApiDriverOptions {
  /** The PanelDeck server (or panel account) id the plans and listed rows carry. */
  readonly serverId: string;
  /** e.g. https://panel.example.com:8443 */
  readonly baseUrl: string;
  /** X-API-Key (admin or user key). Never logged: steps register it as a secret. */
  readonly apiKey: string;
  /** Trusted self-signed certificate fingerprints by host:port (HOST_KEY_UNKNOWN asks the user first). */
  readonly pins?: TlsPinStore;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly poll?: Partial<PollOptions>;
  readonly pageSize?: number;
  readonly onHttpEvent?: (e: HttpEvent) => void;
  /** Tests only: a custom undici dispatcher instead of the pinning agent. */
  readonly dispatcher?: Dispatcher;
}

/** The CloudPanel API driver: a PanelDriver with the sites, databases and certificates capabilities and the API. */
export interface CloudPanelApiDriver extends PanelDriver {
  readonly kind: 'cloudpanel-api';
  readonly sites: CloudPanelApiSites;
  readonly databases: CloudPanelApiDatabases;
  readonly certificates: CloudPanelApiCertificates;
  readonly resources: CloudPanelApiResources;
  readonly api: CloudPanelApi;
}

/**
 * Builds the CloudPanel API driver for one panel account (issue 10; seed cloudpanel-api.md). The panels service
 * builds it through {@link createCloudPanelApiPanel} from a panel account with the credential from the vault.
 */
export function createCloudPanelApiDriver(o: CloudPanelApiDriverOptions): CloudPanelApiDriver {
  const api = new CloudPanelApi({
    baseUrl: o.baseUrl,
    apiKey: o.apiKey,
    ...definedOptions(o, ['pins', 'dispatcher', 'timeoutMs', 'retry', 'poll', 'pageSize', 'onHttpEvent']),
  });
  const env = { api, apiKey: o.apiKey, serverId: o.serverId };
  const sites = new CloudPanelApiSites(api, o.serverId, o.apiKey);
  return {
    kind: 'cloudpanel-api',
    capabilities: ['sites', 'databases', 'certificates'],
    api,
    sites,
    databases: new CloudPanelApiDatabases(env),
    certificates: new CloudPanelApiCertificates(env),
    resources: new CloudPanelApiResources(env, sites),
    /**
     * Which key this is. The seed has no version or "me" endpoint: the identity is the key's kind, the role comes
     * from whether /api/v1/users answers (a user key's 403 is the answer "user", not an error).
     */
    async identify(): Promise<PanelIdentityInfo> {
      const who = await api.identify();
      return {
        identity: `${who.role === 'admin' ? 'admin' : 'user'} API key (${who.sites} site${who.sites === 1 ? '' : 's'})`,
        role: who.role,
        version: null,
        supports:
          who.role === 'admin'
            ? ['sites', 'databases', 'database-users', 'users', 'certificates']
            : ['sites', 'databases', 'database-users', 'certificates'],
      };
    },
    probe: cachedProbe(async () => apiProbe((await api.identify()).role === 'admin', { name: 'nginx', version: null })),
    close: () => api.close(),
  };
}

/**
 * The panel factory of kind 'cloudpanel-api' (PANEL_FACTORIES): the account's secret is the X-API-Key, there is
 * no user name, and the account's pinned certificates are trusted.
 */
export const createCloudPanelApiPanel: PanelDriverFactory = (o) =>
  createCloudPanelApiDriver({
    serverId: o.panelId,
    baseUrl: o.baseUrl,
    apiKey: o.secret,
    pins: o.pins,
    ...definedOptions(o, ['timeoutMs', 'retry', 'poll', 'pageSize', 'onHttpEvent']),
  });

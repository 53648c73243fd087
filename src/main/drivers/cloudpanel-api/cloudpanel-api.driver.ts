import type { Dispatcher } from 'undici';
import type { Driver, ProbeResult } from '../capabilities';
import type { HttpEvent } from '../http/http-client';
import type { RetryPolicy } from '../http/rate-limit';
import type { TlsPinStore } from '../http/tls-pinning';
import { CloudPanelApi, type PollOptions } from './cloudpanel-api.client';
import { CloudPanelApiSites } from './sites.capability';

/** What {@link createCloudPanelApiDriver} needs: the panel account (from the vault) and its pinned certificates. */
export interface CloudPanelApiDriverOptions {
  /** The PanelDeck server (or panel binding) id the plans and listed sites carry. */
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

/** The CloudPanel API driver: the Driver interface plus the API itself (identify, other lists) and close. */
export interface CloudPanelApiDriver extends Driver {
  readonly kind: 'cloudpanel-api';
  readonly sites: CloudPanelApiSites;
  readonly api: CloudPanelApi;
  close(): Promise<void>;
}

/**
 * Builds the CloudPanel API driver for one panel account (issue 10; seed cloudpanel-api.md). Not wired into the
 * registry here: the registry/core builds it from a PanelBinding with the credential from the vault.
 */
export function createCloudPanelApiDriver(o: CloudPanelApiDriverOptions): CloudPanelApiDriver {
  const api = new CloudPanelApi({
    baseUrl: o.baseUrl,
    apiKey: o.apiKey,
    ...(o.pins ? { pins: o.pins } : {}),
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.retry ? { retry: o.retry } : {}),
    ...(o.poll ? { poll: o.poll } : {}),
    ...(o.pageSize !== undefined ? { pageSize: o.pageSize } : {}),
    ...(o.onHttpEvent ? { onHttpEvent: o.onHttpEvent } : {}),
  });
  let cached: ProbeResult | null = null;
  return {
    kind: 'cloudpanel-api',
    capabilities: ['sites'],
    api,
    sites: new CloudPanelApiSites(api, o.serverId, o.apiKey),
    async probe(refresh = false): Promise<ProbeResult> {
      if (cached && !refresh) return cached;
      const who = await api.identify();
      cached = {
        at: Date.now(),
        os: null,
        webServer: { name: 'nginx', version: null },
        php: [],
        databases: [],
        tools: { certbot: false, clpctl: false, hestia: false, sudo: false },
        privileged: who.role === 'admin',
      };
      return cached;
    },
    close: () => api.close(),
  };
}

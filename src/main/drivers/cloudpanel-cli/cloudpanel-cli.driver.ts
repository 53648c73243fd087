import type { Capability, Driver, ProbeResult } from '../capabilities';
import { probeLinux } from '../linux-ssh/probe';
import type { RemoteHost } from '../remote-host';
import { CloudPanelCliCertificates } from './certificates.capability';
import { CloudPanelCliDatabases } from './databases.capability';
import { CloudPanelCliSites } from './sites.capability';

/**
 * The driver for a stock CloudPanel server reached over SSH (clpctl; CloudPanel has no HTTP API): sites,
 * databases and certificates through clpctl and CloudPanel's SQLite database, checked through the server's own nginx. Selected
 * when the server has a PanelBinding of kind 'cloudpanel-cli'. The probe is the linux-ssh one (what runs there).
 */
export class CloudPanelCliDriver implements Driver {
  readonly kind = 'cloudpanel-cli' as const;
  readonly capabilities: readonly Capability[] = ['sites', 'databases', 'certificates'];
  readonly sites: CloudPanelCliSites;
  readonly databases: CloudPanelCliDatabases;
  readonly certificates: CloudPanelCliCertificates;
  readonly #host: RemoteHost;
  readonly #now: () => number;
  readonly #ttl: number;
  #probe: Promise<ProbeResult> | undefined;

  constructor(host: RemoteHost, opts: { now: () => number; probeTtlMs?: number }) {
    this.#host = host;
    this.#now = opts.now;
    this.#ttl = opts.probeTtlMs ?? 10 * 60_000;
    this.sites = new CloudPanelCliSites(host, () => this.probe());
    this.databases = new CloudPanelCliDatabases(host, () => this.probe());
    this.certificates = new CloudPanelCliCertificates(host);
  }

  probe(refresh = false): Promise<ProbeResult> {
    const cached = this.#probe;
    if (!refresh && cached) return cached.then((p) => (this.#now() - p.at < this.#ttl ? p : this.probe(true)));
    const next = probeLinux(this.#host, this.#now);
    this.#probe = next;
    next.catch(() => {
      if (this.#probe === next) this.#probe = undefined;
    });
    return next;
  }
}

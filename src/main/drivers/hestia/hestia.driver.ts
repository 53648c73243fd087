import type { Capability, Driver, ProbeResult } from '../capabilities';
import { probeLinux } from '../linux-ssh/probe';
import type { RemoteHost } from '../remote-host';
import { HestiaCertificates } from './certificates.capability';
import { HestiaDatabases } from './databases.capability';
import { HestiaSites } from './sites.capability';

/**
 * The driver for a HestiaCP server reached over SSH (its v-* commands with `json` output): web domains,
 * databases and their certificates, checked through the server's own nginx. Selected when the server has a PanelBinding of kind
 * 'hestia'. New sites and databases go to `account` (default `admin`, the account every install has).
 */
export class HestiaDriver implements Driver {
  readonly kind = 'hestia' as const;
  readonly capabilities: readonly Capability[] = ['sites', 'databases', 'certificates'];
  readonly sites: HestiaSites;
  readonly databases: HestiaDatabases;
  readonly certificates: HestiaCertificates;
  readonly #host: RemoteHost;
  readonly #now: () => number;
  readonly #ttl: number;
  #probe: Promise<ProbeResult> | undefined;

  constructor(host: RemoteHost, opts: { now: () => number; probeTtlMs?: number; account?: string }) {
    this.#host = host;
    this.#now = opts.now;
    this.#ttl = opts.probeTtlMs ?? 10 * 60_000;
    const account = opts.account ?? 'admin';
    this.sites = new HestiaSites(host, account);
    this.databases = new HestiaDatabases(host, () => this.probe(), account);
    this.certificates = new HestiaCertificates(host);
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

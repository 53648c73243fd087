import type { Capability, Driver, ProbeResult } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import { LinuxSshCertificates } from './certificates.capability';
import { LinuxSshDatabases } from './databases.capability';
import { probeLinux } from './probe';
import { LinuxSshSites } from './sites.capability';

/**
 * The driver for any Linux server reached over SSH: nginx sites now; databases, certificates and metrics plug in
 * as further capabilities. The probe is cached for `probeTtlMs` and refreshed on demand.
 */
export class LinuxSshDriver implements Driver {
  readonly kind = 'linux-ssh' as const;
  readonly sites: LinuxSshSites;
  readonly databases: LinuxSshDatabases;
  readonly certificates: LinuxSshCertificates;
  /** Set by the last probe: 'databases' joins once it found MariaDB, MySQL or PostgreSQL. */
  #hasDatabases = false;
  readonly #host: RemoteHost;
  readonly #now: () => number;
  readonly #ttl: number;
  #probe: Promise<ProbeResult> | undefined;

  constructor(host: RemoteHost, opts: { now: () => number; probeTtlMs?: number }) {
    this.#host = host;
    this.#now = opts.now;
    this.#ttl = opts.probeTtlMs ?? 10 * 60_000;
    this.sites = new LinuxSshSites(host, () => this.probe());
    this.databases = new LinuxSshDatabases(host, () => this.probe());
    this.certificates = new LinuxSshCertificates(host, () => this.probe());
  }

  get capabilities(): readonly Capability[] {
    return this.#hasDatabases ? ['sites', 'databases', 'certificates'] : ['sites', 'certificates'];
  }

  probe(refresh = false): Promise<ProbeResult> {
    const cached = this.#probe;
    if (!refresh && cached) {
      return cached.then((p) => (this.#now() - p.at < this.#ttl ? p : this.probe(true)));
    }
    const next = probeLinux(this.#host, this.#now).then((p) => {
      this.#hasDatabases = p.databases.length > 0;
      return p;
    });
    this.#probe = next;
    next.catch(() => {
      if (this.#probe === next) this.#probe = undefined;
    });
    return next;
  }
}

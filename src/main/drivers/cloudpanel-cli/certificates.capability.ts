import { AppError } from '../../../shared/errors';
import type { Plan } from '../../operations/operation.types';
import type { CertificateInstallSpec, CertificateScan, CertificatesCapability } from '../capabilities';
import { orderNames, panelCertificatePlan, scanPanelCertificates, splitBundle } from '../panel-cli-certificates';
import { guardDomain } from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { clpctlOutcome } from './clpctl-output';
import { CLP_SSL_DIR, readClpCertificatePaths, readClpSites } from './clp-state';
import { CLPCTL, toSite } from './sites.capability';

/**
 * Certificates on a stock CloudPanel server through clpctl: the inventory is every site's certificate as its vhost
 * serves it (CloudPanel gives each site a self-signed one, then Let's Encrypt or an imported one), probed live;
 * `lets-encrypt:install:certificate` orders from CloudPanel's own Let's Encrypt account (the ACME directory and
 * e-mail of the request are not CloudPanel's to choose: they are ignored), and `site:install:certificate` imports
 * an uploaded certificate from files written over stdin. CloudPanel renews its Let's Encrypt certificates itself,
 * so the inventory carries no PanelDeck renewal for them.
 */
export class CloudPanelCliCertificates implements CertificatesCapability {
  readonly #host: RemoteHost;

  constructor(host: RemoteHost) {
    this.#host = host;
  }

  async scan(): Promise<CertificateScan> {
    const rows = await readClpSites(this.#host);
    const certs = await readClpCertificatePaths(
      this.#host,
      rows.map((r) => r.domainName),
    );
    const sites = rows.map((r) => toSite(this.#host.serverId, r, certs.get(r.domainName) ?? null));
    return scanPanelCertificates(this.#host, sites);
  }

  async planInstall(spec: CertificateInstallSpec): Promise<Plan> {
    const domain = guardDomain(spec.domain);
    const extra = orderNames(domain, spec.aliases ?? [], (a) => guardDomain(a, 'aliases'));
    if (spec.redirectHttp === true) {
      throw new AppError(
        'UNSUPPORTED',
        "clpctl has no HTTP → HTTPS switch; set it in the site's vhost in CloudPanel.",
        {
          field: 'redirectHttp',
        },
      );
    }
    const h = this.#host;
    if (!(await readClpSites(h)).some((r) => r.domainName === domain)) {
      throw new AppError('NOT_FOUND', `CloudPanel has no site ${domain}.`);
    }
    const path = (await readClpCertificatePaths(h, [domain])).get(domain) ?? `${CLP_SSL_DIR}/${domain}.crt`;
    return panelCertificatePlan(h, spec, {
      domain,
      extra,
      path,
      panel: 'CloudPanel',
      upload: (holder) => ({
        id: 'clpctl',
        title: `clpctl site:install:certificate ${domain} (key, certificate and chain from a private folder)`,
        preview: ['private.key', 'certificate.crt', 'chain.crt'],
        files: (b) => {
          const { leaf, chain } = splitBundle(b);
          return [
            { name: 'private.key', content: b.key, mode: 0o600 },
            { name: 'certificate.crt', content: leaf, mode: 0o600 },
            ...(chain !== '' ? [{ name: 'chain.crt', content: chain, mode: 0o600 }] : []),
          ];
        },
        argv: (dir) => [
          CLPCTL,
          'site:install:certificate',
          `--domainName=${domain}`,
          `--privateKey=${dir}/private.key`,
          `--certificate=${dir}/certificate.crt`,
          // Read only when present: a chain-less upload (self-signed or a leaf from a private CA) has none.
          ...(holder.material && splitBundle(holder.material).chain === ''
            ? []
            : [`--certificateChain=${dir}/chain.crt`]),
        ],
        read: (r) => clpctlOutcome(r, `Installing the certificate of ${domain} in CloudPanel`),
      }),
      order: {
        id: 'clpctl',
        title: `clpctl lets-encrypt:install:certificate ${[domain, ...extra].join(', ')} (CloudPanel's own Let's Encrypt account)`,
        argv: [
          CLPCTL,
          'lets-encrypt:install:certificate',
          `--domainName=${domain}`,
          ...(extra.length > 0 ? [`--subjectAlternativeName=${extra.join(',')}`] : []),
        ],
        read: (r) => clpctlOutcome(r, `Ordering a Let's Encrypt certificate for ${domain} in CloudPanel`),
      },
    });
  }
}

import { AppError } from '../../../shared/errors';
import type { Plan } from '../../operations/operation.types';
import type { CertificateInstallSpec, CertificateScan, CertificatesCapability } from '../capabilities';
import { orderNames, panelCertificatePlan, scanPanelCertificates, splitBundle } from '../panel-cli-certificates';
import { guardDomain } from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { HESTIA_BIN, hestiaOutcome } from './hestia-output';
import { hestiaAll } from './hestia-state';
import { toSite } from './sites.capability';

/**
 * Certificates on a HestiaCP server through its v-* commands: the inventory is every SSL web domain's certificate
 * (the file Hestia keeps in the domain's conf folder and serves), probed live; `v-add-letsencrypt-domain` orders
 * from Hestia's own Let's Encrypt account (the ACME directory and e-mail of the request are Hestia's to choose:
 * ignored), and an upload goes through `v-add-web-domain-ssl` (or `v-change-web-domain-sslcert` when the domain has
 * SSL already) from an SSL_DIR written over stdin. Hestia renews its Let's Encrypt certificates itself.
 * The scan reads the certificate file rather than `v-list-web-domain-ssl … json`, whose answer carries the private
 * key (KEY): keys never need to leave the server for an inventory.
 */
export class HestiaCertificates implements CertificatesCapability {
  readonly #host: RemoteHost;

  constructor(host: RemoteHost) {
    this.#host = host;
  }

  async scan(): Promise<CertificateScan> {
    const sites = (await hestiaAll(this.#host, 'v-list-web-domains')).map((r) => toSite(this.#host.serverId, r));
    return scanPanelCertificates(this.#host, sites);
  }

  async planInstall(spec: CertificateInstallSpec): Promise<Plan> {
    const domain = guardDomain(spec.domain);
    const requested = spec.aliases?.map((a) => guardDomain(a, 'aliases'));
    if (spec.redirectHttp === true) {
      throw new AppError(
        'UNSUPPORTED',
        'Switch HTTP → HTTPS in Hestia (the domain\'s "Enable automatic HTTPS redirection").',
        {
          field: 'redirectHttp',
        },
      );
    }
    const h = this.#host;
    const rec = (await hestiaAll(h, 'v-list-web-domains')).find((r) => r.name === domain);
    if (!rec) throw new AppError('NOT_FOUND', `HestiaCP has no web domain ${domain}.`);
    const site = toSite(h.serverId, rec);
    if (!site.enabled) throw new AppError('CONFLICT', `${domain} is suspended in HestiaCP.`);
    const extra = orderNames(domain, requested ?? site.aliases, (a) => guardDomain(a, 'aliases'));
    const unknown = extra.filter((a) => !site.aliases.includes(a));
    if (unknown.length > 0) {
      throw new AppError(
        'VALIDATION',
        `Hestia orders only for the domain's aliases; ${unknown.join(', ')} is not one.`,
        {
          field: 'aliases',
        },
      );
    }
    const user = rec.user;
    const order = 'v-add-letsencrypt-domain';
    return panelCertificatePlan(h, spec, {
      domain,
      extra,
      path: `/home/${user}/conf/web/${domain}/ssl/${domain}.crt`,
      panel: 'HestiaCP',
      titleSuffix: ` (account ${user})`,
      upload: () => {
        const cmd = site.tls ? 'v-change-web-domain-sslcert' : 'v-add-web-domain-ssl';
        return {
          id: cmd,
          title: `${cmd} ${user} ${domain} (certificate, key and CA from a private folder)`,
          preview: [`${domain}.crt`, `${domain}.key`, `${domain}.ca`],
          files: (b) => {
            const { leaf, chain } = splitBundle(b);
            return [
              { name: `${domain}.crt`, content: leaf, mode: 0o600 },
              { name: `${domain}.key`, content: b.key, mode: 0o600 },
              ...(chain !== '' ? [{ name: `${domain}.ca`, content: chain, mode: 0o600 }] : []),
            ];
          },
          argv: (dir) => [`${HESTIA_BIN}/${cmd}`, user, domain, dir],
          read: (r) => hestiaOutcome(r, `Installing the certificate of ${domain} in HestiaCP`).trim(),
        };
      },
      order: {
        id: order,
        title: `${order} ${user} ${[domain, ...extra].join(', ')} (Hestia's own Let's Encrypt account)`,
        argv: [`${HESTIA_BIN}/${order}`, user, domain, ...(extra.length > 0 ? [extra.join(',')] : [])],
        read: (r) => hestiaOutcome(r, `Ordering a Let's Encrypt certificate for ${domain} in HestiaCP`).trim(),
      },
    });
  }
}

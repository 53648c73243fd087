import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep } from '../../operations/operation.types';
import type { CertificateInstallSpec, CertificateScan, CertificatesCapability } from '../capabilities';
import { planCommands } from '../linux-ssh/safe-steps';
import {
  checkUploadStep,
  orderNames,
  rememberingBefore,
  scanPanelCertificates,
  servedCertificateStep,
  splitBundle,
  uploadCliStep,
  type UploadHolder,
} from '../panel-cli-certificates';
import { cliStep, guardDomain } from '../panel-cli-steps';
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
    const path = `/home/${user}/conf/web/${domain}/ssl/${domain}.crt`;
    const steps: PlanStep[] = [];
    const holder: UploadHolder = { material: null };
    if (spec.mode === 'upload') {
      const cmd = site.tls ? 'v-change-web-domain-sslcert' : 'v-add-web-domain-ssl';
      steps.push(
        checkUploadStep(spec, holder),
        uploadCliStep(h, spec, holder, {
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
        }),
      );
    } else {
      const argv = [
        `${HESTIA_BIN}/v-add-letsencrypt-domain`,
        user,
        domain,
        ...(extra.length > 0 ? [extra.join(',')] : []),
      ];
      steps.push(
        rememberingBefore(
          h,
          path,
          cliStep(h, {
            id: 'v-add-letsencrypt-domain',
            title: `v-add-letsencrypt-domain ${user} ${[domain, ...extra].join(', ')} (Hestia's own Let's Encrypt account)`,
            argv,
            read: (r) => hestiaOutcome(r, `Ordering a Let's Encrypt certificate for ${domain} in HestiaCP`).trim(),
          }),
        ),
      );
    }
    steps.push(
      servedCertificateStep(
        h,
        domain,
        path,
        spec.mode === 'upload' ? { uploaded: holder } : { changedFromStep: 'v-add-letsencrypt-domain' },
      ),
    );
    const verb = spec.mode === 'issue' ? 'Issue' : spec.mode === 'renew' ? 'Renew' : 'Install';
    return {
      title: `${verb} a certificate for ${domain} in HestiaCP (account ${user})`,
      serverId: h.serverId,
      kind: `certificate.${spec.mode}`,
      steps,
      commands: [
        ...(spec.mode !== 'upload' && spec.renewal
          ? [
              `# HestiaCP orders from its own Let's Encrypt account and renews itself (${spec.renewal.directoryUrl} is not used)`,
            ]
          : []),
        ...planCommands(steps),
      ],
      diffs: [],
      params: { domain, redirectHttp: false, aliases: extra },
    };
  }
}

import { AppError } from '../../../shared/errors';
import { Domain } from '../../../shared/remote-names';
import type { Plan } from '../../operations/operation.types';
import type {
  CertificateInstallSpec,
  CertificateScan,
  CertificatesCapability,
  Http01Challenge,
  ScannedCertificate,
} from '../capabilities';
import { listCertificates, planCertificateInstall, planCertificateRenew } from './certificate-plans';
import { checked } from './cloudpanel-values';
import type { PanelEnv } from './database-plans';
import type { CpCertificate } from './resource-kinds';

/** CloudPanel answers its own HTTP-01 challenges: an upload never needs one. */
const NO_CHALLENGE: Http01Challenge = {
  create: () => Promise.reject(new AppError('UNSUPPORTED', 'CloudPanel runs its own ACME challenges.')),
  remove: () => Promise.resolve(),
};

function time(v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/**
 * Certificates of a CloudPanel panel in the inventory's shape, from its certificate list (no files to read, no
 * TLS probe: `served` is empty); each is at path `cloudpanel-api:certificate/<id>`, with no PanelDeck renewal
 * (CloudPanel renews its own Let's Encrypt certificates). Install plans: issue = the panel's own Let's Encrypt
 * request (the directory, email and EAB of the spec are not passed: the API has no field for them), upload = the
 * bundle the spec obtains, sent with the key as a secret, renew = the panel's renew of the site's newest one.
 */
export class CloudPanelApiCertificates implements CertificatesCapability {
  readonly #env: PanelEnv;

  constructor(env: PanelEnv) {
    this.#env = env;
  }

  async scan(): Promise<CertificateScan> {
    const certs = await listCertificates(this.#env);
    const needSites = certs.some((c) => c.domainName === undefined);
    const sites = needSites ? new Map((await this.#env.api.listSites()).map((s) => [s.id, s.domainName])) : null;
    const certificates: ScannedCertificate[] = [];
    const problems: string[] = [];
    for (const c of certs) {
      const domain = c.domainName ?? sites?.get(c.siteId) ?? null;
      const notAfter = time(c.expiresAt);
      if (domain === null || notAfter === null) {
        problems.push(`CloudPanel certificate ${c.id}: no ${domain === null ? 'site' : 'expiry date'} in the answer`);
        continue;
      }
      certificates.push(scanned(c, domain, notAfter));
    }
    return { certificates, problems };
  }

  /** The plan of the panel's install, under the fleet's operation kind (certificate.issue|upload|renew). */
  async planInstall(spec: CertificateInstallSpec): Promise<Plan> {
    return { ...(await this.#plan(spec)), kind: `certificate.${spec.mode}` };
  }

  async #plan(spec: CertificateInstallSpec): Promise<Plan> {
    const domain = checked(Domain, spec.domain, 'domain');
    if (spec.mode === 'issue') return planCertificateInstall(this.#env, domain, { type: 'letsencrypt' });
    if (spec.mode === 'upload') {
      return planCertificateInstall(this.#env, domain, {
        type: 'custom',
        bundle: async (ctx) => {
          const b = await spec.obtain(ctx, { altNames: [domain], challenge: NO_CHALLENGE });
          ctx.secrets.add(b.key);
          return b;
        },
      });
    }
    const sites = await this.#env.api.listSites();
    const site = sites.find((s) => s.domainName === domain);
    const newest = (await listCertificates(this.#env))
      .filter((c) => c.domainName === domain || (site !== undefined && c.siteId === site.id))
      .sort((a, b) => (time(b.expiresAt) ?? 0) - (time(a.expiresAt) ?? 0))[0];
    if (!newest) throw new AppError('NOT_FOUND', `CloudPanel has no certificate for ${domain} to renew.`);
    return planCertificateRenew(this.#env, newest.id);
  }
}

function scanned(c: CpCertificate, domain: string, notAfter: number): ScannedCertificate {
  const letsencrypt = c.type === 'letsencrypt';
  return {
    path: `cloudpanel-api:certificate/${c.id}`,
    source: letsencrypt ? 'letsencrypt' : 'nginx',
    domains: [domain],
    info: {
      subject: c.subject ?? `CN=${domain}`,
      sans: [...(c.sans ?? [domain])],
      issuer: c.issuer ?? (letsencrypt ? "Let's Encrypt" : 'unknown'),
      notBefore: time(c.notBefore) ?? 0,
      notAfter,
      serial: c.serial ?? '',
      keyType: c.keyType ?? 'unknown',
      fingerprint: c.fingerprint ?? '',
    },
    served: [],
    renewal: null,
  };
}

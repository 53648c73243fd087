import { randomUUID } from 'node:crypto';
import type { Output, ParsedInput } from '../../shared/contract';
import type { Certificate, CertificateState } from '../../shared/contract/certificates.contract';
import { AppError, isAppError } from '../../shared/errors';
import type { CertificateInstallSpec, ObtainCertificate, ScannedCertificate } from '../drivers/capabilities';
import { checkBundle } from '../drivers/certificate-pem';
import type { DriverRegistry } from '../drivers/registry';
import type { Plan, PlanRegistry } from '../operations/operation.types';
import type { PlanStore } from '../plans/plan-store';
import type { CertificateStore } from '../storage/history/certificate-store';
import { mapLimit } from '../sites/sites.service';
import type { AcmeIssuer } from './acme-issuer';

const DAY = 86_400_000;

/** Dependencies of {@link CertificatesService}. */
export interface CertificatesServiceDeps {
  readonly drivers: DriverRegistry;
  readonly plans: PlanStore;
  readonly rebuilders: PlanRegistry;
  readonly store: CertificateStore;
  readonly issuer: AcmeIssuer;
  readonly serverIds: () => string[];
  readonly now: () => number;
}

/** The inventory's state of a certificate at `now`. */
export function stateOf(c: Pick<Certificate, 'notAfter' | 'served'>, now: number): CertificateState {
  if (c.served.some((s) => !s.matches)) return 'mismatch';
  if (c.notAfter <= now) return 'expired';
  if (c.notAfter - now < 21 * DAY) return 'expiring';
  return 'valid';
}

/** True when a third (or less) of the certificate's lifetime remains: time to renew. */
export function renewalDue(c: Pick<Certificate, 'notBefore' | 'notAfter'>, now: number): boolean {
  return now >= c.notAfter - (c.notAfter - c.notBefore) / 3;
}

/** The site a PanelDeck certificate belongs to, from its path (/etc/ssl/paneldeck/<domain>/fullchain.pem). */
export function siteOfPath(path: string): string | null {
  return /^\/etc\/ssl\/paneldeck\/([^/]+)\/fullchain\.pem$/.exec(path)?.[1] ?? null;
}

/**
 * Certificates across the fleet: the inventory (scanned from each server through its driver, kept sealed in
 * history.db), and issue / renew / upload as plans through the same safe path and operations journal as sites.
 */
export class CertificatesService {
  readonly #d: CertificatesServiceDeps;

  constructor(deps: CertificatesServiceDeps) {
    this.#d = deps;
    deps.rebuilders.register('certificate.issue', async ({ serverId, params }) => {
      const p = params as {
        domain: string;
        redirectHttp: boolean;
        aliases: string[];
        directoryUrl: string;
        email: string;
      };
      return this.#acmePlan('issue', serverId, p.domain, p, { directoryUrl: p.directoryUrl, email: p.email });
    });
    deps.rebuilders.register('certificate.renew', async ({ serverId, params }) => {
      const p = params as { domain: string; directoryUrl: string; email: string };
      return this.#acmePlan('renew', serverId, p.domain, {}, { directoryUrl: p.directoryUrl, email: p.email });
    });
    deps.rebuilders.register('certificate.upload', () => {
      throw new AppError('UNSUPPORTED', 'An uploaded private key is not kept: upload the certificate again.');
    });
  }

  async #cap(serverId: string) {
    const cap = (await this.#d.drivers.need(serverId, 'certificates')).certificates;
    if (!cap) throw new AppError('UNSUPPORTED', 'This server has no certificates capability.');
    return cap;
  }

  /** certificates.list: the stored inventory, states recomputed for now, soonest expiry first. */
  list(input: ParsedInput<'certificates.list'>): Output<'certificates.list'> {
    const now = this.#d.now();
    const q = input.query?.trim().toLowerCase() ?? '';
    const certificates = this.#d.store
      .list(input.serverId !== undefined ? { serverId: input.serverId } : {})
      .map((e) => {
        const c = e.details as Certificate;
        return { ...c, state: stateOf(c, now) };
      })
      .filter((c) => input.state === undefined || input.state.includes(c.state))
      .filter((c) => input.expiringWithinDays === undefined || c.notAfter - now <= input.expiringWithinDays * DAY)
      .filter(
        (c) =>
          q === '' || [c.path, c.issuer, c.subject, ...c.domains, ...c.sans].some((s) => s.toLowerCase().includes(q)),
      );
    certificates.sort((a, b) => a.notAfter - b.notAfter || a.serverId.localeCompare(b.serverId));
    return { certificates };
  }

  /** certificates.scan: one server or all (six at a time); a server that fails is reported, never hidden. */
  async scan(input: ParsedInput<'certificates.scan'>): Promise<Output<'certificates.scan'>> {
    const ids = input.serverId ? [input.serverId] : this.#d.serverIds();
    const problems: Output<'certificates.scan'>['problems'] = [];
    let count = 0;
    await mapLimit(ids, 6, async (serverId) => {
      try {
        const r = await this.scanServer(serverId);
        count += r.count;
        for (const message of r.problems) problems.push({ serverId, code: 'SCAN', message });
      } catch (e) {
        if (input.serverId) throw e;
        problems.push({
          serverId,
          code: isAppError(e) ? e.code : 'INTERNAL',
          message: isAppError(e) ? e.message : 'The server could not be scanned.',
        });
      }
    });
    return { servers: ids.length, certificates: count, problems };
  }

  /** Scans one server and replaces its part of the inventory (ids kept per file path). */
  async scanServer(serverId: string): Promise<{ count: number; problems: readonly string[] }> {
    const scan = await (await this.#cap(serverId)).scan();
    const now = Math.floor(this.#d.now());
    const old = this.#d.store.list({ serverId });
    const idOf = new Map(old.map((e) => [(e.details as Certificate).path, e.id]));
    const entries = scan.certificates.map((s) => {
      const c = toCertificate(idOf.get(s.path) ?? randomUUID(), serverId, s, now);
      return { id: c.id, serverId, notAfter: c.notAfter, state: c.state, updatedAt: now, details: c };
    });
    const keep = new Set(entries.map((e) => e.id));
    this.#d.store.put(entries);
    this.#d.store.remove(old.filter((e) => !keep.has(e.id)).map((e) => e.id));
    return { count: entries.length, problems: scan.problems };
  }

  async issue(input: ParsedInput<'certificates.issue'>): Promise<Output<'certificates.issue'>> {
    const plan = await this.#acmePlan(
      'issue',
      input.serverId,
      input.domain,
      { redirectHttp: input.redirectHttp, ...(input.aliases ? { aliases: input.aliases } : {}) },
      { directoryUrl: input.directoryUrl, email: input.email },
      input.eab,
    );
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  async renew(input: ParsedInput<'certificates.renew'>): Promise<Output<'certificates.renew'>> {
    const plan = await this.renewPlan(input.serverId, input.domain);
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  /**
   * The renew plan of a site's certificate: PanelDeck's ACME certificate on a linux-ssh server (scanning the server
   * when the inventory has none), or the panel's own renewal on a panel.
   */
  async renewPlan(serverId: string, domain: string): Promise<Plan> {
    // A panel (clpctl, Hestia, an API) renews with its own ACME account: ask it to, whatever the inventory says.
    if ((await this.#d.drivers.need(serverId, 'certificates')).kind !== 'linux-ssh') {
      return this.#install(serverId, {
        mode: 'renew',
        domain,
        obtain: () => Promise.reject(new AppError('UNSUPPORTED', 'The panel obtains its own certificates.')),
        renewal: null,
      });
    }
    const find = () =>
      this.#d.store
        .list({ serverId })
        .map((e) => e.details as Certificate)
        .find((c) => siteOfPath(c.path) === domain && c.renewal !== null);
    let found = find();
    if (!found) {
      await this.scanServer(serverId);
      found = find();
    }
    if (!found?.renewal) {
      throw new AppError('NOT_FOUND', `${domain} has no ACME certificate from PanelDeck to renew; issue one first.`);
    }
    return this.#acmePlan('renew', serverId, domain, {}, found.renewal);
  }

  async upload(input: ParsedInput<'certificates.upload'>): Promise<Output<'certificates.upload'>> {
    // Checked before anything is planned: nothing is sent for a key that does not match or a chain out of order.
    const bundle = checkBundle({ certificate: input.certificate, chain: input.chain, key: input.key });
    if (bundle.leaf.notAfter <= this.#d.now()) {
      throw new AppError('VALIDATION', 'This certificate has expired.', { field: 'certificate' });
    }
    const obtain: ObtainCertificate = (ctx) => {
      ctx.secrets.add(bundle.key);
      return Promise.resolve({ fullchain: bundle.fullchain, key: bundle.key });
    };
    const plan = await this.#install(input.serverId, {
      mode: 'upload',
      domain: input.domain,
      redirectHttp: input.redirectHttp,
      obtain,
      renewal: null,
    });
    return this.#d.plans.planAndMaybeApply({ ...plan, secrets: [bundle.key] }, input.dryRun);
  }

  async #acmePlan(
    mode: 'issue' | 'renew',
    serverId: string,
    domain: string,
    opts: { redirectHttp?: boolean; aliases?: readonly string[] },
    renewal: { directoryUrl: string; email: string },
    eab?: { kid: string; hmacKey: string },
  ): Promise<Plan> {
    const obtain: ObtainCertificate = (ctx, order) => {
      if (eab) ctx.secrets.add(eab.hmacKey);
      return this.#d.issuer.issue({
        ...renewal,
        eab,
        altNames: order.altNames,
        challenge: order.challenge,
        log: (l) => ctx.log(l),
      });
    };
    const plan = await this.#install(serverId, {
      mode,
      domain,
      ...(opts.aliases && opts.aliases.length > 0 ? { aliases: opts.aliases } : {}),
      redirectHttp: opts.redirectHttp,
      obtain,
      renewal,
    });
    return {
      ...plan,
      params: { ...(plan.params as object), ...renewal } as never,
      ...(eab ? { secrets: [eab.hmacKey] } : {}),
    };
  }

  /** The driver's install plan plus a last step that refreshes this server's inventory. */
  async #install(serverId: string, spec: CertificateInstallSpec): Promise<Plan> {
    const plan = await (await this.#cap(serverId)).planInstall(spec);
    return {
      ...plan,
      steps: [
        ...plan.steps,
        {
          id: 'inventory',
          title: 'Update the certificate inventory',
          kind: 'verify',
          run: async (ctx) => {
            try {
              await this.scanServer(serverId);
            } catch (e) {
              // The certificate is installed and verified; a stale inventory is fixed by the next scan.
              ctx.log(`inventory not updated: ${isAppError(e) ? e.message : 'scan failed'}`);
            }
          },
        },
      ],
    };
  }
}

function toCertificate(id: string, serverId: string, s: ScannedCertificate, now: number): Certificate {
  const c: Omit<Certificate, 'state'> = {
    id,
    serverId,
    path: s.path,
    source: s.source,
    domains: [...s.domains],
    subject: s.info.subject,
    sans: [...s.info.sans],
    issuer: s.info.issuer,
    notBefore: s.info.notBefore,
    notAfter: s.info.notAfter,
    serial: s.info.serial,
    keyType: s.info.keyType,
    fingerprint: s.info.fingerprint,
    served: s.served.map((x) => ({ ...x })),
    renewal: s.renewal,
    scannedAt: now,
  };
  return { ...c, state: stateOf(c, now) };
}

import { AppError } from '../../../shared/errors';
import type { PlanStep } from '../../operations/operation.types';
import { command } from '../../ssh/shell-quote';
import type { CertificateInstallSpec, CertificateScan, CertificatesCapability, ProbeResult } from '../capabilities';
import { fingerprintOfDer } from '../certificate-pem';
import type { RemoteHost } from '../remote-host';
import { unifiedDiff } from '../unified-diff';
import { ACME_CHALLENGE_DIR, http01Challenge } from './acme-http01';
import { certFiles, leafOf, scanCertificates } from './certificates-scan';
import { parseNginx, serverBlocks } from './nginx-parse';
import { readSiteFiles, sitesFromFiles } from './nginx-sites';
import { renderVhost } from './nginx-templates';
import type { Plan } from '../../operations/operation.types';
import { backupStep, reloadNginxStep, stepHost, validateNginxStep, writeStep } from './safe-steps';

/** How long the TLS verify step waits for the reloaded nginx to serve the new certificate. */
const VERIFY_TIMEOUT_MS = 15_000;

/**
 * Certificates on a plain Linux server with nginx: the inventory scan and the install plan shared by ACME
 * issuance, renewal and custom uploads. Only sites PanelDeck manages (its marker in the vhost) are switched to
 * TLS: their vhost is re-rendered from the one template, so nothing hand-made is rewritten.
 */
export class LinuxSshCertificates implements CertificatesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>) {
    this.#host = host;
    this.#probe = probe;
  }

  async scan(): Promise<CertificateScan> {
    const sites = sitesFromFiles(this.#host.serverId, await readSiteFiles(this.#host));
    return scanCertificates(this.#host, sites);
  }

  async planInstall(spec: CertificateInstallSpec): Promise<Plan> {
    const probe = await this.#probe();
    if (probe.webServer?.name !== 'nginx') {
      throw new AppError('UNSUPPORTED', 'This server runs no nginx; PanelDeck installs certificates for nginx sites.');
    }
    const h = this.#host;
    const files = await readSiteFiles(h);
    const loc = sitesFromFiles(h.serverId, files).find((l) => l.site.domain === spec.domain);
    if (!loc) throw new AppError('NOT_FOUND', `No site ${spec.domain} on this server.`);
    const site = loc.site;
    if (!site.managed || site.configPath === null || site.kind === 'other') {
      throw new AppError(
        'UNSUPPORTED',
        `${spec.domain} was not created by PanelDeck (${site.configPath ?? 'no file'}); its vhost is not rewritten. Install the certificate by hand.`,
      );
    }
    const path = site.configPath;
    const before = files.find((f) => f.path === path)?.text ?? '';
    const blocks = serverBlocks(parseNginx(before)).filter((b) => b.serverNames.includes(spec.domain));
    const fastcgi = blocks.map((b) => b.fastcgi).find((x) => x !== null) ?? null;
    const currentRedirect = blocks.some((b) => b.redirectOnly);
    const cf = certFiles(spec.domain);
    const redirectHttp = spec.redirectHttp ?? currentRedirect;
    const after = renderVhost({
      domain: site.domain,
      aliases: site.aliases,
      kind: site.kind,
      root: site.root ?? `/var/www/${site.domain}/public`,
      ...(fastcgi !== null ? { phpSocket: fastcgi.replace(/^unix:/, '') } : {}),
      ...(site.upstream !== null ? { upstream: site.upstream } : {}),
      ...(site.systemUser !== null ? { user: site.systemUser } : {}),
      tls: { certificate: cf.fullchain, key: cf.key, redirectHttp },
    });
    const altNames = [spec.domain, ...(spec.aliases ?? site.aliases)].filter((n, i, a) => a.indexOf(n) === i);
    if (spec.mode === 'renew' && site.certificatePath !== cf.fullchain) {
      throw new AppError('NOT_FOUND', `${spec.domain} has no certificate installed by PanelDeck to renew.`);
    }

    // The certificate lives in memory between the order and the upload step (never in the journal).
    let material: { fullchain: string; key: string } | null = null;
    const obtain = async (ctx: Parameters<PlanStep['run']>[0]): Promise<{ fullchain: string; key: string }> => {
      const got = await spec.obtain(ctx, {
        altNames,
        challenge: http01Challenge(stepHost(h, ctx), (l) => ctx.log(l)),
      });
      ctx.secrets.add(got.key);
      material = got;
      return got;
    };
    const acme = spec.mode !== 'upload';
    const steps: PlanStep[] = [
      backupStep(h, [path, cf.fullchain, cf.key, cf.renewal], { reload: true }),
      {
        id: 'prepare',
        title: acme ? 'Prepare the ACME challenge folder and the certificate folder' : 'Prepare the certificate folder',
        kind: 'exec',
        async run(ctx) {
          const sh = stepHost(h, ctx);
          if (acme) await sh.check(['install', '-d', '-m', '0755', ACME_CHALLENGE_DIR], 'Creating the ACME folder');
          await sh.check(['install', '-d', '-m', '0700', cf.dir], `Creating ${cf.dir}`);
        },
      },
      {
        id: 'obtain',
        title: acme
          ? `Order the certificate for ${altNames.join(', ')} (HTTP-01 through nginx), validate, finalize`
          : 'Check the uploaded certificate',
        kind: 'exec',
        async run(ctx) {
          const got = await obtain(ctx);
          const leaf = leafOf(got.fullchain);
          ctx.log(`certificate ${leaf.fingerprint256} valid until ${leaf.validTo}`);
          return { summary: `valid until ${leaf.validTo}`, data: { fingerprint: leaf.fingerprint256 } };
        },
      },
      {
        id: 'upload',
        title: `Upload the certificate and its key (0600) to ${cf.dir}`,
        kind: 'upload',
        async run(ctx) {
          // A retry after a restart finds no certificate in memory: order (or check) it again.
          const m = material ?? (await obtain(ctx));
          const sh = stepHost(h, ctx);
          await sh.writeFile(cf.key, m.key, 0o600);
          await sh.writeFile(cf.fullchain, m.fullchain, 0o644);
          if (spec.renewal) await sh.writeFile(cf.renewal, `${JSON.stringify(spec.renewal)}\n`, 0o600);
          else await sh.check(['rm', '-f', '--', cf.renewal], 'Removing the renewal settings');
          ctx.log(`wrote ${cf.fullchain} and ${cf.key}`);
        },
      },
    ];
    if (after !== before) steps.push(writeStep(h, 'vhost', path, after));
    steps.push(validateNginxStep(h), reloadNginxStep(h), {
      id: 'verify',
      title: `Check that ${spec.domain} serves the new certificate over HTTPS`,
      kind: 'verify',
      async run(ctx) {
        const want = material ? leafOf(material.fullchain).fingerprint256 : null;
        const deadline = Date.now() + VERIFY_TIMEOUT_MS;
        let last: string;
        // nginx answers from old workers for a moment after a reload: ask until the new certificate is served.
        for (;;) {
          try {
            const r = await h.http({ host: spec.domain, tls: true, timeoutMs: 5_000 });
            const got = r.peerCertificate ? fingerprintOfDer(r.peerCertificate) : null;
            if (got !== null && (want === null || got === want) && r.status > 0 && r.status < 500) {
              ctx.log(`GET https://${spec.domain}/ through the server: HTTP ${r.status}, certificate ${got}`);
              return { summary: `HTTPS ${r.status}` };
            }
            last = got === null ? `HTTP ${r.status} without a certificate` : `served ${got}`;
          } catch (e) {
            last = (e as Error).message;
          }
          if (Date.now() > deadline) {
            throw new AppError('VALIDATION', `${spec.domain} does not serve the new certificate (${last}).`);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      },
    });
    const verb = spec.mode === 'issue' ? 'Issue' : spec.mode === 'renew' ? 'Renew' : 'Install';
    return {
      title: `${verb} a certificate for ${spec.domain}`,
      serverId: h.serverId,
      kind: `certificate.${spec.mode}`,
      steps,
      commands: [
        command(['install', '-d', '-m', '0700', cf.dir]),
        ...(acme ? [`ACME order ${altNames.join(' ')} (http-01: ${ACME_CHALLENGE_DIR}/<token>)`] : []),
        `write ${cf.key} (0600)`,
        `write ${cf.fullchain}`,
        ...(after !== before ? [`write ${path}`] : []),
        command(['nginx', '-t']),
        command(['systemctl', 'reload', 'nginx']),
        `TLS check https://${spec.domain}/`,
      ],
      diffs: after !== before ? [{ path, before, after, unifiedDiff: unifiedDiff(path, before, after) }] : [],
      params: { domain: spec.domain, redirectHttp, aliases: [...(spec.aliases ?? [])] },
    };
  }
}

import type { Site } from '../../shared/contract/sites.contract';
import { AppError } from '../../shared/errors';
import type { Plan, PlanStep, StepContext } from '../operations/operation.types';
import type { ExecResult } from '../ssh/connection-manager';
import { display } from '../ssh/shell-quote';
import type { CertificateInstallSpec, CertificateScan, Http01Challenge } from './capabilities';
import { certificateInfo, checkBundle, fingerprintOfDer, pemCertificates, type CheckedBundle } from './certificate-pem';
import { scanCertificates } from './linux-ssh/certificates-scan';
import { planCommands, stepHost } from './linux-ssh/safe-steps';
import { cliStep } from './panel-cli-steps';
import type { RemoteHost } from './remote-host';

/**
 * Certificates on servers whose panel has only a CLI reached over SSH (cloudpanel-cli, hestia): the panel orders,
 * installs and renews; PanelDeck plans the CLI calls, carries uploaded keys in files written over stdin (never on
 * argv), and checks the result with the same live TLS probe as the linux-ssh driver.
 */

/** How long the verify step waits for the panel's reloaded nginx to serve the new certificate. */
const VERIFY_TIMEOUT_MS = 15_000;

/** Where uploaded files wait for the panel's CLI: a fresh `mktemp -d` folder (0700), removed right after. */
const UPLOAD_DIR_TEMPLATE = '/tmp/paneldeck-cert.XXXXXXXXXX';

/**
 * The inventory scan of a panel's sites: every TLS site's certificate file (the path the panel configures in
 * nginx), parsed, then probed live through the server's own loopback (the linux-ssh scan does both).
 */
export function scanPanelCertificates(host: RemoteHost, sites: readonly Site[]): Promise<CertificateScan> {
  const located = sites
    .filter((s) => s.tls && s.certificatePath !== null)
    .map((site) => ({ site, links: [], fileDomains: [site.domain] }));
  return scanCertificates(host, located);
}

/** The panels issue over their own ACME client: an upload plan never needs PanelDeck's challenge. */
const NO_CHALLENGE: Http01Challenge = {
  create: () => Promise.reject(new AppError('UNSUPPORTED', 'An upload has no ACME challenge.')),
  remove: () => Promise.resolve(),
};

/** An uploaded bundle between the check step and the upload step (in memory only, never in the journal). */
export interface UploadHolder {
  material: CheckedBundle | null;
}

/**
 * Obtains the uploaded certificate and key and checks them before anything reaches the server: the key must belong
 * to the certificate and the chain must be in order (VALIDATION otherwise). The key is registered as a secret.
 */
export async function checkedUpload(
  spec: CertificateInstallSpec,
  ctx: StepContext,
  holder: UploadHolder,
): Promise<CheckedBundle> {
  const got = await spec.obtain(ctx, { altNames: [spec.domain], challenge: NO_CHALLENGE });
  ctx.secrets.add(got.key);
  const bundle = checkBundle({ certificate: got.fullchain, key: got.key });
  ctx.secrets.add(bundle.key);
  holder.material = bundle;
  return bundle;
}

/** The check step of an upload plan (see {@link checkedUpload}). */
export function checkUploadStep(spec: CertificateInstallSpec, holder: UploadHolder): PlanStep {
  return {
    id: 'check',
    title: 'Check the uploaded certificate, its chain and that the key belongs to it',
    kind: 'exec',
    commands: ['# checked in PanelDeck: nothing is sent for a key that does not match'],
    async run(ctx) {
      const b = await checkedUpload(spec, ctx, holder);
      ctx.log(`certificate ${b.leaf.fingerprint} valid until ${new Date(b.leaf.notAfter).toISOString()}`);
      return {
        summary: `valid until ${new Date(b.leaf.notAfter).toISOString()}`,
        data: { fingerprint: b.leaf.fingerprint },
      };
    },
  };
}

/** The leaf and the rest of a checked bundle's chain, PEM. */
export function splitBundle(b: CheckedBundle): { leaf: string; chain: string } {
  const [leaf = '', ...rest] = pemCertificates(b.fullchain);
  return { leaf: `${leaf}\n`, chain: rest.length > 0 ? `${rest.join('\n')}\n` : '' };
}

/** One file an upload step writes into its private folder. */
export interface UploadFile {
  readonly name: string;
  readonly content: string;
  readonly mode: number;
}

/** What the panel's CLI upload step runs: its files, its argv for the folder, how its output is read. */
export interface UploadCliSpec {
  readonly id: string;
  readonly title: string;
  readonly files: (b: CheckedBundle) => readonly UploadFile[];
  /** The CLI's argv for the folder (validated names only). */
  readonly argv: (dir: string) => readonly string[];
  readonly read: (r: ExecResult) => string;
  /** The names the files get, for the preview. */
  readonly preview: readonly string[];
}

/**
 * The upload step: a private folder (`mktemp -d`, 0700), the files written through stdin (RemoteHost.writeFile:
 * the key never appears in a command line), the panel's CLI run on them, and the folder removed whatever happened.
 */
export function uploadCliStep(
  host: RemoteHost,
  spec: CertificateInstallSpec,
  holder: UploadHolder,
  opts: UploadCliSpec,
): PlanStep {
  const shown = '/tmp/paneldeck-cert.<random>';
  return {
    id: opts.id,
    title: opts.title,
    kind: 'upload',
    commands: [
      display(['mktemp', '-d', UPLOAD_DIR_TEMPLATE]),
      ...opts.preview.map((n) => `write ${shown}/${n} (over stdin)`),
      display(opts.argv(shown)),
      display(['rm', '-rf', '--', shown]),
    ],
    async run(ctx) {
      // A retry after a restart has no bundle in memory: obtain (and check) it again.
      const b = holder.material ?? (await checkedUpload(spec, ctx, holder));
      const sh = stepHost(host, ctx);
      const dir = (await sh.check(['mktemp', '-d', UPLOAD_DIR_TEMPLATE], 'Making a private folder')).trim();
      if (!/^\/tmp\/paneldeck-cert\.[A-Za-z0-9]{10}$/.test(dir)) {
        throw new AppError('INTERNAL', 'mktemp answered an unexpected folder name.');
      }
      try {
        for (const f of opts.files(b)) await sh.writeFile(`${dir}/${f.name}`, f.content, f.mode);
        const summary = opts.read(await sh.run(opts.argv(dir)));
        if (summary !== '') ctx.log(summary);
        return { summary: summary.slice(0, 200) || 'installed' };
      } finally {
        await sh.run(['rm', '-rf', '--', dir]);
      }
    },
  };
}

/** The SHA-256 fingerprint of the first certificate in a file on the server, or null (missing / unreadable). */
export async function fileFingerprint(host: RemoteHost, path: string): Promise<string | null> {
  const text = await host.readFile(path);
  const leaf = text === null ? undefined : pemCertificates(text)[0];
  if (leaf === undefined) return null;
  try {
    return certificateInfo(leaf).fingerprint;
  } catch {
    return null;
  }
}

/**
 * The last step of every panel certificate plan: through the server's own loopback (SNI = the domain), nginx must
 * serve the certificate the panel now has on disk (`path`): the uploaded one for an upload, and for an ACME order a
 * new one (not the certificate `before` the panel ran, read by the CLI step into its result data).
 */
export function servedCertificateStep(
  host: RemoteHost,
  domain: string,
  path: string,
  expect: { readonly uploaded?: UploadHolder; readonly changedFromStep?: string },
): PlanStep {
  return {
    id: 'verify',
    title: `Check that ${domain} serves the panel's new certificate over HTTPS`,
    kind: 'verify',
    commands: [`TLS check https://${domain}/ through the server (certificate = ${path})`],
    async run(ctx) {
      const onDisk = await fileFingerprint(stepHost(host, ctx), path);
      if (onDisk === null) throw new AppError('VALIDATION', `The panel left no readable certificate at ${path}.`);
      const uploaded = expect.uploaded?.material?.leaf.fingerprint;
      if (uploaded !== undefined && uploaded !== onDisk) {
        throw new AppError('VALIDATION', `The panel reported success, but ${path} is not the uploaded certificate.`);
      }
      const before = expect.changedFromStep ? ctx.results.get(expect.changedFromStep)?.data : undefined;
      const old = before && typeof before === 'object' && !Array.isArray(before) ? before.before : undefined;
      if (typeof old === 'string' && old === onDisk) {
        throw new AppError(
          'VALIDATION',
          `The panel reported success, but the certificate of ${domain} did not change.`,
        );
      }
      const deadline = Date.now() + VERIFY_TIMEOUT_MS;
      let last: string;
      // nginx answers from old workers for a moment after a reload: ask until the new certificate is served.
      for (;;) {
        try {
          const r = await host.http({ host: domain, tls: true, timeoutMs: 5_000 });
          const got = r.peerCertificate ? fingerprintOfDer(r.peerCertificate) : null;
          if (got === onDisk && r.status > 0 && r.status < 500) {
            ctx.log(`GET https://${domain}/ through the server: HTTP ${r.status}, certificate ${got}`);
            return { summary: `HTTPS ${r.status}`, data: { fingerprint: got } };
          }
          last = got === null ? `HTTP ${r.status} without a certificate` : `served ${got}`;
        } catch (e) {
          last = (e as Error).message;
        }
        if (Date.now() > deadline) {
          throw new AppError('VALIDATION', `${domain} does not serve the certificate in ${path} (${last}).`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/**
 * Wraps a panel's ACME CLI step so its result remembers the fingerprint of the certificate before the order
 * (`data.before`): the verify step then insists on a new one.
 */
export function rememberingBefore(host: RemoteHost, path: string, step: PlanStep): PlanStep {
  return {
    ...step,
    async run(ctx) {
      const before = await fileFingerprint(stepHost(host, ctx), path);
      const r = (await step.run(ctx)) ?? {};
      return { ...r, data: { before } };
    },
  };
}

/** The extra names of an ACME order: validated, without the domain itself, deduplicated. */
export function orderNames(domain: string, aliases: readonly string[], guard: (v: string) => string): string[] {
  return aliases.map(guard).filter((n, i, a) => n !== domain && a.indexOf(n) === i);
}

/** What a CLI panel's certificate plan differs in (see {@link panelCertificatePlan}). */
export interface PanelCertificatePlanSpec {
  /** The checked domain. */
  readonly domain: string;
  /** The checked extra names the order covers (aliases). */
  readonly extra: readonly string[];
  /** Where the panel keeps the domain's certificate (what the verify step reads). */
  readonly path: string;
  /** The panel's name in titles and the plan's comments ("CloudPanel", "HestiaCP"). */
  readonly panel: string;
  /** Appended to the plan's title (e.g. " (account admin)"). */
  readonly titleSuffix?: string;
  /** The upload step for the bundle (`holder.material` is the checked bundle once obtained). */
  readonly upload: (holder: UploadHolder) => UploadCliSpec;
  /** The panel's own Let's Encrypt order (its id names the step the verify waits on). */
  readonly order: Parameters<typeof cliStep>[1];
}

/**
 * The certificate plan of a CLI panel (cloudpanel-cli, hestia): an upload (check the bundle, then the panel's CLI
 * on files in a private folder) or an order from the panel's own Let's Encrypt account (the certificate before it
 * remembered), then the live check that the new certificate is served. The panel renews what it orders itself, so
 * a requested renewal directory is only noted as unused.
 */
export function panelCertificatePlan(
  host: RemoteHost,
  spec: CertificateInstallSpec,
  o: PanelCertificatePlanSpec,
): Plan {
  const { domain, extra, path } = o;
  const steps: PlanStep[] = [];
  const holder: UploadHolder = { material: null };
  if (spec.mode === 'upload') {
    steps.push(checkUploadStep(spec, holder), uploadCliStep(host, spec, holder, o.upload(holder)));
  } else {
    steps.push(rememberingBefore(host, path, cliStep(host, o.order)));
  }
  steps.push(
    servedCertificateStep(
      host,
      domain,
      path,
      spec.mode === 'upload' ? { uploaded: holder } : { changedFromStep: o.order.id },
    ),
  );
  const verb = spec.mode === 'issue' ? 'Issue' : spec.mode === 'renew' ? 'Renew' : 'Install';
  return {
    title: `${verb} a certificate for ${domain} in ${o.panel}${o.titleSuffix ?? ''}`,
    serverId: host.serverId,
    kind: `certificate.${spec.mode}`,
    steps,
    commands: [
      ...(spec.mode !== 'upload' && spec.renewal
        ? [
            `# ${o.panel} orders from its own Let's Encrypt account and renews itself (${spec.renewal.directoryUrl} is not used)`,
          ]
        : []),
      ...planCommands(steps),
    ],
    diffs: [],
    params: { domain, redirectHttp: false, aliases: [...extra] },
  };
}

import { randomBytes, X509Certificate } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { certificateInfo, fingerprintOfDer, pemCertificates } from '../certificate-pem';
import type { CertificateScan, ScannedCertificate } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import type { SiteLocation } from './nginx-sites';

/** Where PanelDeck keeps the certificates it installs: one folder per site. */
export const CERT_ROOT = '/etc/ssl/paneldeck';

/** The files of a site's PanelDeck certificate. */
export function certFiles(domain: string): { dir: string; fullchain: string; key: string; renewal: string } {
  const dir = `${CERT_ROOT}/${domain}`;
  return { dir, fullchain: `${dir}/fullchain.pem`, key: `${dir}/privkey.pem`, renewal: `${dir}/renewal.json` };
}

/**
 * Prints each readable file named in the arguments (and every /etc/letsencrypt/live/<name>/cert.pem) after a
 * random boundary line given as $1, so file content cannot fake one. One exec reads the whole server.
 */
const READ_CERTS = String.raw`
t=$1; shift
for f in "$@" /etc/letsencrypt/live/*/cert.pem; do
  [ -f "$f" ] || continue
  printf '%s FILE %s\n' "$t" "$f"
  cat -- "$f"
  printf '\n'
done
exit 0
`;

/** Reads files through {@link READ_CERTS}: path → text. */
async function readFiles(host: RemoteHost, paths: readonly string[]): Promise<Map<string, string>> {
  const boundary = `PD-${randomBytes(12).toString('hex')}`;
  const r = await host.run(['sh', '-c', READ_CERTS, 'sh', boundary, ...paths], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new AppError('INTERNAL', 'Reading the certificate files failed.');
  const out = new Map<string, string>();
  for (const part of r.stdout.split(`${boundary} FILE `).slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl), part.slice(nl + 1));
  }
  return out;
}

function parseRenewal(text: string | undefined): ScannedCertificate['renewal'] {
  if (text === undefined) return null;
  try {
    const j = JSON.parse(text) as { directoryUrl?: unknown; email?: unknown };
    return typeof j.directoryUrl === 'string' && typeof j.email === 'string'
      ? { directoryUrl: j.directoryUrl, email: j.email }
      : null;
  } catch {
    return null;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The certificate inventory of one server: every `ssl_certificate` file of its nginx sites and every
 * /etc/letsencrypt/live certificate, parsed with X509Certificate; then a live TLS probe of each TLS site (SNI =
 * the domain, through the server's own loopback) compares what nginx serves with the file on disk.
 */
export async function scanCertificates(host: RemoteHost, sites: readonly SiteLocation[]): Promise<CertificateScan> {
  const byPath = new Map<string, string[]>();
  for (const { site } of sites) {
    if (!site.tls || site.certificatePath === null || !site.enabled) continue;
    byPath.set(site.certificatePath, [...(byPath.get(site.certificatePath) ?? []), site.domain]);
  }
  const renewalFiles = [...byPath.keys()]
    .filter((p) => p.startsWith(`${CERT_ROOT}/`) && p.endsWith('/fullchain.pem'))
    .map((p) => p.replace(/fullchain\.pem$/, 'renewal.json'));
  const files = await readFiles(host, [...byPath.keys(), ...renewalFiles]);
  const problems: string[] = [];
  const found: ScannedCertificate[] = [];
  const seen = new Set<string>();
  const parse = (path: string): ReturnType<typeof certificateInfo> | null => {
    const text = files.get(path);
    if (text === undefined) {
      problems.push(`${path}: configured in nginx but missing`);
      return null;
    }
    const leaf = pemCertificates(text)[0];
    try {
      if (leaf === undefined) throw new Error('no certificate');
      return certificateInfo(leaf);
    } catch {
      problems.push(`${path}: not a readable PEM certificate`);
      return null;
    }
  };
  for (const [path, domains] of byPath) {
    const info = parse(path);
    if (info === null) continue;
    seen.add(info.fingerprint);
    found.push({
      path,
      source: path.startsWith('/etc/letsencrypt/') ? 'letsencrypt' : 'nginx',
      domains,
      info,
      served: [],
      renewal: parseRenewal(files.get(path.replace(/fullchain\.pem$/, 'renewal.json'))),
    });
  }
  for (const path of files.keys()) {
    if (!/^\/etc\/letsencrypt\/live\/[^/]+\/cert\.pem$/.test(path)) continue;
    const info = parse(path);
    if (info === null || seen.has(info.fingerprint)) continue; // the same certificate nginx already uses
    found.push({ path, source: 'letsencrypt', domains: [], info, served: [], renewal: null });
  }
  // Live probe: what nginx serves for each domain, compared with the file on disk.
  const probes = found.flatMap((c, i) => c.domains.map((domain) => ({ i, domain })));
  const served = new Map<number, ScannedCertificate['served'][number][]>();
  await eachLimit(probes, 8, async ({ i, domain }) => {
    const cert = found[i] as ScannedCertificate;
    let fingerprint: string | null = null;
    try {
      const r = await host.http({ host: domain, tls: true, path: '/', timeoutMs: 10_000 });
      fingerprint = r.peerCertificate ? fingerprintOfDer(r.peerCertificate) : null;
    } catch {
      problems.push(`${domain}: no TLS answer from the server`);
    }
    served.set(i, [...(served.get(i) ?? []), { domain, fingerprint, matches: fingerprint === cert.info.fingerprint }]);
  });
  return {
    certificates: found.map((c, i) => ({
      ...c,
      served: (served.get(i) ?? []).sort((a, b) => a.domain.localeCompare(b.domain)),
    })),
    problems,
  };
}

/** The leaf of a PEM chain as X509Certificate (for a fingerprint comparison). */
export function leafOf(fullchain: string): X509Certificate {
  const leaf = pemCertificates(fullchain)[0];
  if (leaf === undefined) throw new AppError('VALIDATION', 'The CA returned no certificate.');
  return new X509Certificate(leaf);
}

import { randomBytes } from 'node:crypto';
import type { Site } from '../../../shared/contract/sites.contract';
import { AppError } from '../../../shared/errors';
import { parseNginx, phpVersionOf, serverBlocks, type ServerBlock } from './nginx-parse';
import { managedMeta } from './nginx-templates';
import type { RemoteHost } from '../remote-host';

/** Where a listed site lives on the server, beyond what the contract shows. */
export interface SiteLocation {
  readonly site: Site;
  /** Links in sites-enabled that point at the site's file. */
  readonly links: readonly string[];
  /** Every domain the site's file serves (a file with other sites in it is not deleted whole). */
  readonly fileDomains: readonly string[];
}

/**
 * Prints every nginx site file with a random boundary line before it (given as $1, so file content cannot fake
 * one): the path, and where a symlink points. One exec reads the whole configuration.
 */
const READ_SCRIPT = String.raw`
t=$1
for f in /etc/nginx/sites-available/* /etc/nginx/sites-enabled/* /etc/nginx/conf.d/*.conf; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  l=""; [ -L "$f" ] && l=$(readlink -f -- "$f")
  printf '%s FILE %s\n%s LINK %s\n' "$t" "$f" "$t" "$l"
  [ -f "$f" ] && cat -- "$f"
  printf '\n'
done
exit 0
`;

interface ConfigFile {
  readonly path: string;
  readonly linkTarget: string;
  readonly text: string;
}

/** Reads every site file of the server's nginx. */
export async function readSiteFiles(host: RemoteHost): Promise<ConfigFile[]> {
  const boundary = `PD-${randomBytes(12).toString('hex')}`;
  const r = await host.run(['sh', '-c', READ_SCRIPT, 'sh', boundary], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new AppError('INTERNAL', 'Reading the nginx configuration failed.');
  const files: ConfigFile[] = [];
  const parts = r.stdout.split(`${boundary} FILE `).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const path = part.slice(0, nl);
    const rest = part.slice(nl + 1);
    const linkLine = rest.slice(0, rest.indexOf('\n'));
    const linkTarget = linkLine.startsWith(`${boundary} LINK `) ? linkLine.slice(boundary.length + 6) : '';
    files.push({ path, linkTarget, text: rest.slice(rest.indexOf('\n') + 1) });
  }
  return files;
}

const realName = (n: string): boolean => n !== '_' && n !== '' && n !== 'localhost' && !n.startsWith('~');

/** Turns the configuration files into sites, one per primary server_name (exported for unit tests). */
export function sitesFromFiles(serverId: string, files: readonly ConfigFile[]): SiteLocation[] {
  const linksTo = new Map<string, string[]>();
  for (const f of files) {
    if (f.path.startsWith('/etc/nginx/sites-enabled/') && f.linkTarget !== '') {
      linksTo.set(f.linkTarget, [...(linksTo.get(f.linkTarget) ?? []), f.path]);
    }
  }
  const out: SiteLocation[] = [];
  for (const f of files) {
    const inEnabled = f.path.startsWith('/etc/nginx/sites-enabled/');
    // A link in sites-enabled to a file in sites-available is listed through that file.
    if (inEnabled && f.linkTarget !== '' && files.some((o) => o.path === f.linkTarget)) continue;
    let blocks: ServerBlock[];
    try {
      blocks = serverBlocks(parseNginx(f.text));
    } catch {
      continue; // a file nginx itself would refuse; `nginx -t` reports it, the list skips it
    }
    const links = linksTo.get(f.path) ?? [];
    const enabled = inEnabled || f.path.startsWith('/etc/nginx/conf.d/') || links.length > 0;
    const meta = managedMeta(f.text);
    const byDomain = new Map<string, ServerBlock[]>();
    for (const b of blocks) {
      const name = b.serverNames.find(realName);
      if (name === undefined) continue;
      byDomain.set(name, [...(byDomain.get(name) ?? []), b]);
    }
    const fileDomains = [...byDomain.keys()];
    for (const [domain, bs] of byDomain) {
      const main = bs.find((b) => !b.redirectOnly) ?? bs[0];
      if (main === undefined) continue;
      const tlsBlock = bs.find((b) => b.listens.some((l) => l.ssl) || b.sslCertificate !== null);
      const php = bs.map((b) => b.fastcgi).find((x) => x !== null) ?? null;
      const upstream = bs.map((b) => b.upstream).find((x) => x !== null) ?? null;
      const kind =
        meta?.kind ?? (upstream !== null ? 'proxy' : php !== null ? 'php' : main.root !== null ? 'static' : 'other');
      out.push({
        site: {
          serverId,
          domain,
          aliases: [...new Set(bs.flatMap((b) => b.serverNames).filter((n) => realName(n) && n !== domain))],
          kind,
          root: main.root,
          upstream,
          phpVersion: phpVersionOf(php),
          tls: tlsBlock !== undefined,
          certificatePath: tlsBlock?.sslCertificate ?? null,
          enabled,
          managed: meta !== null,
          systemUser: meta?.user ?? null,
          configPath: f.path,
          source: 'linux-ssh',
        },
        links,
        fileDomains,
      });
    }
  }
  return out.sort((a, b) => a.site.domain.localeCompare(b.site.domain));
}

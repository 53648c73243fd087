import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { parseNginx, serverBlocks } from '../linux-ssh/nginx-parse';
import { firstLines, type RemoteHost } from '../remote-host';

/** CloudPanel's own database, where its lists are read from (clpctl has no list commands for sites). */
export const CLP_DB = '/home/clp/htdocs/app/data/db.sq3';

/** A site row as the driver reads it from CloudPanel's `site` table (with its PHP settings). */
export interface ClpSiteRow {
  readonly domainName: string;
  readonly type: string;
  readonly rootDirectory: string | null;
  readonly user: string | null;
  readonly reverseProxyUrl: string | null;
  readonly phpVersion: string | null;
}

/** A database row with its users. */
export interface ClpDatabaseRow {
  readonly name: string;
  readonly domainName: string | null;
  readonly users: string | null;
}

const SITES_SQL =
  'SELECT s.domain_name AS domainName, s.type AS type, s.root_directory AS rootDirectory, s.user AS user, ' +
  's.reverse_proxy_url AS reverseProxyUrl, p.php_version AS phpVersion FROM site s ' +
  'LEFT JOIN php_settings p ON p.id = s.php_settings_id ORDER BY s.domain_name;';

const DATABASES_SQL =
  "SELECT d.name AS name, s.domain_name AS domainName, group_concat(u.user_name, ',') AS users FROM database d " +
  'LEFT JOIN site s ON s.id = d.site_id LEFT JOIN database_user u ON u.database_id = d.id ' +
  'GROUP BY d.id ORDER BY d.name;';

/**
 * Runs one fixed read-only query on CloudPanel's SQLite database with `sqlite3 -json` (opened read-only; the SQL
 * travels on stdin, and contains no user string). An empty result prints nothing: that is [].
 */
async function query<T>(host: RemoteHost, sql: string): Promise<T[]> {
  const r = await host.run(['sqlite3', '-json', '-readonly', CLP_DB], { stdin: sql });
  if (r.code !== 0) {
    const text = firstLines(r.stderr || r.stdout);
    if (/unable to open|no such file|not found/i.test(text)) {
      throw new AppError('UNSUPPORTED', `CloudPanel's database ${CLP_DB} was not found: is CloudPanel installed?`);
    }
    throw new AppError('INTERNAL', `Reading CloudPanel's database failed: ${text}`, { exitCode: r.code });
  }
  const out = r.stdout.trim();
  if (out === '') return [];
  try {
    return JSON.parse(out) as T[];
  } catch {
    throw new AppError('INTERNAL', "CloudPanel's database answered something that is not JSON.");
  }
}

/** Every site CloudPanel knows. */
export function readClpSites(host: RemoteHost): Promise<ClpSiteRow[]> {
  return query<ClpSiteRow>(host, SITES_SQL);
}

/** Every database CloudPanel knows, with the site it belongs to and its users. */
export function readClpDatabases(host: RemoteHost): Promise<ClpDatabaseRow[]> {
  return query<ClpDatabaseRow>(host, DATABASES_SQL);
}

/** Where CloudPanel keeps each site's vhost and its certificate (the vhost names the files it serves). */
export const CLP_VHOST_DIR = '/etc/nginx/sites-enabled';
export const CLP_SSL_DIR = '/etc/nginx/ssl-certificates';

/** Prints each vhost file named in the arguments after a boundary line ($1), so file content cannot fake one. */
const READ_VHOSTS = String.raw`
t=$1; shift
for f in "$@"; do
  [ -f "$f" ] || continue
  printf '%s FILE %s\n' "$t" "$f"
  cat -- "$f"
  printf '\n'
done
exit 0
`;

/**
 * The certificate file each site's vhost serves on 443 (`ssl_certificate` of the server block naming the domain),
 * or null when the site has no TLS block. One exec reads every vhost.
 */
export async function readClpCertificatePaths(
  host: RemoteHost,
  domains: readonly string[],
): Promise<Map<string, string | null>> {
  const safe = domains.filter((d) => /^[a-z0-9.-]+$/.test(d));
  const out = new Map<string, string | null>(safe.map((d) => [d, null]));
  if (safe.length === 0) return out;
  const boundary = `PD-${randomBytes(12).toString('hex')}`;
  const r = await host.run(['sh', '-c', READ_VHOSTS, 'sh', boundary, ...safe.map((d) => `${CLP_VHOST_DIR}/${d}.conf`)]);
  if (r.code !== 0) throw new AppError('INTERNAL', "Reading CloudPanel's vhosts failed.");
  for (const part of r.stdout.split(`${boundary} FILE `).slice(1)) {
    const nl = part.indexOf('\n');
    const domain = part.slice(CLP_VHOST_DIR.length + 1, nl).replace(/\.conf$/, '');
    const block = serverBlocks(parseNginx(part.slice(nl + 1))).find(
      (b) => b.serverNames.includes(domain) && b.sslCertificate !== null && b.listens.some((l) => l.ssl),
    );
    out.set(domain, block?.sslCertificate ?? null);
  }
  return out;
}

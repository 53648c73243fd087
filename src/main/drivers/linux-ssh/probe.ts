import type { ProbeResult } from '../capabilities';
import type { RemoteHost } from '../remote-host';

/**
 * One fixed POSIX sh script (no user input in it) that reports what a server runs as `key=value` lines: the
 * probe costs one exec. Versions come from the binaries themselves; PHP versions from the FPM sockets and
 * configs Debian/Ubuntu (and the ondrej PPA) lay out.
 */
const PROBE_SCRIPT = String.raw`
exec 2>/dev/null
[ -r /etc/os-release ] && . /etc/os-release && echo "os=$PRETTY_NAME"
command -v nginx >/dev/null && echo "nginx=$(nginx -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')"
command -v apache2 >/dev/null && echo "apache=$(apache2 -v | sed -n 's|.*Apache/\([0-9.]*\).*|\1|p')"
for d in /etc/php/*/fpm; do [ -d "$d" ] && echo "php=$(basename "$(dirname "$d")")"; done
command -v mariadbd >/dev/null && echo "mariadb=$(mariadbd --version | sed -n 's|.*Ver \([0-9.]*\).*|\1|p')"
[ -x /usr/sbin/mariadbd ] && ! command -v mariadbd >/dev/null && echo "mariadb=$(/usr/sbin/mariadbd --version | sed -n 's|.*Ver \([0-9.]*\).*|\1|p')"
[ -x /usr/sbin/mysqld ] && ! [ -x /usr/sbin/mariadbd ] && echo "mysql=$(/usr/sbin/mysqld --version | sed -n 's|.*Ver \([0-9.]*\).*|\1|p')"
for d in /usr/lib/postgresql/*/bin/postgres; do [ -x "$d" ] && echo "postgresql=$(basename "$(dirname "$(dirname "$d")")")"; done
command -v certbot >/dev/null && echo "certbot=1"
command -v clpctl >/dev/null && echo "clpctl=1"
[ -d /usr/local/hestia ] && echo "hestia=1"
command -v sudo >/dev/null && echo "sudo=1"
[ "$(id -u)" = 0 ] && echo "root=1"
[ "$(id -u)" != 0 ] && sudo -n true && echo "sudo_ok=1"
exit 0
`;

/** Runs the probe script and reads its lines. */
export async function probeLinux(host: RemoteHost, now: () => number): Promise<ProbeResult> {
  const r = await host.run(['sh', '-c', PROBE_SCRIPT], { timeoutMs: 20_000 });
  return parseProbe(r.stdout, now());
}

/** Parses the probe's `key=value` lines (exported for unit tests). */
export function parseProbe(text: string, at: number): ProbeResult {
  const kv: [string, string][] = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
  const all = (k: string): string[] => kv.filter(([key]) => key === k).map(([, v]) => v);
  const one = (k: string): string | null => all(k)[0] ?? null;
  const nginx = one('nginx');
  const apache = one('apache');
  const dbs: ProbeResult['databases'][number][] = [];
  const maria = one('mariadb');
  if (maria !== null) dbs.push({ engine: 'mariadb', version: maria });
  const mysql = one('mysql');
  if (mysql !== null) dbs.push({ engine: 'mysql', version: mysql });
  for (const v of all('postgresql')) dbs.push({ engine: 'postgresql', version: v });
  return {
    at,
    os: one('os'),
    webServer:
      nginx !== null
        ? { name: 'nginx', version: nginx || null }
        : apache !== null
          ? { name: 'apache', version: apache || null }
          : null,
    php: [...new Set(all('php').filter((v) => /^\d+\.\d+$/.test(v)))].sort(),
    databases: dbs,
    tools: {
      certbot: one('certbot') === '1',
      clpctl: one('clpctl') === '1',
      hestia: one('hestia') === '1',
      sudo: one('sudo') === '1',
    },
    privileged: one('root') === '1' || one('sudo_ok') === '1',
  };
}

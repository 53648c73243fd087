import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerHost } from '../peers/server-host';

/** Where the stand-in scripts live in the repository. */
const DIR = join(__dirname, 'standins');

/** Every call a stand-in received (passwords masked), one line each: tests read it to prove what reached the CLI. */
export const STANDIN_LOG = '/var/log/paneldeck-standin.log';

/** The Hestia account the stand-in panel starts with (like a fresh HestiaCP install). */
export const HESTIA_USER = 'admin';

async function install(server: ServerHost, name: string, to: string): Promise<void> {
  await server.execOk(['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod 0755 "$1"', 'sh', to], {
    input: readFileSync(join(DIR, name)),
  });
}

/** Where the stand-ins' ACME client reads its CA settings (see standins/acme-standin.sh). */
const ACME_CONF_DIR = '/etc/paneldeck-standin';

/**
 * Points the stand-ins' ACME client (their "Let's Encrypt") at the test's pebble: its directory URL, the CA of its
 * API, and the address that reaches it from inside the server (curl --connect-to `127.0.0.1:PORT:relay:PORT`, the
 * relay being the test's TCP relay on the server's gateway: pebble listens on the test machine's loopback).
 */
export async function pointStandinsAtAcme(
  server: ServerHost,
  acme: { directoryUrl: string; apiCa: string; relay: { host: string; port: number } },
): Promise<void> {
  const url = new URL(acme.directoryUrl);
  const connectTo = `${url.hostname}:${url.port}:${acme.relay.host}:${String(acme.relay.port)}`;
  await server.execOk(['sh', '-c', 'mkdir -p "$1" && chmod 0700 "$1" && cat > "$1/acme-ca.pem"', 'sh', ACME_CONF_DIR], {
    input: acme.apiCa,
  });
  await server.execOk(['sh', '-c', 'cat > "$1/acme.conf"', 'sh', ACME_CONF_DIR], {
    input: [
      "# Written by the test: the stand-ins order certificates from its pebble (not Let's Encrypt).",
      `ACME_DIRECTORY='${acme.directoryUrl}'`,
      `ACME_CA='${ACME_CONF_DIR}/acme-ca.pem'`,
      `ACME_CONNECT_TO='${connectTo}'`,
      '',
    ].join('\n'),
  });
}

/**
 * Installs the clpctl or HestiaCP v-* STAND-INS (test doubles written from the panels' public CLI docs, not the
 * panels) on the whole-server peer: clpctl on the PATH with its SQLite state at CloudPanel's path, or the v-*
 * commands in /usr/local/hestia/bin with the `admin` account (a system user, its data folder, and the nginx include
 * of /etc/nginx/conf.d/domains). They then change the server's real nginx and MariaDB.
 */
export async function installPanelStandins(server: ServerHost, panel: 'cloudpanel' | 'hestia'): Promise<void> {
  await server.execOk(['sh', '-c', ': > "$1" && chmod 0600 "$1"', 'sh', STANDIN_LOG]);
  await install(server, 'acme-standin.sh', '/usr/local/lib/paneldeck-standin/acme.sh');
  if (panel === 'cloudpanel') {
    await install(server, 'clpctl', '/usr/local/bin/clpctl');
    await server.execOk(
      ['sh', '-c', 'mkdir -p /home/clp/htdocs/app/data && sqlite3 /home/clp/htdocs/app/data/db.sq3'],
      {
        input: readFileSync(join(DIR, 'clp-schema.sql')),
      },
    );
    return;
  }
  await install(server, 'hestia-func.sh', '/usr/local/hestia/func/standin.sh');
  for (const f of readdirSync(DIR).filter((n) => n.startsWith('v-'))) {
    await install(server, f, `/usr/local/hestia/bin/${f}`);
  }
  await server.execOk([
    'sh',
    '-c',
    [
      'set -e',
      'id -u "$1" >/dev/null 2>&1 || useradd --create-home --home-dir "/home/$1" --shell /bin/bash "$1"',
      'mkdir -p "/usr/local/hestia/data/users/$1" /etc/nginx/conf.d/domains',
      `echo "NAME='$1' PACKAGE='default' CONTACT='$1@example.com' SUSPENDED='no' " > "/usr/local/hestia/data/users/$1/user.conf"`,
      'touch "/usr/local/hestia/data/users/$1/web.conf" "/usr/local/hestia/data/users/$1/db.conf"',
      "echo 'include /etc/nginx/conf.d/domains/*.conf;' > /etc/nginx/conf.d/hestia-domains.conf",
    ].join('\n'),
    'sh',
    HESTIA_USER,
  ]);
}

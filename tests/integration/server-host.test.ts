import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Fingerprint } from './peers';
import { startServerHost, type ServerHost } from './peers/server-host';

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Connects with ssh2 (host key pinned by the caller's hostVerifier) and resolves on 'ready'. */
function connect(cfg: ConnectConfig): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => {
      c.setNoDelay(true);
      resolve(c);
    });
    c.on('error', reject);
    c.connect({ readyTimeout: 10_000, ...cfg });
  });
}

/** Runs one command on a new exec channel, with optional stdin. */
function sshExec(conn: Client, cmd: string, input?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let code: number | null = null;
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errOut.push(d));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () =>
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errOut).toString() }),
      );
      stream.end(input);
    });
  });
}

/** Opens an exec channel and resolves once its stdout has printed `line` (the command is then running). */
function sshStarted(
  conn: Client,
  cmd: string,
  line: string,
): Promise<{ stream: ClientChannel; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      let buf = '';
      const closed = new Promise<void>((r) => stream.once('close', () => r()));
      stream.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes(line)) resolve({ stream, closed });
      });
      stream.once('close', () => reject(new Error(`"${cmd}" ended before printing ${line}: ${buf}`)));
    });
  });
}

/** Single-quotes for the remote shell (the smoke test builds a few fixed command lines). */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Every PID (root namespace) whose PID namespace is `ns`. */
function pidsInNamespace(kind: 'pid' | 'mnt' | 'net', ns: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/${kind}`) === ns) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe('whole-server test peer (overlay + netns; systemctl stand-in)', () => {
  let host: ServerHost | undefined;
  let root: Client | undefined;
  const need = (): { h: ServerHost; c: Client } => {
    if (host === undefined || root === undefined) throw new Error('server host did not start');
    return { h: host, c: root };
  };

  beforeAll(async () => {
    host = await startServerHost();
    console.log(`server host ${host.address} (${host.hostname}) started in ${Math.round(host.startMs)} ms`);
    const seen: string[] = [];
    root = await connect({
      host: host.address,
      port: host.sshPort,
      username: 'root',
      privateKey: host.rootKey,
      hostVerifier: (key: Buffer) => {
        const fp = sha256Fingerprint(key);
        seen.push(fp);
        return fp === host?.hostKeyFingerprint;
      },
    });
    expect(seen).toEqual([host.hostKeyFingerprint]);
  }, 180_000); // the first start of a run also builds the MariaDB/PostgreSQL template

  afterAll(async () => {
    root?.end();
    await host?.stop();
  });

  it('is a Debian box at standard paths: root over SSH, nginx -t passes, systemctl stand-in reports the units', async () => {
    const { h, c } = need();
    const who = await sshExec(c, 'id -un; hostname; nginx -t 2>&1; echo nginx-t=$?');
    expect(who.stdout).toContain(`root\n${h.hostname}\n`);
    expect(who.stdout).toContain('test is successful');
    expect(who.stdout).toContain('nginx-t=0');
    const units = ['nginx', 'php8.2-fpm', 'mariadb', 'postgresql', 'ssh'];
    const active = await sshExec(c, `systemctl is-active ${units.join(' ')}`);
    expect(active.stdout.trim().split('\n')).toEqual(units.map(() => 'active'));
    const socks = await sshExec(
      c,
      'test -S /run/php/php8.2-fpm.sock && test -S /run/mysqld/mysqld.sock && test -S /var/run/postgresql/.s.PGSQL.5432 && echo sockets-ok',
    );
    expect(socks.stdout).toBe('sockets-ok\n');
    const verbs = await sshExec(
      c,
      'systemctl restart php8.2-fpm && systemctl reload postgresql && systemctl restart mariadb && systemctl status mariadb',
    );
    expect(verbs.stderr).toBe('');
    expect(verbs.stdout).toContain('Active: active (running)');
    const php = await sshExec(c, 'systemctl is-active php8.2-fpm; mariadb -N -e "select 2"');
    expect(php.stdout).toBe('active\n2\n');
  });

  it('serves a new vhost after sites-available + sites-enabled symlink + systemctl reload nginx', async () => {
    const { h, c } = need();
    expect(existsSync('/etc/nginx/sites-available/site.test')).toBe(false);
    const vhost = [
      'server {',
      '  listen 80;',
      '  server_name site.test;',
      '  root /var/www/site.test;',
      '  index index.html index.php;',
      '  location ~ \\.php$ { include snippets/fastcgi-php.conf; fastcgi_pass unix:/run/php/php8.2-fpm.sock; }',
      '}',
      '',
    ].join('\n');
    const setup = await sshExec(
      c,
      [
        'set -e',
        'mkdir -p /var/www/site.test',
        'echo "hello from site.test" > /var/www/site.test/index.html',
        `printf '%s' ${q('<?php echo "php " . PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION . " sum=" . (20 + 22);')} > /var/www/site.test/info.php`,
        'cat > /etc/nginx/sites-available/site.test',
        'ln -s /etc/nginx/sites-available/site.test /etc/nginx/sites-enabled/site.test',
        'nginx -t -q',
        'systemctl reload nginx',
      ].join(' && '),
      vhost,
    );
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    const page = await h.fetch('site.test', '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe('hello from site.test\n');
    const other = await h.fetch('other.test', '/');
    expect(other.body).toContain('Welcome to nginx');
    const php = await h.fetch('site.test', '/info.php');
    expect(php.status).toBe(200);
    expect(php.body).toBe('php 8.2 sum=42');
    // a vhost that fails `nginx -t`: reload fails and the running configuration keeps serving
    const broken = await sshExec(
      c,
      'cat > /etc/nginx/sites-available/broken.test && ln -s ../sites-available/broken.test /etc/nginx/sites-enabled/ && systemctl reload nginx',
      'server { listen 80; server_name broken.test; no_such_directive on; }\n',
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('unknown directive "no_such_directive"');
    expect((await h.fetch('site.test', '/')).body).toBe('hello from site.test\n');
    const fixed = await sshExec(c, 'rm /etc/nginx/sites-enabled/broken.test && systemctl reload nginx');
    expect(fixed.code).toBe(0);
    // the host's own nginx config is untouched
    expect(existsSync('/etc/nginx/sites-available/site.test')).toBe(false);
    expect(existsSync('/etc/nginx/sites-enabled/site.test')).toBe(false);
  });

  it('serves HTTPS with the certificate of the vhost for the SNI name', async () => {
    const { h, c } = need();
    const cert = '/etc/ssl/certs/site.test.pem';
    const key = '/etc/ssl/private/site.test.key';
    const made = await sshExec(
      c,
      [
        'set -e',
        `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=site.test -addext subjectAltName=DNS:site.test -keyout ${key} -out ${cert} 2>/dev/null`,
        `sed -i 's|listen 80;|listen 80; listen 443 ssl; ssl_certificate ${cert}; ssl_certificate_key ${key};|' /etc/nginx/sites-available/site.test`,
        'systemctl reload nginx',
      ].join('\n'),
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const pem = readFileSync(h.pathOf(cert), 'utf8');
    const res = await h.fetch('site.test', '/', { https: true, ca: pem });
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello from site.test\n');
    expect(res.certificate?.fingerprint256).toBe(new X509Certificate(pem).fingerprint256);
    // verification is real: the certificate is not valid for another name
    await expect(h.fetch('other.test', '/', { https: true, ca: pem })).rejects.toThrow(/other\.test/);
  });

  it('has MariaDB root by unix_socket and PostgreSQL peer auth for postgres (sudo works)', async () => {
    const { c } = need();
    const maria = await sshExec(c, "mariadb -N -e 'select 1, current_user()'");
    expect(maria.stdout).toBe('1\troot@localhost\n');
    const pg = await sshExec(c, "cd / && sudo -u postgres psql -tA -c 'select 1'");
    expect(pg.stdout).toBe('1\n');
    expect(pg.code).toBe(0);
    const ver = await sshExec(c, "cd / && sudo -u postgres psql -tA -c 'show server_version_num'");
    expect(ver.stdout.trim().slice(0, 2)).toBe('15');
  });

  it('lets the tester user log in with its password', async () => {
    const { h } = need();
    const t = await connect({
      host: h.address,
      port: h.sshPort,
      username: h.testerUser,
      password: h.testerPassword,
      hostVerifier: (key: Buffer) => sha256Fingerprint(key) === h.hostKeyFingerprint,
    });
    try {
      const r = await sshExec(t, 'id -un; pwd');
      expect(r.stdout).toBe('tester\n/home/tester\n');
    } finally {
      t.end();
    }
  });

  it('procScan and the sampler see a process started with a marker argument and environment', async () => {
    const { h, c } = need();
    const marker = `pd-marker-${Date.now()}`;
    const sampler = await h.startProcSampler();
    const { stream, closed } = await sshStarted(
      c,
      `env PD_MARKER=${marker}-env bash -c 'echo started; read -r line' ${marker}-arg`,
      'started',
    );
    const now = h.procScan();
    const proc = now.find((p) => p.cmdline.includes(`${marker}-arg`));
    expect(proc?.cmdline).toContain('bash -c');
    expect(proc?.environ).toContain(`PD_MARKER=${marker}-env`);
    await sampler.sync();
    stream.end('\n');
    await closed;
    const { strings, rounds } = await sampler.stop();
    expect(rounds).toBeGreaterThan(1);
    expect(strings.some((s) => s.includes(`${marker}-arg`))).toBe(true);
    expect(strings).toContain(`PD_MARKER=${marker}-env`);
    const exec = await h.exec(['sh', '-c', 'echo "$HOME $(id -un) $(hostname)"']);
    expect(exec.stdout).toBe(`/root root ${h.hostname}\n`);
  });

  it('stop() removes the processes, namespaces, veth, route and temp dir', async () => {
    const { h, c } = need();
    const initPid = h.initPid;
    const ns = {
      pid: readlinkSync(`/proc/${initPid}/ns/pid`),
      mnt: readlinkSync(`/proc/${initPid}/ns/mnt`),
      net: readlinkSync(`/proc/${initPid}/ns/net`),
    };
    expect(pidsInNamespace('pid', ns.pid).length).toBeGreaterThan(5);
    const n = h.address.split('.')[2] ?? '';
    expect(ip('-o', 'link', 'show', `pdsrv${n}`)).toContain(`pdsrv${n}`);
    // while it runs, a 10.200 address without a live server is unreachable (never the default route)
    const stray = spawnSync('ip', ['route', 'get', '10.200.0.9'], { encoding: 'utf8' });
    expect(stray.status).not.toBe(0);
    expect(stray.stderr).toMatch(/No route to host|unreachable/i);
    expect(stray.stdout).not.toContain(' via ');
    const closedConn = new Promise<void>((r) => c.once('close', () => r()));
    c.end();
    await closedConn;
    const { stopMs } = await h.stop();
    console.log(`server host stopped in ${Math.round(stopMs)} ms`);
    expect(pidsInNamespace('pid', ns.pid)).toEqual([]);
    expect(pidsInNamespace('mnt', ns.mnt)).toEqual([]);
    expect(pidsInNamespace('net', ns.net)).toEqual([]);
    expect(existsSync(`/proc/${initPid}/ns`)).toBe(false);
    expect(ip('-o', 'link', 'show')).not.toContain(`pdsrv${n}:`);
    expect(ip('-4', 'route', 'show', `10.200.${n}.0/24`)).toBe('');
    // the shared unreachable route stays only while another server (of any test process) holds a lease
    const leases = readdirSync('/tmp/paneldeck-server-host/leases');
    if (leases.length === 0) expect(ip('-4', 'route', 'show', 'exact', '10.200.0.0/16')).toBe('');
    else expect(ip('-4', 'route', 'show', 'exact', '10.200.0.0/16')).toMatch(/^unreachable/);
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain('paneldeck-server');
    host = undefined;
  });
});

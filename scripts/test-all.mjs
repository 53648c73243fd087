#!/usr/bin/env node
// `npm test`: every check, in order, each reported; the last line is "N passed, N failed, N skipped" summed
// over every suite (test cases from vitest and Playwright; lint, typecheck, build and the security scan count
// as one check each). Runs everything even after a failure so one run shows all problems.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'test-results');
fs.mkdirSync(OUT, { recursive: true });

/** Debian packages the real test peers need, by the command that proves each is there. */
const PEERS = [
  ['sshd', 'openssh-server', '/usr/sbin/sshd'],
  ['ssh-keygen', 'openssh-client', '/usr/bin/ssh-keygen'],
  ['mariadbd', 'mariadb-server', '/usr/sbin/mariadbd'],
  ['nginx', 'nginx', '/usr/sbin/nginx'],
  ['pebble', 'pebble', '/usr/bin/pebble'],
  ['gnome-keyring-daemon', 'gnome-keyring', '/usr/bin/gnome-keyring-daemon'],
  ['secret-tool', 'libsecret-tools', '/usr/bin/secret-tool'],
  ['dbus-daemon', 'dbus', '/usr/bin/dbus-daemon'],
  ['chromium', 'chromium', '/usr/bin/chromium'],
  ['ip', 'iproute2', '/usr/sbin/ip'],
  ['unshare', 'util-linux', '/usr/bin/unshare'],
  ['openssl', 'openssl', '/usr/bin/openssl'],
  ['Xvfb', 'xvfb', '/usr/bin/Xvfb'],
  ['postgres', 'postgresql', '/usr/lib/postgresql/15/bin/postgres'],
  ['php-fpm8.2', 'php8.2-fpm', '/usr/sbin/php-fpm8.2'],
  ['strace', 'strace', '/usr/bin/strace'],
  ['mysqli.so', 'php8.2-mysql', '/usr/lib/php/20220829/mysqli.so'],
  ['sqlite3', 'sqlite3', '/usr/bin/sqlite3'],
  ['sudo', 'sudo', '/usr/bin/sudo'],
];

function ensurePeers() {
  const missing = [...new Set(PEERS.filter(([, , bin]) => !fs.existsSync(bin)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`The tests start real servers and need Debian packages that are missing: ${missing.join(', ')}.`);
    console.error(`Install them as root, then run npm test again:\n\n  sudo sh -c '${cmd}'\n`);
    process.exit(1);
  }
  console.log(`Installing test peers: ${missing.join(' ')}`);
  const r = spawnSync('sh', ['-c', cmd], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) {
    console.error('apt-get failed; see above.');
    process.exit(1);
  }
}

// Nothing the tests do may land in $HOME, and what they leave in the temp directory goes with this run: every
// suite's os.tmpdir() is a folder of the run's own, removed at the end (peers' files, vaults, browser profiles).
// World-traversable, because the sshd test peers run their sessions as an unprivileged user.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paneldeck-test-'));
const tmp = path.join(scratch, 'tmp');
fs.mkdirSync(tmp);
for (const dir of [scratch, tmp]) fs.chmodSync(dir, 0o755);
const env = {
  ...process.env,
  TMPDIR: tmp,
  XDG_CONFIG_HOME: path.join(scratch, 'config'),
  XDG_DATA_HOME: path.join(scratch, 'data'),
  XDG_CACHE_HOME: path.join(scratch, 'cache'),
  PANELDECK_DATA_DIR: path.join(scratch, 'app-data'),
  FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
};
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

const results = [];

/**
 * Runs one check and records its counts. Checks in a parallel lane keep their output until they end, then print it
 * whole under their own header, so lanes never interleave.
 */
async function step(name, cmd, args, count) {
  const t0 = Date.now();
  const header = `\n━━ ${name} ━━  ${[path.basename(cmd), ...args].join(' ')}`;
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  const out = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => out.push(d));
  const status = await new Promise((resolve) => {
    child.on('error', (e) => {
      out.push(Buffer.from(`${e.message}\n`));
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`${header}\n${Buffer.concat(out).toString()}`);
  let counts;
  try {
    counts = count ? count(status) : null;
  } catch (e) {
    console.error(`(could not read ${name} results: ${e.message})`);
    counts = null;
  }
  counts ??= status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  // A runner that failed without reporting a failed test (crash, config error) still fails the run.
  if (status !== 0 && counts.failed === 0) counts = { ...counts, failed: counts.failed + 1 };
  results.push({ name, seconds, ...counts });
}

function vitestCounts(file) {
  return () => {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
  };
}

function playwrightCounts(file) {
  return () => {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')).stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  };
}

ensurePeers();
for (const f of ['unit.json', 'panels.json', 'crash.json', 'integration.json', 'e2e-report.json'])
  fs.rmSync(path.join(OUT, f), { force: true });

// Three lanes side by side: the static checks then the vault's crash trials; the unit tests then the panel HTTP
// suites (loopback panel servers); the integration suite (real SSH servers, one file at a time, mostly waiting on
// its peers).
// The browser suite runs after both: it drives real SSH servers too, and on two cores running it beside the
// integration suite starved the servers' sessions into timeouts. Everything still runs after a failure.
const started = Date.now();
await Promise.all([
  (async () => {
    await step('lint', bin('eslint'), ['--max-warnings', '0', '.']);
    await step('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
    await step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
    // The vault's SIGKILL trials need no peer and are CPU-bound: they follow the static checks in their lane.
    await step(
      'vault crash trials',
      bin('vitest'),
      [
        'run',
        '--project',
        'crash',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${path.join(OUT, 'crash.json')}`,
      ],
      vitestCounts(path.join(OUT, 'crash.json')),
    );
  })(),
  (async () => {
    await step(
      'unit',
      bin('vitest'),
      [
        'run',
        '--project',
        'unit',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${path.join(OUT, 'unit.json')}`,
      ],
      vitestCounts(path.join(OUT, 'unit.json')),
    );
    await step(
      'panels (HTTP)',
      bin('vitest'),
      [
        'run',
        '--project',
        'panels',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${path.join(OUT, 'panels.json')}`,
      ],
      vitestCounts(path.join(OUT, 'panels.json')),
    );
  })(),
  step(
    'integration',
    bin('vitest'),
    [
      'run',
      '--project',
      'integration',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(OUT, 'integration.json')}`,
    ],
    vitestCounts(path.join(OUT, 'integration.json')),
  ),
]);
await step('build', bin('electron-vite'), ['build']);
// The shipped renderer must carry no test hooks (window.__paneldeck, the terminal probe): they are compiled in
// only for the e2e and bench builds.
await step('no test hooks in the build', process.execPath, [
  '-e',
  `const fs=require('fs'),p=require('path');const d=p.join(process.argv[1],'out/renderer/assets');const hit=fs.readdirSync(d).filter(f=>f.endsWith('.js')&&/__paneldeck/.test(fs.readFileSync(p.join(d,f),'utf8')));if(hit.length){console.error('test hooks in the production build: '+hit.join(', '));process.exit(1)}console.log('no test hooks in out/renderer')`,
  ROOT,
]);
await step('e2e', bin('playwright'), ['test'], playwrightCounts(path.join(OUT, 'e2e-report.json')));
await step('security scan', process.execPath, [path.join(ROOT, 'scripts', 'security-scan.mjs'), 'src']);

fs.rmSync(scratch, { recursive: true, force: true });

console.log(`\n━━ summary ━━  (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
for (const r of results) {
  const mark = r.failed > 0 ? '✗' : '✓';
  console.log(
    `${mark} ${r.name.padEnd(26)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds}s`,
  );
}
const sum = (k) => results.reduce((a, r) => a + r[k], 0);
console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exitCode = sum('failed') > 0 ? 1 : 0;

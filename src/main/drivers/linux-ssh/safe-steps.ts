import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { PlanStep, StepContext } from '../../operations/operation.types';
import { display } from '../../ssh/shell-quote';
import { firstLines, writeFileArgv, type RemoteHost } from '../remote-host';

/**
 * The safe-write steps every linux-ssh change is made of (issue 9, "safe writes"): back up → write a temp file →
 * move into place → validate → reload → verify, and on failure restore the backups, reload, verify again.
 * Rollbacks run in reverse order, so the first step ("back up") is the one that reloads the restored config.
 */

/** The host as a step sees it: every command it runs is recorded in the journal with its exit code. */
export function stepHost(host: RemoteHost, ctx: StepContext): RemoteHost {
  return host.recording((argv, r) => ctx.record(display(argv), r.code, `${r.stdout}${r.stderr}`));
}

/** Where backups of one operation go on the server (root-only). */
export function backupDir(operationId: string): string {
  return `/var/backups/paneldeck/${operationId.replace(/[^A-Za-z0-9-]/g, '')}`;
}

/** Reloads nginx (systemctl when present, else nginx -s reload). */
const RELOAD_NGINX = [
  'sh',
  '-c',
  'if command -v systemctl >/dev/null 2>&1; then systemctl reload nginx; else nginx -s reload; fi',
];

export async function reloadNginx(h: RemoteHost): Promise<void> {
  await h.check(RELOAD_NGINX, 'Reloading nginx');
}

/** `nginx -t`, raising VALIDATION with nginx's own message when the configuration is refused. */
export async function testNginx(h: RemoteHost): Promise<void> {
  const r = await h.run(['nginx', '-t']);
  if (r.code !== 0) {
    throw new AppError('VALIDATION', `nginx refused the configuration: ${firstLines(r.stderr || r.stdout, 3)}`);
  }
}

/** Copies $1 to $2 keeping mode and owner; exit 3 when $1 does not exist (nothing to restore, remove on rollback). */
const BACKUP_ONE = 'if [ -e "$1" ] || [ -L "$1" ]; then cp -a -- "$1" "$2"; else exit 3; fi';

/**
 * Step 1 of every nginx change: copies each path that exists into the operation's backup folder. Its rollback
 * runs last: it restores every backed-up file, removes the files that did not exist before, then tests and
 * reloads nginx so the old configuration serves again.
 */
export function backupStep(host: RemoteHost, paths: readonly string[], opts: { reload: boolean }): PlanStep {
  const dir = backupDir('<operation>');
  return {
    id: 'backup',
    title: 'Back up the files this change touches',
    kind: 'backup',
    commands: [
      display(['install', '-d', '-m', '0700', dir]),
      ...paths.map((p) => display(['sh', '-c', BACKUP_ONE, 'sh', p, `${dir}/<random>`])),
    ],
    async run(ctx) {
      const h = stepHost(host, ctx);
      const dir = backupDir(ctx.operationId);
      await h.check(['install', '-d', '-m', '0700', dir], 'Creating the backup folder');
      const saved: Record<string, string | null> = {};
      for (const p of paths) {
        const name = `${dir}/${randomBytes(6).toString('hex')}`;
        const r = await h.run([
          'sh',
          '-c',
          'if [ -e "$1" ] || [ -L "$1" ]; then cp -a -- "$1" "$2"; else exit 3; fi',
          'sh',
          p,
          name,
        ]);
        if (r.code === 3) saved[p] = null;
        else if (r.code === 0) saved[p] = name;
        else throw new AppError('INTERNAL', `Backing up ${p} failed: ${firstLines(r.stderr)}`);
      }
      return { summary: `${Object.values(saved).filter(Boolean).length} file(s) backed up`, data: { dir, saved } };
    },
    async rollback(ctx) {
      const h = stepHost(host, ctx);
      const { saved } = ctx.result.data as { saved: Record<string, string | null> };
      for (const [p, b] of Object.entries(saved)) {
        if (b === null) await h.check(['rm', '-f', '--', p], `Removing ${p}`);
        else await h.check(['sh', '-c', 'rm -f -- "$2" && cp -a -- "$1" "$2"', 'sh', b, p], `Restoring ${p}`);
      }
      if (opts.reload) {
        await testNginx(h);
        await reloadNginx(h);
        ctx.log('The previous nginx configuration was restored and reloaded.');
      }
    },
  };
}

/** Writes one file atomically (temp file, then rename); the backup step restores it. */
export function writeStep(host: RemoteHost, id: string, path: string, content: string, mode = 0o644): PlanStep {
  return {
    id,
    title: `Write ${path}`,
    kind: 'write',
    commands: [`${display(writeFileArgv(path, mode, 'XXXXXXXX'))}  < new content (see diff)`],
    async run(ctx) {
      await stepHost(host, ctx).writeFile(path, content, mode);
      ctx.log(`wrote ${path} (${Buffer.byteLength(content)} bytes)`);
      return { summary: `wrote ${path}` };
    },
  };
}

/** Runs one fixed command; an optional rollback command undoes it. */
export function execStep(
  host: RemoteHost,
  id: string,
  title: string,
  argv: readonly string[],
  undo?: readonly string[],
): PlanStep {
  return {
    id,
    title,
    kind: 'exec',
    commands: [display(argv)],
    async run(ctx) {
      await stepHost(host, ctx).check(argv, title);
    },
    ...(undo ? { rollback: async (ctx) => void (await stepHost(host, ctx).check(undo, `Undoing: ${title}`)) } : {}),
  };
}

/** `nginx -t`: nothing is reloaded unless the whole configuration is valid, so other sites keep serving. */
export function validateNginxStep(host: RemoteHost): PlanStep {
  return {
    id: 'nginx-test',
    title: 'Validate the nginx configuration (nginx -t)',
    kind: 'validate',
    commands: ['nginx -t'],
    run: async (ctx) => void (await testNginx(stepHost(host, ctx))),
  };
}

/** Reloads nginx. */
export function reloadNginxStep(host: RemoteHost): PlanStep {
  return {
    id: 'nginx-reload',
    title: 'Reload nginx',
    kind: 'reload',
    commands: [display(RELOAD_NGINX)],
    run: async (ctx) => void (await reloadNginx(stepHost(host, ctx))),
  };
}

/**
 * Asks the site through the server's own nginx (a channel to its loopback) and checks the answer: the change is
 * only done when the site really serves.
 */
export function verifyStep(
  host: RemoteHost,
  domain: string,
  expect: (status: number, body: string) => string | null,
): PlanStep {
  return {
    id: 'verify',
    title: `Check that ${domain} answers`,
    kind: 'verify',
    commands: [`GET http://${domain}/ through the SSH connection to the server's 127.0.0.1:80`],
    async run(ctx) {
      const r = await host.http({ host: domain });
      ctx.log(`GET http://${domain}/ through the server: HTTP ${r.status}`);
      const problem = expect(r.status, r.body);
      if (problem !== null) throw new AppError('VALIDATION', `${domain} does not answer as expected: ${problem}`);
      return { summary: `HTTP ${r.status}` };
    },
  };
}

/** A plan's command list: every step's commands in order (a step without any shows its title). */
export function planCommands(steps: readonly PlanStep[]): string[] {
  return steps.flatMap((s) => (s.commands && s.commands.length > 0 ? [...s.commands] : [`# ${s.title}`]));
}

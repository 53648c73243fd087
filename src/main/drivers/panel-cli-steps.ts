import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { DbName, DbUser, Domain, SystemUser, UpstreamUrl } from '../../shared/remote-names';
import type { PlanStep, StepContext } from '../operations/operation.types';
import type { ExecResult } from '../ssh/connection-manager';
import { display } from '../ssh/shell-quote';
import type { PasswordSource } from './capabilities';
import { backupDir, stepHost, verifyStep } from './linux-ssh/safe-steps';
import type { RemoteHost } from './remote-host';

/**
 * Steps and guards shared by the drivers of panels that only have a CLI reached over SSH (cloudpanel-cli, hestia):
 * names are checked again here, before anything is planned (a driver may be called without the contract), the
 * panel's CLI runs by argv, and a password reaches it through stdin of a fixed `sh -c`.
 */

function guard<T extends z.ZodType>(schema: T, value: unknown, field: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('VALIDATION', r.error.issues[0]?.message ?? `Invalid ${field}.`, { field });
  return r.data;
}

/** A domain as the contract accepts it (ASCII, LDH labels), or VALIDATION before anything reaches the server. */
export function guardDomain(value: string, field = 'domain'): string {
  const ascii = guard(Domain, value, field);
  if (ascii !== value) throw new AppError('VALIDATION', `Use the domain's ASCII form: ${ascii}.`, { field });
  return ascii;
}

/** A database name, or VALIDATION. */
export function guardDbName(value: string, field = 'name'): string {
  if (guard(DbName, value, field) !== value) throw new AppError('VALIDATION', 'Invalid database name.', { field });
  return value;
}

/** A database user name, or VALIDATION. */
export function guardDbUser(value: string, field = 'user'): string {
  if (guard(DbUser, value, field) !== value) throw new AppError('VALIDATION', 'Invalid database user.', { field });
  return value;
}

/** A system (site) user name, or VALIDATION. */
export function guardSystemUser(value: string, field = 'systemUser'): string {
  if (guard(SystemUser, value, field) !== value) throw new AppError('VALIDATION', 'Invalid user name.', { field });
  return value;
}

/** An upstream URL, or VALIDATION. */
export function guardUpstream(value: string, field = 'upstream'): string {
  return guard(UpstreamUrl, value, field);
}

/** Where the password goes in a CLI's argv: the argument `prefix + password` (prefix: a fixed option name or ''). */
export interface PasswordArg {
  readonly passwordPrefix: string;
}

/**
 * The argv of a panel CLI that takes a password as an argument: the password travels on stdin into a shell
 * variable and `exec` puts it into the CLI's argv, so it appears in no command PanelDeck sends or records.
 * LIMITATION: it is still in the panel CLI's own argv (visible in `ps` on the server while the CLI runs), because
 * clpctl and Hestia's v-* commands take it only that way; neither offers a stdin or file option.
 */
export function withStdinPassword(argv: readonly (string | PasswordArg)[]): string[] {
  const [cmd, ...rest] = argv;
  if (typeof cmd !== 'string') throw new Error('The command comes first.');
  const positional: string[] = [];
  const words = rest.map((a) => {
    if (typeof a === 'string') {
      positional.push(a);
      return `"\${${positional.length}}"`;
    }
    if (!/^[A-Za-z-]*=?$/.test(a.passwordPrefix)) throw new Error('A password prefix is a fixed option name.');
    return `"${a.passwordPrefix}$p"`;
  });
  return ['sh', '-c', `IFS= read -r p; exec "$0" ${words.join(' ')}`, cmd, ...positional];
}

/** Resolves a step's password and registers it with the journal's redaction before anything is recorded. */
export async function stepPassword(source: PasswordSource, ctx: StepContext): Promise<string> {
  const pw = await source(ctx);
  ctx.secrets.add(pw);
  return pw;
}

/** A step that runs one panel CLI command; `read` turns its result into a summary or throws a typed AppError. */
export function cliStep(
  host: RemoteHost,
  spec: {
    id: string;
    title: string;
    argv: readonly string[];
    read: (r: ExecResult) => string;
    password?: PasswordSource;
    rollback?: readonly string[];
  },
): PlanStep {
  return {
    id: spec.id,
    title: spec.title,
    kind: 'exec',
    commands: [`${display(spec.argv)}${spec.password ? '  < password on stdin' : ''}`],
    async run(ctx) {
      const stdin = spec.password ? `${await stepPassword(spec.password, ctx)}\n` : undefined;
      const r = await stepHost(host, ctx).run(spec.argv, stdin !== undefined ? { stdin } : {});
      const summary = spec.read(r);
      if (summary !== '') ctx.log(summary);
      return { summary: summary.slice(0, 200) || 'done' };
    },
    ...(spec.rollback
      ? {
          rollback: async (ctx) =>
            void (await stepHost(host, ctx).check(spec.rollback ?? [], `Undoing: ${spec.title}`)),
        }
      : {}),
  };
}

/** Checks that the panel's new site answers through the server's own nginx (any answer but 5xx / none). */
export function siteAnswersStep(host: RemoteHost, domain: string): PlanStep {
  return verifyStep(host, domain, (status) => (status === 0 || status >= 500 ? `HTTP ${status}` : null));
}

/** Copies a site's files aside before the panel deletes them with the site (the user asked to keep them). */
export function keepFilesStep(host: RemoteHost, root: string, domain: string): PlanStep {
  const shown = `${backupDir('<operation>')}/${domain}-files`;
  return {
    id: 'keep-files',
    title: `Keep a copy of ${root} (the panel deletes the site's files)`,
    kind: 'backup',
    commands: [display(['sh', '-c', 'install -d -m 0700 "$(dirname "$2")" && cp -a -- "$1" "$2"', 'sh', root, shown])],
    async run(ctx) {
      const to = `${backupDir(ctx.operationId)}/${domain}-files`;
      const argv = [
        'sh',
        '-c',
        'if [ -e "$1" ]; then install -d -m 0700 "$(dirname "$2")" && cp -a -- "$1" "$2"; fi',
        'sh',
        root,
        to,
      ];
      await stepHost(host, ctx).check(argv, `Copying ${root}`);
      ctx.log(`The site's files are kept in ${to}`);
      return { summary: `kept in ${to}`, data: { to } };
    },
  };
}

/** Checks that a database exists in the server's MariaDB (as root over its socket); the name is validated. */
export function databaseExistsStep(host: RemoteHost, name: string): PlanStep {
  const argv = [
    'mariadb',
    '--batch',
    '--skip-column-names',
    '--execute',
    `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${guardDbName(name)}'`,
  ];
  return {
    id: 'verify',
    title: `Check that MariaDB has ${name}`,
    kind: 'verify',
    commands: [display(argv)],
    async run(ctx) {
      const out = await stepHost(host, ctx).check(argv, `Looking for ${name} in MariaDB`);
      if (out.trim() !== name)
        throw new AppError('VALIDATION', `The panel reported success but MariaDB has no ${name}.`);
      return { summary: `${name} exists` };
    },
  };
}

import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import { AppError } from '../../../shared/errors';
import type { DbEngine } from '../../../shared/remote-names';
import type { Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { DatabasesCapability, DbAdmin, DbCreateSpec, PasswordSource, ProbeResult } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import type { EngineOps } from './db-client';
import { MariaDbOps } from './mariadb';
import { PostgresOps, pgIdent } from './postgresql';
import { stepHost } from './safe-steps';

/** One admin SQL step of a plan, as data: its preview line and its step are made from it. */
interface SqlEntry {
  readonly id: string;
  readonly title: string;
  readonly sql: string;
}

/** Steps and preview commands of a plan made only of admin SQL. */
function sqlPlan(
  h: RemoteHost,
  ops: EngineOps,
  entries: readonly SqlEntry[],
): { steps: PlanStep[]; commands: string[] } {
  return {
    steps: entries.map((e) => sqlStep(h, ops, e.id, e.title, () => e.sql)),
    commands: entries.map((e) => previewLine(ops, e.sql)),
  };
}

/** How the preview shows one admin SQL run. */
function previewLine(ops: EngineOps, sql: string): string {
  return `${ops.adminCommand} <<< ${sql.replace(/\n/g, ' ')}`;
}

/** A step that runs SQL as admin; `undo` (also SQL) is its rollback. */
function sqlStep(
  h: RemoteHost,
  ops: EngineOps,
  id: string,
  title: string,
  sql: (ctx: StepContext) => Promise<string> | string,
  undo?: string,
): PlanStep {
  return {
    id,
    title,
    kind: 'exec',
    async run(ctx) {
      await ops.sql(stepHost(h, ctx), `${await sql(ctx)}\n`, title);
    },
    ...(undo !== undefined
      ? { rollback: async (ctx) => void (await ops.sql(stepHost(h, ctx), `${undo}\n`, `Undoing: ${title}`)) }
      : {}),
  };
}

/** Resolves a password for a step and registers it (and nothing else) with the journal's redaction first. */
async function passwordFor(source: PasswordSource, ctx: StepContext): Promise<string> {
  const pw = await source(ctx);
  ctx.secrets.add(pw);
  return pw;
}

/** Hosts a MariaDB account can be checked from on the server itself. */
const LOCAL_HOSTS = new Set(['localhost', '%', '127.0.0.1']);

/**
 * Databases on a plain Linux server: MariaDB/MySQL and PostgreSQL reached as admin through the server's own
 * socket auth or a vault credential (passed in by the service, never read here). Every statement travels on
 * stdin; a password reaches the server only as a hash/verifier inside SQL, or in a 0600 file in a private temp
 * folder for the login check (see db-client.ts).
 */
export class LinuxSshDatabases implements DatabasesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>) {
    this.#host = host;
    this.#probe = probe;
  }

  async engines(): Promise<DbEngine[]> {
    const p = await this.#probe();
    const out = new Set<DbEngine>();
    for (const d of p.databases) out.add(d.engine === 'postgresql' ? 'postgresql' : 'mariadb');
    return [...out];
  }

  async #ops(engine: DbEngine, admin: DbAdmin): Promise<EngineOps> {
    const p = await this.#probe();
    if (!p.privileged)
      throw new AppError('AUTH_FAILED', 'The SSH user is not root and cannot use sudo without a password.');
    if (engine === 'postgresql') {
      const versions = p.databases.filter((d) => d.engine === 'postgresql').map((d) => d.version);
      if (versions.length === 0) throw new AppError('UNSUPPORTED', 'PostgreSQL is not installed on this server.');
      return new PostgresOps(versions.sort((a, b) => Number(b) - Number(a))[0] ?? '', admin);
    }
    const maria = p.databases.find((d) => d.engine === 'mariadb' || d.engine === 'mysql');
    if (!maria) throw new AppError('UNSUPPORTED', 'Neither MariaDB nor MySQL is installed on this server.');
    return new MariaDbOps(maria.engine === 'mysql' ? 'mysql' : 'mariadb', admin);
  }

  async list(
    engine: DbEngine,
    admin: DbAdmin,
  ): Promise<{ databases: Database[]; users: Omit<DatabaseUser, 'credentialId'>[] }> {
    const ops = await this.#ops(engine, admin);
    const inv = await ops.inventory(this.#host);
    const serverId = this.#host.serverId;
    return {
      databases: inv.databases.map((d) => ({ ...d, serverId, engine })),
      users: inv.users.map((u) => ({ ...u, serverId, engine })),
    };
  }

  async planCreate(spec: DbCreateSpec, admin: DbAdmin, opts: { resume?: boolean } = {}): Promise<Plan> {
    const ops = await this.#ops(spec.engine, admin);
    const h = this.#host;
    const { name, user, host } = spec;
    const resume = opts.resume === true;
    if (!resume && (await ops.databaseExists(h, name))) {
      throw new AppError('CONFLICT', `The database ${name} already exists on this server.`, { field: 'name' });
    }
    const userExists = await ops.userExists(h, user, host);
    if (spec.password === null && !userExists) {
      throw new AppError('NOT_FOUND', `There is no ${ops.label} user ${user} to grant; create a new one instead.`, {
        field: 'user',
      });
    }
    if (spec.password !== null && userExists && !resume) {
      throw new AppError('CONFLICT', `The ${ops.label} user ${user} already exists; grant it as an existing user.`, {
        field: 'user',
      });
    }
    const password = spec.password;
    const account = ops.engine === 'mariadb' ? `${user}@${host}` : user;
    const steps: PlanStep[] = [
      {
        id: 'database',
        title: `Create the database ${name}`,
        kind: 'exec',
        async run(ctx) {
          const sh = stepHost(h, ctx);
          // A retry finds the database its interrupted run may have made: keep it, but do not claim it for rollback.
          if (resume && (await ops.databaseExists(sh, name))) {
            ctx.log(`${name} already exists; kept.`);
            return { data: { created: false } };
          }
          await ops.sql(
            sh,
            `${ops.createDatabase(name, spec.charset, spec.collation)}\n`,
            `Creating the database ${name}`,
          );
          return { summary: `created ${name}`, data: { created: true } };
        },
        async rollback(ctx) {
          if ((ctx.result.data as { created?: boolean } | undefined)?.created) {
            await ops.sql(stepHost(h, ctx), `${ops.dropDatabase(name, true)}\n`, `Dropping the database ${name}`);
          }
        },
      },
    ];
    if (password !== null) {
      steps.push({
        id: 'user',
        title: `Create the user ${account}`,
        kind: 'exec',
        async run(ctx) {
          const sh = stepHost(h, ctx);
          const pw = await passwordFor(password, ctx);
          if (resume && (await ops.userExists(sh, user, host))) {
            await ops.sql(sh, `${ops.setPassword(user, host, pw)}\n`, `Setting the password of ${account}`);
            ctx.log(`${account} already exists; its password was set.`);
            return { data: { created: false } };
          }
          await ops.sql(sh, `${ops.createUser(user, host, pw)}\n`, `Creating the user ${account}`);
          return { summary: `created ${account}`, data: { created: true } };
        },
        async rollback(ctx) {
          if ((ctx.result.data as { created?: boolean } | undefined)?.created) {
            await ops.sql(stepHost(h, ctx), `${ops.dropUser(user, host, true)}\n`, `Dropping the user ${account}`);
          }
        },
      });
    }
    steps.push(
      sqlStep(
        h,
        ops,
        'grant',
        `Grant ${account} all privileges on ${name}`,
        () => ops.grant(name, user, host),
        ops.revoke(name, user, host),
      ),
    );
    steps.push(this.#verifyStep(ops, user, host, name, password));
    const sql = [
      ops.createDatabase(name, spec.charset, spec.collation),
      ...(password !== null ? [ops.createUser(user, host, null)] : []),
      ops.grant(name, user, host),
    ];
    return {
      title: `Create ${ops.label} database ${name} for ${account}`,
      serverId: h.serverId,
      kind: 'database.create',
      steps,
      commands: [
        ...sql.map((s) => previewLine(ops, s)),
        ...(password !== null ? [this.#verifyCommand(ops, user, name)] : []),
      ],
      diffs: [],
    };
  }

  #verifyCommand(ops: EngineOps, user: string, db: string): string {
    return ops.engine === 'mariadb'
      ? `${ops.label === 'MySQL' ? 'mysql' : 'mariadb'} --defaults-file=<0600 temp file with ${user}'s password> --database=${db} --execute='SELECT CURRENT_USER(), DATABASE()'`
      : `PGPASSFILE=<0600 temp file with ${user}'s password> psql -h localhost --username=${user} --dbname=${db} --command='SELECT current_user, current_database()'`;
  }

  #verifyStep(ops: EngineOps, user: string, host: string, db: string, password: PasswordSource | null): PlanStep {
    const h = this.#host;
    return {
      id: 'verify',
      title: `Connect as ${user} to ${db}`,
      kind: 'validate',
      async run(ctx) {
        if (password === null) {
          ctx.log(`${user} is an existing user whose password PanelDeck does not hold: the login check is skipped.`);
          return { summary: 'skipped (existing user)' };
        }
        if (ops.engine === 'mariadb' && !LOCAL_HOSTS.has(host)) {
          ctx.log(`${user}@${host} cannot connect from the server itself: the login check is skipped.`);
          return { summary: 'skipped (remote-only account)' };
        }
        const pw = await passwordFor(password, ctx);
        const said = await ops.verifyLogin(stepHost(h, ctx), user, host, pw, db);
        ctx.log(said);
        return { summary: said };
      },
    };
  }

  async planChangePassword(
    engine: DbEngine,
    user: string,
    host: string,
    password: PasswordSource,
    admin: DbAdmin,
  ): Promise<Plan> {
    const ops = await this.#ops(engine, admin);
    const h = this.#host;
    if (!(await ops.userExists(h, user, host))) {
      throw new AppError(
        'NOT_FOUND',
        `There is no ${ops.label} user ${user}${engine === 'mariadb' ? `@${host}` : ''}.`,
        { field: 'user' },
      );
    }
    const account = engine === 'mariadb' ? `${user}@${host}` : user;
    // The login check needs a database the user may enter: one it has a grant on (PostgreSQL: else `postgres`).
    const inv = await ops.inventory(h);
    const me = inv.users.find((u) => u.name === user && (engine !== 'mariadb' || u.host === host));
    const db = me?.grants.find((g) => g.database !== '*')?.database ?? (engine === 'postgresql' ? 'postgres' : null);
    const steps: PlanStep[] = [
      {
        id: 'password',
        title: `Set a new password for ${account}`,
        kind: 'exec',
        async run(ctx) {
          const sh = stepHost(h, ctx);
          const restore = await ops.currentPasswordRestore(sh, user, host);
          ctx.secrets.add(restore);
          const pw = await passwordFor(password, ctx);
          await ops.sql(sh, `${ops.setPassword(user, host, pw)}\n`, `Setting the password of ${account}`);
          if (restore === null) ctx.log('The previous password hash could not be read: a rollback cannot restore it.');
          return { summary: 'password changed', data: { restore } };
        },
        async rollback(ctx) {
          const restore = (ctx.result.data as { restore?: string | null } | undefined)?.restore ?? null;
          if (restore === null)
            throw new AppError('UNSUPPORTED', `The previous password of ${account} cannot be restored.`);
          ctx.secrets.add(restore);
          await ops.sql(stepHost(h, ctx), `${restore}\n`, `Restoring the previous password of ${account}`);
        },
      },
    ];
    if (db !== null) steps.push(this.#verifyStep(ops, user, host, db, password));
    return {
      title: `Change the password of ${ops.label} user ${account}`,
      serverId: h.serverId,
      kind: 'database.changePassword',
      steps,
      commands: [
        previewLine(ops, ops.setPassword(user, host, null)),
        ...(db !== null ? [this.#verifyCommand(ops, user, db)] : []),
      ],
      diffs: [],
    };
  }

  async planDelete(engine: DbEngine, name: string, admin: DbAdmin): Promise<Plan> {
    const ops = await this.#ops(engine, admin);
    const h = this.#host;
    const inv = await ops.inventory(h);
    const db = inv.databases.find((d) => d.name === name);
    if (!db) throw new AppError('NOT_FOUND', `There is no ${ops.label} database ${name}.`, { field: 'name' });
    const entries: SqlEntry[] = [];
    // MariaDB keeps grants on a dropped database (a later database of that name would inherit them): revoke first.
    if (engine === 'mariadb') {
      inv.users
        .filter((u) => u.grants.some((g) => g.database === name))
        .forEach((u, i) => {
          const acct = `${u.name}@${u.host ?? ''}`;
          entries.push({
            id: `revoke-${i}`,
            title: `Revoke ${acct} on ${name}`,
            sql: ops.revoke(name, u.name, u.host ?? ''),
          });
        });
    }
    entries.push({ id: 'drop', title: `Drop the database ${name}`, sql: ops.dropDatabase(name, false) });
    return {
      title: `Delete ${ops.label} database ${name}`,
      serverId: h.serverId,
      kind: 'database.delete',
      ...sqlPlan(h, ops, entries),
      diffs: [],
    };
  }

  async planDeleteUser(engine: DbEngine, user: string, host: string, admin: DbAdmin): Promise<Plan> {
    const ops = await this.#ops(engine, admin);
    const h = this.#host;
    const inv = await ops.inventory(h);
    const me = inv.users.find((u) => u.name === user && (engine !== 'mariadb' || u.host === host));
    const account = engine === 'mariadb' ? `${user}@${host}` : user;
    if (!me && !(await ops.userExists(h, user, host))) {
      throw new AppError('NOT_FOUND', `There is no ${ops.label} user ${account}.`, { field: 'user' });
    }
    const entries: SqlEntry[] = [];
    if (engine === 'postgresql') {
      const owned = inv.databases.filter((d) => d.owner === user).map((d) => d.name);
      if (owned.length > 0) {
        throw new AppError('CONFLICT', `${user} owns ${owned.join(', ')}: delete those databases first.`, {
          field: 'user',
        });
      }
      (me?.grants ?? []).forEach((g, i) => {
        entries.push({
          id: `revoke-${i}`,
          title: `Revoke ${user} on ${g.database}`,
          sql: `REVOKE ALL PRIVILEGES ON DATABASE ${pgIdent(g.database)} FROM ${pgIdent(user)};`,
        });
      });
    }
    entries.push({ id: 'drop', title: `Drop the user ${account}`, sql: ops.dropUser(user, host, false) });
    return {
      title: `Delete ${ops.label} user ${account}`,
      serverId: h.serverId,
      kind: 'database.deleteUser',
      ...sqlPlan(h, ops, entries),
      diffs: [],
    };
  }
}

import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import { AppError } from '../../../shared/errors';
import type { DbEngine } from '../../../shared/remote-names';
import type { Plan, PlanStep } from '../../operations/operation.types';
import type { DatabasesCapability, DbAdmin, DbCreateSpec, ProbeResult } from '../capabilities';
import { planCommands, stepHost } from '../linux-ssh/safe-steps';
import { cliStep, databaseExistsStep, guardDbName, guardDbUser, withStdinPassword } from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { HESTIA_BIN, hestiaOutcome } from './hestia-output';
import { hestiaAll } from './hestia-state';

/** Hestia's TYPE for an engine. */
const TYPE_OF: Record<DbEngine, string> = { mariadb: 'mysql', postgresql: 'pgsql' };

/** Hestia prefixes database and user names with `ACCOUNT_`: the part the v-* command takes. */
export function hestiaShortName(account: string, name: string): string {
  return name.startsWith(`${account}_`) ? name.slice(account.length + 1) : name;
}

/**
 * Databases on a HestiaCP server through its v-* commands: listed per account, created with v-add-database (names
 * get the account's prefix: `shop` for account `admin` becomes `admin_shop`), deleted with v-delete-database (which
 * drops its user too). Changing a password and deleting a user alone are not wired (UNSUPPORTED).
 */
export class HestiaDatabases implements DatabasesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;
  readonly #account: string;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>, account: string) {
    this.#host = host;
    this.#probe = probe;
    this.#account = account;
  }

  async engines(): Promise<DbEngine[]> {
    const p = await this.#probe();
    const out = new Set<DbEngine>();
    for (const d of p.databases) out.add(d.engine === 'postgresql' ? 'postgresql' : 'mariadb');
    return [...out];
  }

  async list(
    engine: DbEngine,
    _admin?: DbAdmin,
  ): Promise<{ databases: Database[]; users: Omit<DatabaseUser, 'credentialId'>[] }> {
    const serverId = this.#host.serverId;
    const rows = (await hestiaAll(this.#host, 'v-list-databases')).filter((r) => r.fields.TYPE === TYPE_OF[engine]);
    return {
      databases: rows.map((r) => ({
        serverId,
        engine,
        name: r.name,
        sizeBytes: r.fields.U_DISK && /^\d+$/.test(r.fields.U_DISK) ? Number(r.fields.U_DISK) * 1024 * 1024 : null,
        charset: r.fields.CHARSET ? r.fields.CHARSET.toLowerCase() : null,
        collation: null,
        owner: null,
        users: r.fields.DBUSER ? [engine === 'mariadb' ? `${r.fields.DBUSER}@localhost` : r.fields.DBUSER] : [],
      })),
      users: rows
        .filter((r) => r.fields.DBUSER)
        .map((r) => ({
          serverId,
          engine,
          name: r.fields.DBUSER ?? '',
          host: engine === 'mariadb' ? 'localhost' : null,
          grants: [{ database: r.name, privileges: ['ALL PRIVILEGES'] }],
          superuser: false,
        })),
    };
  }

  /** The final names Hestia gives a create (with the account prefix). */
  finalNames(spec: Pick<DbCreateSpec, 'name' | 'user'>): { name: string; user: string } {
    const a = this.#account;
    return { name: `${a}_${hestiaShortName(a, spec.name)}`, user: `${a}_${hestiaShortName(a, spec.user)}` };
  }

  async planCreate(spec: DbCreateSpec, _admin: DbAdmin, opts: { resume?: boolean } = {}): Promise<Plan> {
    guardDbName(spec.name);
    guardDbUser(spec.user, 'user');
    if (spec.password === null) throw new AppError('UNSUPPORTED', 'v-add-database always creates a new user.');
    if (spec.host !== 'localhost') throw new AppError('UNSUPPORTED', 'Hestia creates database users for localhost.');
    const a = this.#account;
    const short = guardDbName(hestiaShortName(a, spec.name));
    const shortUser = guardDbUser(hestiaShortName(a, spec.user), 'user');
    const final = this.finalNames(spec);
    guardDbName(final.name);
    guardDbUser(final.user, 'user');
    const h = this.#host;
    const existing = await hestiaAll(h, 'v-list-databases');
    if (!opts.resume && existing.some((r) => r.name === final.name)) {
      throw new AppError('CONFLICT', `The database ${final.name} already exists on this server.`, { field: 'name' });
    }
    const argv = withStdinPassword([
      `${HESTIA_BIN}/v-add-database`,
      a,
      short,
      shortUser,
      { passwordPrefix: '' },
      TYPE_OF[spec.engine],
      // No HOST: Hestia picks its configured database host (usually localhost).
      '',
      spec.charset ?? 'utf8mb4',
    ]);
    const steps: PlanStep[] = [
      {
        ...cliStep(h, {
          id: 'v-add-database',
          title: `v-add-database ${a} ${short} ${shortUser}`,
          argv,
          password: spec.password,
          read: (r) => hestiaOutcome(r, `Creating the database ${final.name} in HestiaCP`).trim(),
        }),
        async rollback(ctx) {
          const r = await stepHost(h, ctx).run([`${HESTIA_BIN}/v-delete-database`, a, final.name]);
          hestiaOutcome(r, `Removing the database ${final.name}`);
        },
      },
      ...(spec.engine === 'mariadb' ? [databaseExistsStep(h, final.name)] : []),
    ];
    return {
      title: `Create ${spec.engine === 'mariadb' ? 'MariaDB' : 'PostgreSQL'} database ${final.name} for ${final.user} in HestiaCP`,
      serverId: h.serverId,
      kind: 'database.create',
      steps,
      commands: planCommands(steps),
      diffs: [],
    };
  }

  async planDelete(engine: DbEngine, name: string, _admin?: DbAdmin): Promise<Plan> {
    guardDbName(name);
    const h = this.#host;
    const rec = (await hestiaAll(h, 'v-list-databases')).find(
      (r) => r.name === name && r.fields.TYPE === TYPE_OF[engine],
    );
    if (!rec) throw new AppError('NOT_FOUND', `HestiaCP has no database ${name}.`, { field: 'name' });
    const steps: PlanStep[] = [
      cliStep(h, {
        id: 'v-delete-database',
        title: `v-delete-database ${rec.user} ${name}`,
        argv: [`${HESTIA_BIN}/v-delete-database`, rec.user, name],
        read: (r) => hestiaOutcome(r, `Deleting the database ${name} in HestiaCP`).trim(),
      }),
    ];
    return {
      title: `Delete database ${name} (and its user) from HestiaCP`,
      serverId: h.serverId,
      kind: 'database.delete',
      steps,
      commands: planCommands(steps),
      diffs: [],
    };
  }

  planChangePassword(_engine: DbEngine, _user: string, _host: string): Promise<Plan> {
    return Promise.reject(new AppError('UNSUPPORTED', 'Changing a password through Hestia is not wired yet.'));
  }

  planDeleteUser(_engine: DbEngine, _user: string, _host: string, _admin?: DbAdmin): Promise<Plan> {
    return Promise.reject(
      new AppError('UNSUPPORTED', 'Hestia deletes a database user with its database: delete the database.'),
    );
  }
}

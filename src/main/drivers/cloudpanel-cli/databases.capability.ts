import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import { AppError } from '../../../shared/errors';
import type { DbEngine } from '../../../shared/remote-names';
import type { Plan, PlanStep } from '../../operations/operation.types';
import type { DatabasesCapability, DbAdmin, DbCreateSpec, ProbeResult } from '../capabilities';
import { planCommands } from '../linux-ssh/safe-steps';
import {
  cliStep,
  databaseExistsStep,
  guardDbName,
  guardDbUser,
  guardDomain,
  withStdinPassword,
} from '../panel-cli-steps';
import type { RemoteHost } from '../remote-host';
import { clpctlOutcome } from './clpctl-output';
import { readClpDatabases, readClpSites } from './clp-state';
import { CLPCTL } from './sites.capability';

function unsupported(what: string): Promise<never> {
  return Promise.reject(new AppError('UNSUPPORTED', `clpctl cannot ${what}; do it in CloudPanel's web interface.`));
}

/**
 * Databases on a stock CloudPanel server through clpctl: listed from CloudPanel's SQLite database, created with
 * `clpctl db:add` (CloudPanel keeps every database under a site, and makes the user with it). clpctl has no
 * command to delete a database or a user or to change a password: those plans answer UNSUPPORTED.
 */
export class CloudPanelCliDatabases implements DatabasesCapability {
  readonly #host: RemoteHost;
  readonly #probe: () => Promise<ProbeResult>;

  constructor(host: RemoteHost, probe: () => Promise<ProbeResult>) {
    this.#host = host;
    this.#probe = probe;
  }

  async engines(): Promise<DbEngine[]> {
    const p = await this.#probe();
    return p.databases.some((d) => d.engine !== 'postgresql') ? ['mariadb'] : [];
  }

  async list(
    engine: DbEngine,
    _admin?: DbAdmin,
  ): Promise<{ databases: Database[]; users: Omit<DatabaseUser, 'credentialId'>[] }> {
    if (engine !== 'mariadb') return { databases: [], users: [] };
    const serverId = this.#host.serverId;
    const rows = await readClpDatabases(this.#host);
    const databases: Database[] = [];
    const users: Omit<DatabaseUser, 'credentialId'>[] = [];
    for (const r of rows) {
      const names = (r.users ?? '').split(',').filter((u) => u !== '');
      databases.push({
        serverId,
        engine,
        name: r.name,
        sizeBytes: null,
        charset: null,
        collation: null,
        owner: null,
        users: names.map((u) => `${u}@localhost`),
      });
      for (const u of names) {
        users.push({
          serverId,
          engine,
          name: u,
          host: 'localhost',
          grants: [{ database: r.name, privileges: ['ALL PRIVILEGES'] }],
          superuser: false,
        });
      }
    }
    return { databases, users };
  }

  /**
   * `clpctl db:add` under a site: `opts.domain`, else the server's only site (CloudPanel has no database without a
   * site; the contract has no field for it yet).
   */
  async planCreate(
    spec: DbCreateSpec,
    _admin: DbAdmin,
    opts: { resume?: boolean; domain?: string } = {},
  ): Promise<Plan> {
    const name = guardDbName(spec.name);
    const user = guardDbUser(spec.user, 'user');
    if (spec.engine !== 'mariadb') throw new AppError('UNSUPPORTED', 'CloudPanel runs MariaDB/MySQL only.');
    if (spec.password === null)
      throw new AppError('UNSUPPORTED', 'clpctl always creates a new user with the database.');
    if (spec.host !== 'localhost') throw new AppError('UNSUPPORTED', 'clpctl creates users for localhost only.');
    const h = this.#host;
    const sites = await readClpSites(h);
    let domain: string;
    if (opts.domain !== undefined) {
      domain = guardDomain(opts.domain);
      if (!sites.some((s) => s.domainName === domain))
        throw new AppError('NOT_FOUND', `CloudPanel has no site ${domain}.`);
    } else if (sites.length === 1 && sites[0]) {
      domain = sites[0].domainName;
    } else {
      throw new AppError(
        'VALIDATION',
        sites.length === 0
          ? 'CloudPanel keeps every database under a site: create a site first.'
          : 'CloudPanel keeps every database under a site, and this server has several: choose the site.',
        { field: 'site' },
      );
    }
    const dbs = await readClpDatabases(h);
    if (!opts.resume && dbs.some((d) => d.name === name)) {
      throw new AppError('CONFLICT', `The database ${name} already exists on this server.`, { field: 'name' });
    }
    const argv = withStdinPassword([
      CLPCTL,
      'db:add',
      `--domainName=${domain}`,
      `--databaseName=${name}`,
      `--databaseUserName=${user}`,
      { passwordPrefix: '--databaseUserPassword=' },
    ]);
    const steps: PlanStep[] = [
      cliStep(h, {
        id: 'clpctl',
        title: `clpctl db:add ${name} (user ${user}) for ${domain}`,
        argv,
        password: spec.password,
        read: (r) => clpctlOutcome(r, `Creating the database ${name} in CloudPanel`),
      }),
      databaseExistsStep(h, name),
    ];
    return {
      title: `Create MariaDB database ${name} for ${user}@localhost in CloudPanel (site ${domain})`,
      serverId: h.serverId,
      kind: 'database.create',
      steps,
      commands: planCommands(steps),
      diffs: [],
    };
  }

  planChangePassword(_engine: DbEngine, _user: string, _host: string): Promise<Plan> {
    return unsupported("change a database user's password");
  }

  planDelete(_engine: DbEngine, name: string, _admin?: DbAdmin): Promise<Plan> {
    return unsupported(`delete a database (${name})`);
  }

  planDeleteUser(_engine: DbEngine, _user: string, _host: string, _admin?: DbAdmin): Promise<Plan> {
    return unsupported('delete a database user');
  }
}

import type { Database, DatabaseUser } from '../../../shared/contract/databases.contract';
import { AppError } from '../../../shared/errors';
import type { DbEngine } from '../../../shared/remote-names';
import type { Plan } from '../../operations/operation.types';
import type { DatabasesCapability, DbAdmin, DbCreateSpec, PasswordSource } from '../capabilities';
import {
  listDatabases,
  planDatabaseCreate,
  planDatabaseDelete,
  planDatabaseUserDeleteOf,
  type PanelEnv,
} from './database-plans';

function unsupported(what: string): Promise<never> {
  return Promise.reject(new AppError('UNSUPPORTED', `CloudPanel's API cannot ${what}; do it in CloudPanel.`));
}

/**
 * Databases on a CloudPanel panel through its API, in the fleet's shape (issue 10): MariaDB only, every database
 * under a site, its user made with it (POST /api/v1/databases); deletes of databases and users are queued like
 * creates. The API has no password change and cannot grant an existing user a new database: those answer
 * UNSUPPORTED. The admin access of the contract does not apply (the API key is the access).
 */
export class CloudPanelApiDatabases implements DatabasesCapability {
  readonly #env: PanelEnv;

  constructor(env: PanelEnv) {
    this.#env = env;
  }

  engines(): Promise<DbEngine[]> {
    return Promise.resolve(['mariadb']);
  }

  async list(
    engine: DbEngine,
    _admin?: DbAdmin,
  ): Promise<{ databases: Database[]; users: Omit<DatabaseUser, 'credentialId'>[] }> {
    if (engine !== 'mariadb') return { databases: [], users: [] };
    const serverId = this.#env.serverId;
    const databases: Database[] = [];
    const users: Omit<DatabaseUser, 'credentialId'>[] = [];
    for (const d of await listDatabases(this.#env)) {
      const names = (d.users ?? []).map((u) => u.username);
      databases.push({
        serverId,
        engine,
        name: d.name,
        sizeBytes: null,
        charset: null,
        collation: null,
        owner: null,
        users: names.map((u) => `${u}@localhost`),
      });
      for (const name of names) {
        users.push({
          serverId,
          engine,
          name,
          host: 'localhost',
          grants: [{ database: d.name, privileges: ['ALL PRIVILEGES'] }],
          superuser: false,
        });
      }
    }
    return { databases, users };
  }

  /**
   * POST /api/v1/databases under a site: `opts.domain`, else the panel's only site (CloudPanel keeps every database
   * under a site; the contract has no field for it yet). The password is resolved when the step runs.
   */
  async planCreate(
    spec: DbCreateSpec,
    _admin: DbAdmin,
    opts: { resume?: boolean; domain?: string } = {},
  ): Promise<Plan> {
    if (spec.engine !== 'mariadb') throw new AppError('UNSUPPORTED', 'CloudPanel runs MariaDB/MySQL only.');
    if (spec.password === null) {
      throw new AppError('UNSUPPORTED', "CloudPanel's API creates a new user with each database.", {
        field: 'existingUser',
      });
    }
    if (spec.host !== 'localhost') {
      throw new AppError('UNSUPPORTED', 'CloudPanel creates database users for localhost only.', { field: 'host' });
    }
    let site = opts.domain;
    if (site === undefined) {
      const sites = await this.#env.api.listSites();
      if (sites.length !== 1 || !sites[0]) {
        throw new AppError(
          'VALIDATION',
          sites.length === 0
            ? 'CloudPanel keeps every database under a site: create a site first.'
            : 'CloudPanel keeps every database under a site, and this panel has several: choose the site.',
          { field: 'site' },
        );
      }
      site = sites[0].domainName;
    }
    const password = spec.password;
    const plan = await planDatabaseCreate(this.#env, {
      name: spec.name,
      site,
      user: { username: spec.user, password: (ctx) => password(ctx) },
      ...(opts.resume !== undefined ? { resume: opts.resume } : {}),
    });
    return { ...plan, kind: 'database.create' };
  }

  planChangePassword(
    _engine: DbEngine,
    user: string,
    _host: string,
    _password: PasswordSource,
    _admin: DbAdmin,
  ): Promise<Plan> {
    return unsupported(`change the password of ${user}`);
  }

  async planDelete(engine: DbEngine, name: string, _admin?: DbAdmin): Promise<Plan> {
    if (engine !== 'mariadb') return unsupported(`delete a ${engine} database`);
    return { ...(await planDatabaseDelete(this.#env, { name })), kind: 'database.delete' };
  }

  async planDeleteUser(engine: DbEngine, user: string, host: string, _admin?: DbAdmin): Promise<Plan> {
    if (engine !== 'mariadb' || host !== 'localhost') return unsupported(`delete ${user}@${host}`);
    return { ...(await planDatabaseUserDeleteOf(this.#env, () => true, user)), kind: 'database.deleteUser' };
  }
}

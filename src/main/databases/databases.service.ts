import type { Output, ParsedInput } from '../../shared/contract';
import {
  databaseCharset,
  type Database,
  type DatabaseCreate,
  type DatabaseUser,
} from '../../shared/contract/databases.contract';
import { AppError, isAppError } from '../../shared/errors';
import type { DbEngine } from '../../shared/remote-names';
import type { DatabasesCapability, DbAdmin, PasswordSource } from '../drivers/capabilities';
import type { DriverRegistry } from '../drivers/registry';
import type { JsonValue, Plan, PlanRegistry, PlanStep, StepContext } from '../operations/operation.types';
import type { PlanStore } from '../plans/plan-store';
import { mapLimit } from '../sites/sites.service';
import {
  bindingKey,
  boundCredential,
  boundCredentialInput,
  boundCredentials,
  generateDbPassword,
  resolveAdmin,
  type DbAccount,
  type DbCredentialStore,
} from './db-credentials';

/** Dependencies of {@link DatabasesService}. */
export interface DatabasesServiceDeps {
  readonly drivers: DriverRegistry;
  readonly plans: PlanStore;
  readonly rebuilders: PlanRegistry;
  readonly credentials: DbCredentialStore;
  /** Every server id in the inventory (fleet-wide lists). */
  readonly serverIds: () => string[];
  /** A server's display name (for the names of the vault credentials). */
  readonly serverName: (id: string) => string;
}

/** What a create plan carries to be rebuilt after a restart: no password, only where to find it. */
interface CreateParams {
  engine: DbEngine;
  name: string;
  charset: string | null;
  collation: string | null;
  user: string;
  existingUser: boolean;
  host: string;
  adminCredentialId: string | null;
}

interface AccountParams {
  engine: DbEngine;
  user: string;
  host: string;
  adminCredentialId: string | null;
}

interface DeleteParams {
  engine: DbEngine;
  name: string;
  adminCredentialId: string | null;
}

/** The id of the vault step whose result holds the credential with the password the server steps use. */
const VAULT_STEP = 'vault';

/**
 * Databases across the fleet: lists read live from each server's driver, and every change a plan previewed
 * (dryRun) or applied through the operations journal. The service owns everything the vault holds: the admin
 * credential it resolves for the driver, and the new user's password, which the plan's first step stores as a
 * password credential bound to the server, so a retry after a restart finds it there (params never hold it).
 */
export class DatabasesService {
  readonly #d: DatabasesServiceDeps;

  constructor(deps: DatabasesServiceDeps) {
    this.#d = deps;
    deps.rebuilders.register('database.create', ({ serverId, params }) =>
      this.#planCreate(serverId, params as unknown as CreateParams, null, true),
    );
    deps.rebuilders.register('database.changePassword', ({ serverId, params }) =>
      this.#planChangePassword(serverId, params as unknown as AccountParams, null),
    );
    deps.rebuilders.register('database.delete', ({ serverId, params }) =>
      this.#planDelete(serverId, params as unknown as DeleteParams),
    );
    deps.rebuilders.register('database.deleteUser', ({ serverId, params }) =>
      this.#planDeleteUser(serverId, params as unknown as AccountParams),
    );
  }

  /** The server's databases capability after a probe (the probe decides whether it has one). */
  async #cap(serverId: string): Promise<DatabasesCapability> {
    const driver = this.#d.drivers.driver(serverId);
    await driver.probe();
    if (!driver.databases || !driver.capabilities.includes('databases')) {
      throw new AppError('UNSUPPORTED', 'No MariaDB, MySQL or PostgreSQL was found on this server.');
    }
    return driver.databases;
  }

  async #engineCap(serverId: string, engine: DbEngine): Promise<DatabasesCapability> {
    const cap = await this.#cap(serverId);
    if (!(await cap.engines()).includes(engine)) {
      throw new AppError(
        'UNSUPPORTED',
        `${engine === 'postgresql' ? 'PostgreSQL' : 'MariaDB/MySQL'} is not installed on this server.`,
        {
          field: 'engine',
        },
      );
    }
    return cap;
  }

  #admin(serverId: string, engine: DbEngine, id: string | null | undefined): DbAdmin {
    return resolveAdmin(this.#d.credentials, serverId, engine, id ?? undefined);
  }

  async list(input: ParsedInput<'databases.list'>): Promise<Output<'databases.list'>> {
    const ids = input.serverId ? [input.serverId] : this.#d.serverIds();
    const databases: Database[] = [];
    const users: DatabaseUser[] = [];
    const problems: Output<'databases.list'>['problems'] = [];
    const q = input.query?.trim().toLowerCase() ?? '';
    await mapLimit(ids, 6, async (serverId) => {
      try {
        const driver = this.#d.drivers.driver(serverId);
        await driver.probe();
        if (!driver.databases || !driver.capabilities.includes('databases')) {
          if (input.serverId)
            throw new AppError('UNSUPPORTED', 'No MariaDB, MySQL or PostgreSQL was found on this server.');
          return;
        }
        const engines = (await driver.databases.engines()).filter(
          (e) => input.engine === undefined || e === input.engine,
        );
        const bound = boundCredentials(this.#d.credentials, serverId);
        for (const engine of engines) {
          const admin = this.#admin(serverId, engine, input.adminCredentialId);
          const r = await driver.databases.list(engine, admin);
          databases.push(...r.databases.filter((d) => q === '' || d.name.toLowerCase().includes(q)));
          users.push(
            ...r.users
              .filter((u) => q === '' || u.name.toLowerCase().includes(q))
              .map((u) => ({ ...u, credentialId: bound.get(bindingKey(engine, u.name, u.host)) ?? null })),
          );
        }
      } catch (e) {
        if (input.serverId) throw e;
        problems.push({
          serverId,
          code: isAppError(e) ? e.code : 'INTERNAL',
          message: isAppError(e) ? e.message : 'The server could not be read.',
        });
      }
    });
    const order = (a: { name: string; serverId: string }, b: { name: string; serverId: string }) =>
      a.name.localeCompare(b.name) || a.serverId.localeCompare(b.serverId);
    databases.sort(order);
    users.sort(order);
    return { databases, users, problems };
  }

  async create(input: ParsedInput<'databases.create'>): Promise<Output<'databases.create'>> {
    const params = createParams(input);
    const password = input.existingUser ? null : (input.password ?? generateDbPassword());
    const plan = await this.#planCreate(input.serverId, params, password, false);
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  async changePassword(input: ParsedInput<'databases.changePassword'>): Promise<Output<'databases.changePassword'>> {
    const params: AccountParams = {
      engine: input.engine,
      user: input.user,
      host: input.engine === 'postgresql' ? 'localhost' : input.host,
      adminCredentialId: input.adminCredentialId ?? null,
    };
    const plan = await this.#planChangePassword(input.serverId, params, input.password ?? generateDbPassword());
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  async delete(input: ParsedInput<'databases.delete'>): Promise<Output<'databases.delete'>> {
    confirmName(input.confirm, input.name, 'database name');
    const plan = await this.#planDelete(input.serverId, {
      engine: input.engine,
      name: input.name,
      adminCredentialId: input.adminCredentialId ?? null,
    });
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  async deleteUser(input: ParsedInput<'databases.deleteUser'>): Promise<Output<'databases.deleteUser'>> {
    confirmName(input.confirm, input.user, 'user name');
    const plan = await this.#planDeleteUser(input.serverId, {
      engine: input.engine,
      user: input.user,
      host: input.engine === 'postgresql' ? 'localhost' : input.host,
      adminCredentialId: input.adminCredentialId ?? null,
    });
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  /** `password`: the new user's password (null: an existing user, or a rebuild, where the vault step finds it). */
  async #planCreate(serverId: string, p: CreateParams, password: string | null, resume: boolean): Promise<Plan> {
    const cap = await this.#engineCap(serverId, p.engine);
    const admin = this.#admin(serverId, p.engine, p.adminCredentialId);
    const account: DbAccount = { serverId, engine: p.engine, user: p.user, host: p.host };
    const plan = await cap.planCreate(
      {
        engine: p.engine,
        name: p.name,
        charset: p.charset,
        collation: p.collation,
        user: p.user,
        host: p.host,
        password: p.existingUser ? null : this.#passwordSource(serverId, password),
      },
      admin,
      { resume },
    );
    const pre = p.existingUser ? [] : [this.#stageStep(account, password, false)];
    return this.#wrap(plan, { pre, post: [], params: p, secrets: [password, admin?.password] });
  }

  async #planChangePassword(serverId: string, p: AccountParams, password: string | null): Promise<Plan> {
    const cap = await this.#engineCap(serverId, p.engine);
    const admin = this.#admin(serverId, p.engine, p.adminCredentialId);
    const account: DbAccount = { serverId, engine: p.engine, user: p.user, host: p.host };
    const plan = await cap.planChangePassword(
      p.engine,
      p.user,
      p.host,
      this.#passwordSource(serverId, password),
      admin,
    );
    return this.#wrap(plan, {
      pre: [this.#stageStep(account, password, true)],
      post: [this.#commitStep(account)],
      params: p,
      secrets: [password, admin?.password],
    });
  }

  async #planDelete(serverId: string, p: DeleteParams): Promise<Plan> {
    const cap = await this.#engineCap(serverId, p.engine);
    const admin = this.#admin(serverId, p.engine, p.adminCredentialId);
    const plan = await cap.planDelete(p.engine, p.name, admin);
    return this.#wrap(plan, { pre: [], post: [], params: p, secrets: [admin?.password] });
  }

  async #planDeleteUser(serverId: string, p: AccountParams): Promise<Plan> {
    const cap = await this.#engineCap(serverId, p.engine);
    const admin = this.#admin(serverId, p.engine, p.adminCredentialId);
    const account: DbAccount = { serverId, engine: p.engine, user: p.user, host: p.host };
    const plan = await cap.planDeleteUser(p.engine, p.user, p.host, admin);
    const store = this.#d.credentials;
    const forget: PlanStep = {
      id: 'vault-remove',
      title: `Remove the vault credential of ${p.user}`,
      kind: 'cleanup',
      run() {
        const c = boundCredential(store, account);
        if (!c) return Promise.resolve({ summary: 'no vault credential was bound to this user' });
        store.delete(c.id, true);
        return Promise.resolve({ summary: `removed the credential "${c.name}"` });
      },
    };
    return this.#wrap(plan, { pre: [], post: [forget], params: p, secrets: [admin?.password] });
  }

  /** Adds the service's vault steps around the driver's, the params to rebuild it, and the secrets to redact. */
  #wrap(
    plan: Plan,
    w: { pre: PlanStep[]; post: PlanStep[]; params: object; secrets: (string | null | undefined)[] },
  ): Plan {
    const title = (s: PlanStep) => `PanelDeck: ${s.title}`;
    return {
      ...plan,
      steps: [...w.pre, ...plan.steps, ...w.post],
      commands: [...w.pre.map(title), ...plan.commands, ...w.post.map(title)],
      params: w.params as unknown as JsonValue,
      secrets: [...(plan.secrets ?? []), ...w.secrets.filter((s): s is string => typeof s === 'string' && s !== '')],
    };
  }

  /**
   * The first step of a create or a rotation: the password goes into the vault before anything on the server
   * depends on it. A create stores the bound credential itself; a rotation stages a pending one that the commit
   * step moves into the bound credential once the server has the new password. In a plan rebuilt after a restart
   * the typed password is gone: if this step had not finished, a new one is generated.
   */
  #stageStep(account: DbAccount, known: string | null, pending: boolean): PlanStep {
    const store = this.#d.credentials;
    const serverName = this.#d.serverName(account.serverId);
    return {
      id: VAULT_STEP,
      title: `Store ${pending ? 'the new' : 'the'} password of ${account.user} in the vault`,
      kind: 'write',
      run(ctx) {
        const pw = known ?? generateDbPassword();
        ctx.secrets.add(pw);
        if (known === null) ctx.log('The password was generated for this run.');
        const c = store.create(boundCredentialInput(account, serverName, pw, pending));
        return Promise.resolve({ summary: `stored as the credential "${c.name}"`, data: { credentialId: c.id } });
      },
      rollback(ctx) {
        const id = (ctx.result.data as { credentialId?: string } | undefined)?.credentialId;
        if (id !== undefined) {
          try {
            store.delete(id, true);
          } catch (e) {
            if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
          }
        }
        return Promise.resolve();
      },
    };
  }

  /** Last step of a rotation: the staged password becomes the bound credential's (updated in place if one exists). */
  #commitStep(account: DbAccount): PlanStep {
    const store = this.#d.credentials;
    const serverName = this.#d.serverName(account.serverId);
    return {
      id: 'vault-commit',
      title: `Update the vault credential of ${account.user}`,
      kind: 'write',
      run(ctx) {
        const pendingId = stagedId(ctx);
        const bound = boundCredential(store, account);
        if (bound && bound.id !== pendingId) {
          const { secret } = store.recordUse(pendingId, account.serverId, 'database password rotation');
          ctx.secrets.add(secret);
          store.update(bound.id, { secret });
          store.delete(pendingId, true);
          return Promise.resolve({
            summary: `updated the credential "${bound.name}"`,
            data: { credentialId: bound.id },
          });
        }
        const fresh = boundCredentialInput(account, serverName, 'unused', false);
        store.update(pendingId, { name: fresh.name, notes: fresh.notes });
        return Promise.resolve({
          summary: `stored as the credential "${fresh.name}"`,
          data: { credentialId: pendingId },
        });
      },
    };
  }

  /** Where the server steps get the password: in memory for a fresh plan, else the staged vault credential. */
  #passwordSource(serverId: string, known: string | null): PasswordSource {
    const store = this.#d.credentials;
    return (ctx: StepContext) => {
      if (known !== null) return Promise.resolve(known);
      return Promise.resolve(store.recordUse(stagedId(ctx), serverId, 'database user password').secret);
    };
  }
}

/** The credential the vault step of this operation stored. */
function stagedId(ctx: StepContext): string {
  const id = (ctx.results.get(VAULT_STEP)?.data as { credentialId?: string } | undefined)?.credentialId;
  if (id === undefined)
    throw new AppError('CONFLICT', 'The password of this operation is not in the vault; plan the change again.');
  return id;
}

function createParams(input: DatabaseCreate): CreateParams {
  return {
    engine: input.engine,
    name: input.name,
    ...databaseCharset(input),
    user: input.user,
    existingUser: input.existingUser,
    host: input.engine === 'postgresql' ? 'localhost' : input.host,
    adminCredentialId: input.adminCredentialId ?? null,
  };
}

function confirmName(typed: string, name: string, what: string): void {
  if (typed.trim() !== name) {
    throw new AppError('VALIDATION', `Type the ${what} (${name}) to confirm the deletion.`, { field: 'confirm' });
  }
}

import { AppError } from '../../../shared/errors';
import { DbName, DbUser, Domain } from '../../../shared/remote-names';
import type { Plan, StepContext } from '../../operations/operation.types';
import { checked } from './cloudpanel-values';
import { deleteAndWait, notOnPanel, queuedPlan, queuedSteps, type StepEnv } from './queued-steps';
import { FORM_FIELDS, type CpDatabase } from './resource-kinds';

/** What the plans of a panel need: the client, its key (a secret) and the panel id plans carry as serverId. */
export interface PanelEnv extends StepEnv {
  readonly serverId: string;
}

const MASK = '••••';
const DB_PATH = '/api/v1/databases';
/** A database user as CloudPanel may already have it (made in its UI): looser than ours, still path-safe. */
const PANEL_DB_USER = /^[A-Za-z0-9_.-]{1,64}$/;

/** Every database on the panel with its users. */
export function listDatabases(env: StepEnv, signal?: AbortSignal): Promise<CpDatabase[]> {
  return env.api.listAll<CpDatabase>(DB_PATH, 'databases', signal);
}

async function findDatabase(env: StepEnv, pred: (d: CpDatabase) => boolean, signal?: AbortSignal) {
  return (await listDatabases(env, signal)).find(pred) ?? null;
}

/** A numeric row id of the panel, checked before it goes into a path. */
export function rowId(itemId: string, what: string): number {
  if (!/^\d{1,12}$/.test(itemId)) {
    throw new AppError('VALIDATION', `That is not a ${what} id of this CloudPanel; nothing was sent.`, {
      field: 'itemId',
    });
  }
  return Number(itemId);
}

/** What a database create sends: a new user with it, its password resolved when the step runs. */
export interface DatabaseCreateInput {
  readonly name: string;
  readonly site: string;
  readonly user: { readonly username: string; readonly password: (ctx: StepContext) => Promise<string> } | null;
  readonly resume?: boolean;
}

/**
 * Plans POST /api/v1/databases (seed: `{name, siteId, user:{username, password}}`) under a site; the password
 * is registered as a secret before the body is built and shows as •••• in the preview.
 */
export async function planDatabaseCreate(
  env: PanelEnv,
  input: DatabaseCreateInput,
  secrets: string[] = [],
): Promise<Plan> {
  const name = checked(DbName, input.name, 'name');
  const domain = checked(Domain, input.site, 'site');
  const username = input.user ? checked(DbUser, input.user.username, 'username') : null;
  const site = (await env.api.listSites()).find((s) => s.domainName === domain);
  if (!site) throw new AppError('NOT_FOUND', `CloudPanel has no site ${domain}.`, { field: 'site' });
  const listed = async (signal?: AbortSignal) => findDatabase(env, (d) => d.name === name, signal);
  if (!input.resume && (await listed())) {
    throw new AppError('CONFLICT', `The database ${name} already exists on this CloudPanel.`, { field: 'name' });
  }
  const shownBody = { name, siteId: site.id, ...(username ? { user: { username, password: MASK } } : {}) };
  const steps = queuedSteps(env, {
    what: `create database ${name}`,
    method: 'POST',
    path: DB_PATH,
    shown: `POST ${DB_PATH} ${JSON.stringify(shownBody)}`,
    body: async (ctx) => {
      if (!input.user || username === null) return { name, siteId: site.id };
      const password = await input.user.password(ctx);
      ctx.secrets.add(password);
      return { name, siteId: site.id, user: { username, password } };
    },
    already: async (signal) => (input.resume ? (await listed(signal)) !== null : false),
    tookEffect: async (signal) => (await listed(signal)) !== null,
    verify: async (signal) => {
      const d = await listed(signal);
      if (!d) throw new AppError('NOT_FOUND', `CloudPanel finished, but does not list the database ${name}.`);
      return `database ${d.id} on ${domain}${username ? ` with user ${username}` : ''}`;
    },
    fields: FORM_FIELDS,
    undo: async (ctx) => {
      const d = await listed(ctx.signal);
      if (d) await deleteAndWait(env, ctx, `${DB_PATH}/${d.id}`);
    },
  });
  return queuedPlan(
    `Create database ${name} on CloudPanel (site ${domain})`,
    env.serverId,
    'panel.database.create',
    steps,
    { resource: 'databases', name, site: domain, username },
    secrets,
  );
}

/** Plans DELETE /api/v1/databases/:id for a database named by id or by name. */
export async function planDatabaseDelete(env: PanelEnv, ref: { id: number } | { name: string }): Promise<Plan> {
  const byName = 'name' in ref ? checked(DbName, ref.name, 'name') : null;
  const db = await findDatabase(env, (d) =>
    byName !== null ? d.name === byName : d.id === (ref as { id: number }).id,
  );
  if (!db) throw notOnPanel(`database ${byName ?? (ref as { id: number }).id}`);
  const listed = async (signal?: AbortSignal) => (await findDatabase(env, (d) => d.id === db.id, signal)) !== null;
  const path = `${DB_PATH}/${db.id}`;
  const steps = queuedSteps(env, {
    what: `delete database ${db.name}`,
    method: 'DELETE',
    path,
    shown: `DELETE ${path}`,
    already: async (signal) => !(await listed(signal)),
    tookEffect: async (signal) => !(await listed(signal)),
    verify: async (signal) => {
      if (await listed(signal)) throw new AppError('CONFLICT', `CloudPanel finished, but still lists ${db.name}.`);
      return 'gone';
    },
  });
  return queuedPlan(`Delete database ${db.name} on CloudPanel`, env.serverId, 'panel.database.delete', steps, {
    resource: 'databases',
    databaseId: db.id,
    name: db.name,
  });
}

/** Plans POST /api/v1/databases/:id/users (the public code's route): one more user for a database. */
export async function planDatabaseUserCreate(
  env: PanelEnv,
  input: { database: string; username: string; password: string },
): Promise<Plan> {
  const database = checked(DbName, input.database, 'database');
  const username = checked(DbUser, input.username, 'username');
  const db = await findDatabase(env, (d) => d.name === database);
  if (!db) throw new AppError('NOT_FOUND', `CloudPanel has no database ${database}.`, { field: 'database' });
  if ((db.users ?? []).some((u) => u.username === username)) {
    throw new AppError('CONFLICT', `${database} already has a user ${username}.`, { field: 'username' });
  }
  const has = async (signal?: AbortSignal) =>
    ((await findDatabase(env, (d) => d.id === db.id, signal))?.users ?? []).some((u) => u.username === username);
  const path = `${DB_PATH}/${db.id}/users`;
  const steps = queuedSteps(env, {
    what: `add user ${username} to ${database}`,
    method: 'POST',
    path,
    shown: `POST ${path} ${JSON.stringify({ username, password: MASK })}`,
    body: (ctx) => {
      ctx.secrets.add(input.password);
      return { username, password: input.password };
    },
    already: () => Promise.resolve(false),
    tookEffect: has,
    verify: async (signal) => {
      if (!(await has(signal)))
        throw new AppError('NOT_FOUND', `CloudPanel finished, but ${database} has no ${username}.`);
      return `${username} on ${database}`;
    },
    fields: FORM_FIELDS,
  });
  return queuedPlan(
    `Add database user ${username} to ${database} on CloudPanel`,
    env.serverId,
    'panel.database.user.create',
    steps,
    { resource: 'database-users', database, username },
    [input.password],
  );
}

/** Plans DELETE /api/v1/databases/:id/users/:username; `itemId` is `<databaseId>:<username>`. */
export async function planDatabaseUserDelete(env: PanelEnv, itemId: string): Promise<Plan> {
  const m = /^(\d{1,12}):(.+)$/.exec(itemId);
  if (!m || !PANEL_DB_USER.test(m[2] ?? '')) {
    throw new AppError('VALIDATION', 'That is not a database user of this CloudPanel; nothing was sent.', {
      field: 'itemId',
    });
  }
  const [id, username] = [Number(m[1]), m[2] as string];
  return planDatabaseUserDeleteOf(env, (d) => d.id === id, username);
}

/** Plans the delete of a database user on the first database `pick` matches that has it. */
export async function planDatabaseUserDeleteOf(
  env: PanelEnv,
  pick: (d: CpDatabase) => boolean,
  username: string,
): Promise<Plan> {
  const db = await findDatabase(env, (d) => pick(d) && (d.users ?? []).some((u) => u.username === username));
  if (!db) throw notOnPanel(`database user ${username}`);
  const has = async (signal?: AbortSignal) =>
    ((await findDatabase(env, (d) => d.id === db.id, signal))?.users ?? []).some((u) => u.username === username);
  const path = `${DB_PATH}/${db.id}/users/${encodeURIComponent(username)}`;
  const steps = queuedSteps(env, {
    what: `remove user ${username} from ${db.name}`,
    method: 'DELETE',
    path,
    shown: `DELETE ${path}`,
    already: async (signal) => !(await has(signal)),
    tookEffect: async (signal) => !(await has(signal)),
    verify: async (signal) => {
      if (await has(signal))
        throw new AppError('CONFLICT', `CloudPanel finished, but ${db.name} still has ${username}.`);
      return 'gone';
    },
  });
  return queuedPlan(
    `Remove database user ${username} from ${db.name} on CloudPanel`,
    env.serverId,
    'panel.database.user.delete',
    steps,
    {
      resource: 'database-users',
      databaseId: db.id,
      username,
    },
  );
}

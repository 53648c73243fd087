import { z } from 'zod';
import { AppError, isAppError } from '../../../shared/errors';
import { SystemUser } from '../../../shared/remote-names';
import type { Plan } from '../../operations/operation.types';
import { checked } from './cloudpanel-values';
import type { PanelEnv } from './database-plans';
import { notOnPanel, queuedPlan, queuedSteps } from './queued-steps';
import { FORM_FIELDS, type CpUser } from './resource-kinds';

const USERS_PATH = '/api/v1/users';
const Email = z.email('Enter an email address like ops@example.com.').max(254);
const Role = z.enum(['user', 'site-manager', 'admin'], 'The role is user, site-manager or admin.');

/** The sentence a user key's 403 on /api/v1/users becomes. */
export const USER_KEY_MESSAGE = 'CloudPanel: this API key is a user key; users need an admin key.';

/**
 * Runs a call on /api/v1/users and explains the panel's 403: the seed lets only an admin key see users, so a
 * user key's refusal becomes AUTH_FAILED with that sentence (details.needsAdminKey) instead of a raw error.
 */
export async function explainUserKey<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isAppError(e) && e.details?.['status'] === 403) {
      throw new AppError('AUTH_FAILED', USER_KEY_MESSAGE, {
        ...e.details,
        needsAdminKey: true,
        panelMessage: e.message,
      });
    }
    throw e;
  }
}

/** Every panel user (admin key). */
export function listUsers(env: PanelEnv, signal?: AbortSignal): Promise<CpUser[]> {
  return explainUserKey(() => env.api.listAll<CpUser>(USERS_PATH, 'users', signal));
}

/** Plans POST /api/v1/users `{username, email, role}` (seed), checked before anything is sent. */
export async function planUserCreate(
  env: PanelEnv,
  values: { username: unknown; email: unknown; role: unknown },
): Promise<Plan> {
  const username = checked(SystemUser, values.username, 'username');
  const email = checked(Email, values.email, 'email');
  const role = checked(Role, values.role ?? 'user', 'role');
  if ((await listUsers(env)).some((u) => u.username === username)) {
    throw new AppError('CONFLICT', `CloudPanel already has a user ${username}.`, { field: 'username' });
  }
  const find = async (signal?: AbortSignal) =>
    (await listUsers(env, signal)).find((u) => u.username === username) ?? null;
  const body = { username, email, role };
  const steps = queuedSteps(env, {
    what: `create user ${username}`,
    method: 'POST',
    path: USERS_PATH,
    shown: `POST ${USERS_PATH} ${JSON.stringify(body)}`,
    body: () => body,
    already: () => Promise.resolve(false),
    tookEffect: async (signal) => (await find(signal)) !== null,
    verify: async (signal) => {
      const u = await find(signal);
      if (!u) throw new AppError('NOT_FOUND', `CloudPanel finished, but does not list ${username}.`);
      return `user ${u.id} (${u.role ?? role})`;
    },
    fields: FORM_FIELDS,
  });
  return queuedPlan(`Create ${role} ${username} on CloudPanel`, env.serverId, 'panel.user.create', steps, {
    resource: 'users',
    ...body,
  });
}

/** Plans DELETE /api/v1/users/:id. */
export async function planUserDelete(env: PanelEnv, id: number): Promise<Plan> {
  const user = (await listUsers(env)).find((u) => u.id === id);
  if (!user) throw notOnPanel(`user ${id}`);
  const listed = async (signal?: AbortSignal) => (await listUsers(env, signal)).some((u) => u.id === id);
  const path = `${USERS_PATH}/${id}`;
  const steps = queuedSteps(env, {
    what: `delete user ${user.username}`,
    method: 'DELETE',
    path,
    shown: `DELETE ${path}`,
    already: async (signal) => !(await listed(signal)),
    tookEffect: async (signal) => !(await listed(signal)),
    verify: async (signal) => {
      if (await listed(signal))
        throw new AppError('CONFLICT', `CloudPanel finished, but still lists ${user.username}.`);
      return 'gone';
    },
  });
  return queuedPlan(`Delete user ${user.username} on CloudPanel`, env.serverId, 'panel.user.delete', steps, {
    resource: 'users',
    userId: id,
  });
}

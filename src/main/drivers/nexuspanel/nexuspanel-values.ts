import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { checkedForPanel, type ValueSchema } from '../http/panel-plan';
import { Host, PosixUser } from '../../../shared/validators';

/**
 * The values a NexusPanel create form sends, checked before anything leaves PanelDeck (DESIGN.md rule 6): the
 * panel SSHes to `host` as `ssh_user`, so these are as dangerous as a shell argument. VALIDATION names the form
 * field and gives the schema's sentence; the value itself is never quoted back.
 */

/** A panel-side numeric id (server, user, alert, rule): digits only, so nothing else reaches a URL path. */
export const NexusId = z.string().regex(/^[1-9]\d{0,17}$/, 'A NexusPanel id is a number.');

/** A server or alert rule name: one line of plain ASCII (letters, digits, space and . _ ( ) # @ + -). */
export const NexusName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()#@+-]{0,99}$/, 'Use letters, digits, spaces and . _ ( ) # @ + - (at most 100).');

/** A panel login name. */
export const NexusUsername = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, 'A username has 3 to 32 letters, digits, _ . or -.');

/** An e-mail address (plain ASCII, one line). */
export const NexusEmail = z
  .string()
  .trim()
  .max(254)
  .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'Not an e-mail address.');

/** A password for a new panel user (the panel's own policy decides the rest). */
export const NexusPassword = z.string().min(8, 'At least 8 characters.').max(200);

/** The metrics an alert rule can watch. */
export const NexusMetric = z.enum(['cpu', 'memory', 'disk', 'network']);
/** Alert rule conditions. */
export const NexusCondition = z.enum(['greater_than', 'less_than', 'equals']);
/** Alert severities. */
export const NexusSeverity = z.enum(['critical', 'warning', 'info']);

/** Checks one value with a schema: VALIDATION naming `field`, nothing sent to NexusPanel. */
export function checked<T>(schema: ValueSchema<T>, value: unknown, field: string): T {
  return checkedForPanel('NexusPanel', schema, value, field);
}

/** A required value (absent or empty: VALIDATION "… is required"). */
export function required(values: Readonly<Record<string, unknown>>, field: string): unknown {
  const v = values[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    throw new AppError('VALIDATION', `The ${field} is required.`, { field });
  }
  return v;
}

/** An optional value: undefined when absent or empty. */
export function optional(values: Readonly<Record<string, unknown>>, field: string): unknown {
  const v = values[field];
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;
}

/** A number typed in a form (number or digits as text) within bounds. */
export function numberIn(value: unknown, field: string, min: number, max: number): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new AppError('VALIDATION', `The ${field} must be a number from ${min} to ${max}.`, { field });
  }
  return n;
}

/** A checkbox value (true/false, or "true"/"false"). */
export function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

/** The id of a row or server, checked (digits only). */
export function idOf(value: unknown, field = 'id'): string {
  return checked(NexusId, typeof value === 'number' ? String(value) : value, field);
}

/** A new server's body (POST /servers), validated. */
export function serverBody(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: checked(NexusName, required(values, 'name'), 'name'),
    host: checked(Host, required(values, 'host'), 'host'),
    port: optional(values, 'port') === undefined ? 22 : numberIn(values['port'], 'port', 1, 65535),
    ssh_user: checked(PosixUser, optional(values, 'sshUser') ?? 'root', 'sshUser'),
  };
  const key = optional(values, 'sshKeyId');
  if (key !== undefined) body['ssh_key_id'] = Number(idOf(key, 'sshKeyId'));
  return body;
}

/** A server update's body (PUT /servers/:id): only the fields given, each validated. */
export function serverPatch(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (optional(values, 'name') !== undefined) body['name'] = checked(NexusName, values['name'], 'name');
  if (optional(values, 'host') !== undefined) body['host'] = checked(Host, values['host'], 'host');
  if (optional(values, 'port') !== undefined) body['port'] = numberIn(values['port'], 'port', 1, 65535);
  if (optional(values, 'sshUser') !== undefined) body['ssh_user'] = checked(PosixUser, values['sshUser'], 'sshUser');
  if (optional(values, 'sshKeyId') !== undefined) body['ssh_key_id'] = Number(idOf(values['sshKeyId'], 'sshKeyId'));
  if (Object.keys(body).length === 0) throw new AppError('VALIDATION', 'Nothing to change.', { field: 'name' });
  return body;
}

/** A new user's body (POST /users), validated; the password is returned apart so it can be registered as a secret. */
export function userBody(values: Readonly<Record<string, unknown>>): {
  body: Record<string, unknown>;
  password: string;
} {
  const password = checked(NexusPassword, required(values, 'password'), 'password');
  const role = optional(values, 'role') ?? 'user';
  if (role !== 'user' && role !== 'admin')
    throw new AppError('VALIDATION', 'The role is user or admin.', { field: 'role' });
  return {
    body: {
      username: checked(NexusUsername, required(values, 'username'), 'username'),
      email: checked(NexusEmail, required(values, 'email'), 'email'),
      password,
      role,
      language: 'en-US',
    },
    password,
  };
}

/** A new alert rule's body (POST /alerts/rules), validated. */
export function ruleBody(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    name: checked(NexusName, required(values, 'name'), 'name'),
    metric_type: checked(NexusMetric, required(values, 'metric'), 'metric'),
    condition: checked(NexusCondition, optional(values, 'condition') ?? 'greater_than', 'condition'),
    threshold: numberIn(required(values, 'threshold'), 'threshold', 0, 1e12),
    severity: checked(NexusSeverity, optional(values, 'severity') ?? 'warning', 'severity'),
    enabled: flag(values['enabled'], true),
  };
}

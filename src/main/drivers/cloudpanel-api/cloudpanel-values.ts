import { AppError, isAppError } from '../../../shared/errors';
import { checkedForPanel, type ValueSchema } from '../http/panel-plan';

/** Checks one value with a contract schema before anything is sent to CloudPanel (see {@link checkedForPanel}). */
export function checked<T>(schema: ValueSchema<T>, value: unknown, field: string): T {
  return checkedForPanel('CloudPanel', schema, value, field);
}

/** A required text value of a create form (absent or empty: VALIDATION on that field). */
export function text(values: Readonly<Record<string, unknown>>, field: string, label = field): string {
  const v = values[field];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new AppError('VALIDATION', `The ${label} is required.`, { field });
  }
  return v;
}

/** An optional text value: undefined when absent or empty. */
export function optionalText(values: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const v = values[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return undefined;
  if (typeof v !== 'string') throw new AppError('VALIDATION', `The ${field} must be text.`, { field });
  return v;
}

/**
 * Runs a call whose 422 names the panel's fields (`domainName`, `user.password`, `siteId`) and renames them to the
 * form's keys, so the dialog shows each message beside its own field; the sentences go into the message too (the
 * journal keeps only the message). Other errors pass unchanged.
 */
export async function withFormFields<T>(map: Readonly<Record<string, string>>, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const fields = isAppError(e) ? e.details?.['fields'] : undefined;
    if (!isAppError(e) || !Array.isArray(fields) || fields.length === 0) throw e;
    const renamed = (fields as { field: string; message: string }[]).map((x) => ({
      field: map[x.field] ?? x.field,
      message: x.message,
    }));
    const said = renamed.map((x) => `${x.field}: ${x.message}`).join('; ');
    throw new AppError(e.code, `${e.message} (${said})`, { ...e.details, fields: renamed, field: renamed[0]?.field });
  }
}

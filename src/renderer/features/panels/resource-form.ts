import type { PanelField } from '../../../shared/contract/panels.contract';
import { AppError } from '../../../shared/errors';
import { errorMessage, fieldErrors, type FieldErrors } from '../../lib/errors';

/** A generated create form's values as typed: strings, and booleans for checkboxes. */
export type ResourceValues = Record<string, string | boolean>;

/** The starting values of a kind's create form (first option of a required select, unchecked boxes). */
export function initialValues(fields: readonly PanelField[]): ResourceValues {
  const out: ResourceValues = {};
  for (const f of fields) {
    if (f.type === 'checkbox') out[f.key] = false;
    else if (f.type === 'select' && f.required) out[f.key] = f.options?.[0]?.value ?? '';
    else out[f.key] = '';
  }
  return out;
}

/** The form's own checks: required fields filled, numbers that are numbers. The panel's driver checks the rest. */
export function checkValues(fields: readonly PanelField[], values: ResourceValues): FieldErrors {
  const out: FieldErrors = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'checkbox') continue;
    const text = typeof v === 'string' ? v.trim() : '';
    if (f.required && text === '') out[f.key] = `${f.label} is required.`;
    else if (f.type === 'number' && text !== '' && !Number.isFinite(Number(text))) out[f.key] = 'Enter a number.';
  }
  return out;
}

/** The values sent to panels.resources.create: empty optional fields left out, numbers as numbers. */
export function valuesInput(fields: readonly PanelField[], values: ResourceValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === 'checkbox') {
      out[f.key] = v === true;
      continue;
    }
    // Secrets are sent as typed (a password may start or end with a space); other text is trimmed.
    const text = typeof v === 'string' ? (f.secret || f.type === 'password' ? v : v.trim()) : '';
    if (text === '') continue;
    out[f.key] = f.type === 'number' ? Number(text) : text;
  }
  return out;
}

/**
 * A create's failure as per-field messages, against the generated form's keys: the panel's own 422 list
 * (AppError VALIDATION details.fields [{field, message}], src/main/drivers/http/http-errors.ts), a driver's
 * check before sending (details.field), and the contract's schema issues (`values.domain`). A field the form
 * does not have, and any other error, goes to `_` (the form's error line) so nothing is lost.
 */
export function resourceFieldErrors(e: unknown, fields: readonly PanelField[]): FieldErrors {
  const keys = new Set(fields.map((f) => f.key));
  const out: FieldErrors = {};
  const put = (field: string, message: string): void => {
    const key = keys.has(field) ? field : '_';
    if (key === '_') out._ = out._ ? `${out._} ${field}: ${message}` : `${field}: ${message}`;
    else out[key] ??= message;
  };
  for (const [path, message] of Object.entries(fieldErrors(e))) put(path.replace(/^values\./, ''), message);
  if (e instanceof AppError && e.code === 'VALIDATION') {
    const list = e.details?.fields;
    if (Array.isArray(list)) {
      for (const item of list as unknown[]) {
        const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown };
        if (typeof field === 'string' && typeof message === 'string') put(field, message);
      }
    } else if (typeof e.details?.field === 'string' && keys.has(e.details.field)) {
      out[e.details.field] ??= e.message;
    }
  }
  const message = errorMessage(e);
  if (Object.keys(out).length === 0) out._ = message;
  return out;
}

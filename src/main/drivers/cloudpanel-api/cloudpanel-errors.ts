import { fieldErrorsFrom, type PanelErrorParts, type PanelErrorResponse } from '../http/http-errors';

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function parts(message: string | null, code: unknown, details: unknown): PanelErrorParts {
  const d = obj(details);
  const fields = fieldErrorsFrom(d?.['fields'] ?? d?.['errors'] ?? (Array.isArray(details) ? details : null));
  return { message, panelCode: str(code), fields };
}

/**
 * Reads CloudPanel's error envelopes: the documented `{error, code, details}` and the public code's
 * `{success:false, error:"msg"}` and `{success:false, error:{code, message, details}}`. A 422's field list
 * (`details.fields` / `details.errors` / `details` as a list) becomes details.fields of the AppError.
 */
export function readCloudPanelError(res: PanelErrorResponse): PanelErrorParts | null {
  const body = obj(res.body);
  if (body === null) {
    const text = str(res.body);
    return text !== null && text.length < 300 && !text.includes('<') ? { message: text } : null;
  }
  const error = body['error'];
  if (typeof error === 'string') return parts(error, body['code'], body['details']);
  const inner = obj(error);
  if (inner !== null) return parts(str(inner['message']), inner['code'], inner['details']);
  const message = str(body['message']);
  return message !== null ? parts(message, body['code'], body['details']) : null;
}

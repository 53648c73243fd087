import { fieldErrorsFrom, type PanelErrorParts, type PanelErrorResponse } from './http-errors';
import { jsonObjectOrNull, nonBlank } from './json-values';

/**
 * The message of an error answer that is not JSON: a short plain sentence, or null (an HTML error page says
 * nothing useful and may be long).
 */
export function plainTextError(body: unknown): string | null {
  const text = nonBlank(body);
  return text !== null && text.length < 300 && !text.includes('<') ? text : null;
}

function parts(message: string | null, code: unknown, details: unknown): PanelErrorParts {
  const d = jsonObjectOrNull(details);
  const fields = fieldErrorsFrom(d?.['fields'] ?? d?.['errors'] ?? (Array.isArray(details) ? details : null));
  return { message, panelCode: nonBlank(code), fields };
}

/**
 * Reads the common JSON error envelopes: `{error, code, details}`, `{success:false, error:"msg"}` and
 * `{success:false, error:{code, message, details}}` (and a bare `{message, code}`).
 *
 * CloudPanel's API and SkyPANEL answer with these same shapes, so both drivers use this one reader. A 422's field
 * list (`details.fields` / `details.errors` / `details` as a list) becomes details.fields of the AppError.
 */
export function readErrorEnvelope(res: PanelErrorResponse): PanelErrorParts | null {
  const body = jsonObjectOrNull(res.body);
  if (body === null) {
    const text = plainTextError(res.body);
    return text !== null ? { message: text } : null;
  }
  const error = body['error'];
  if (typeof error === 'string') return parts(error, body['code'], body['details']);
  const inner = jsonObjectOrNull(error);
  if (inner !== null) return parts(nonBlank(inner['message']), inner['code'], inner['details']);
  const message = nonBlank(body['message']);
  return message !== null ? parts(message, body['code'], body['details']) : null;
}

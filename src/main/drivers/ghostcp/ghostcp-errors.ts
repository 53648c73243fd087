import { plainTextError } from '../http/envelope-errors';
import { fieldErrorsFrom, type PanelErrorParts, type PanelErrorResponse } from '../http/http-errors';
import { jsonObjectOrNull as obj, nonBlank as str } from '../http/json-values';

/**
 * Reads GhostCP's error envelope `{error, status, details}` (seed ghostcp-api.md; the public code sends the same
 * without `details`). A 400/422's `details` naming fields (`{field: message}`, `{fields: …}` or a list) becomes
 * details.fields of the AppError; other details (404's `{resource, id}`) are kept as they are. The public code's
 * bare statuses (401 from its auth middleware, 405 for a route it lacks) have no body: the status speaks alone.
 */
export function readGhostCpError(res: PanelErrorResponse): PanelErrorParts | null {
  const body = obj(res.body);
  if (body === null) {
    const text = plainTextError(res.body);
    return text !== null ? { message: text.trim() } : null;
  }
  const message = str(body['error']) ?? str(body['message']);
  if (message === null) return null;
  const details = body['details'];
  const d = obj(details);
  if (res.status === 400 || res.status === 422) {
    const fields = fieldErrorsFrom(d?.['fields'] ?? d?.['errors'] ?? details);
    return { message, fields, ...(d && fields.length === 0 ? { details: { panelDetails: d } } : {}) };
  }
  return { message, ...(d ? { details: { panelDetails: d } } : {}) };
}

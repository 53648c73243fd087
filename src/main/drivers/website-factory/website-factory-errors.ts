import type { FieldError, PanelErrorParts, PanelErrorResponse } from '../http/http-errors';

const LOCATIONS = new Set(['body', 'query', 'path', 'header', 'form']);

/** FastAPI's `loc` ["body", "sites", 3, "domain"] as a form field: "sites.3.domain" (the location part dropped). */
export function fieldOfLoc(loc: unknown): string {
  if (!Array.isArray(loc)) return typeof loc === 'string' ? loc : '';
  const parts = loc.map(String);
  if (parts.length > 1 && LOCATIONS.has(parts[0] ?? '')) parts.shift();
  return parts.join('.');
}

/** FastAPI's 422 list `[{loc, msg, type}]` as field errors ("Value error, " prefix of pydantic v2 dropped). */
export function fieldErrorsOfDetail(detail: readonly unknown[]): FieldError[] {
  const out: FieldError[] = [];
  for (const item of detail) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const msg = typeof o['msg'] === 'string' ? o['msg'].replace(/^Value error, /, '') : null;
    if (msg !== null) out.push({ field: fieldOfLoc(o['loc']), message: msg });
  }
  return out;
}

/**
 * Reads the Website Factory hub's error envelopes (seed website-factory-api.md): `{detail: "message"}` for most
 * errors, `{detail: [{loc, msg, type}]}` for a 422 (each becomes a field error of the AppError; the message names
 * the first), `{error: "Rate limit exceeded: …"}` from the rate limiter, and a plain-text body (an unhandled
 * exception behind uvicorn answers "Internal Server Error").
 */
export function readWebsiteFactoryError(res: PanelErrorResponse): PanelErrorParts | null {
  const body = res.body;
  if (typeof body === 'string') {
    const text = body.trim();
    return text !== '' && text.length < 300 && !text.includes('<') ? { message: text } : null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const o = body as Record<string, unknown>;
  const detail = o['detail'];
  if (typeof detail === 'string' && detail.trim() !== '') return { message: detail };
  if (Array.isArray(detail)) {
    const fields = fieldErrorsOfDetail(detail);
    const first = fields[0];
    const message =
      first === undefined
        ? 'The request was not valid.'
        : first.field === ''
          ? first.message
          : `${first.field}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`;
    const type = (detail[0] as { type?: unknown } | undefined)?.type;
    return { message, fields, panelCode: typeof type === 'string' ? type : null };
  }
  for (const key of ['error', 'message']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return { message: v };
  }
  return null;
}

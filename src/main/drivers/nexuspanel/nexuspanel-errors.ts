import { AppError, isAppError, type ErrorCode } from '../../../shared/errors';
import { plainTextError } from '../http/envelope-errors';
import { fieldErrorsFrom, type PanelErrorParts, type PanelErrorResponse } from '../http/http-errors';
import { jsonObjectOrNull as obj, nonBlank as str } from '../http/json-values';

/** NexusPanel's application error codes (seed nexuspanel-api.md, "Application Error Codes") → PanelDeck's codes. */
export const NEXUS_APP_CODES: Readonly<Record<number, ErrorCode>> = {
  40001: 'AUTH_FAILED',
  40002: 'AUTH_FAILED',
  40003: 'AUTH_FAILED',
  40301: 'AUTH_FAILED',
  40401: 'NOT_FOUND',
  40901: 'CONFLICT',
  42201: 'VALIDATION',
  42901: 'RATE_LIMITED',
  50001: 'CONNECTION_FAILED',
  50101: 'UNSUPPORTED',
  50301: 'CONNECTION_FAILED',
};

/**
 * Reads NexusPanel's error envelope `{code, message, details}` (details: a sentence, or a field list for a
 * validation error). The application code (40001, 40901 …) goes to details.panelCode; the details sentence is
 * appended to the message when it says more than the message.
 */
export function readNexusError(res: PanelErrorResponse): PanelErrorParts | null {
  const body = obj(res.body);
  if (body === null) {
    const text = plainTextError(res.body);
    return text !== null ? { message: text } : null;
  }
  const message = str(body['message']) ?? str(body['error']);
  if (message === null) return null;
  const details = body['details'];
  const said = str(details);
  const code = body['code'];
  return {
    message: said !== null && said !== message ? `${message} (${said})` : message,
    panelCode: typeof code === 'number' || typeof code === 'string' ? String(code) : null,
    fields: fieldErrorsFrom(obj(details)?.['fields'] ?? details),
  };
}

/**
 * The typed error for an application code: the HTTP status already gave a code (HttpClient), but the envelope's
 * own code is more precise (a 400 with 40001 is a failed sign-in, a 200 with 40401 is a missing thing).
 */
export function withAppCode(e: unknown): unknown {
  if (!isAppError(e)) return e;
  const panelCode = Number(e.details?.['panelCode']);
  const mapped = NEXUS_APP_CODES[panelCode];
  if (mapped === undefined || mapped === e.code || e.code === 'RATE_LIMITED') return e;
  return new AppError(mapped, e.message, e.details);
}

/**
 * An envelope that says failure inside a 2xx answer (`{"code": 40401, "message": …}` with HTTP 200, as some Go
 * panels answer): null when the envelope's code is a success.
 */
export function envelopeFailure(body: unknown, request: string): AppError | null {
  const b = obj(body);
  const code = b?.['code'];
  if (typeof code !== 'number' || code < 400) return null;
  const parts = readNexusError({ status: 200, body, headers: {}, request });
  const status = code >= 1000 ? Math.floor(code / 100) : code;
  const message = parts?.message ? `NexusPanel: ${parts.message}` : `NexusPanel answered code ${code} to ${request}.`;
  return new AppError(NEXUS_APP_CODES[code] ?? 'CONNECTION_FAILED', message, { status, panelCode: String(code) });
}

/** A feature the panel lacks (its 501 / 50101), in one clear sentence. */
export function unsupported(what: string): AppError {
  return new AppError('UNSUPPORTED', `${what} is not supported by this panel.`, { panel: 'nexuspanel' });
}

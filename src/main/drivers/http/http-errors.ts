import { AppError, type ErrorCode } from '../../../shared/errors';

/** One field a panel's 422 (or 400) named, for the form to show beside that field. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What a panel answered with a non-2xx status: the parsed body (JSON or text) and its headers. */
export interface PanelErrorResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
  /** "GET /api/v1/sites": for the message, never with the query (it may carry a secret). */
  readonly request: string;
}

/** What a panel's error envelope said, before it becomes an AppError. */
export interface PanelErrorParts {
  readonly message: string | null;
  /** The panel's own code (e.g. "SITE_EXISTS"), kept in details.panelCode. */
  readonly panelCode?: string | null;
  readonly fields?: readonly FieldError[];
  readonly details?: Record<string, unknown>;
}

/** Reads one panel's error envelope; null when the body is not in its shape (the status then speaks alone). */
export type ErrorEnvelopeReader = (res: PanelErrorResponse) => PanelErrorParts | null;

/** The AppError code for an HTTP status. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'VALIDATION';
  if (status === 401) return 'AUTH_FAILED';
  if (status === 403) return 'AUTH_FAILED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status === 501) return 'UNSUPPORTED';
  return 'CONNECTION_FAILED';
}

/** Makes the AppError for a failed response, with the panel's own message when its envelope has one. */
export function panelError(res: PanelErrorResponse, reader: ErrorEnvelopeReader, panelName: string): AppError {
  let parts: PanelErrorParts | null;
  try {
    parts = reader(res);
  } catch {
    parts = null;
  }
  const message =
    parts?.message !== null && parts?.message !== undefined && parts.message.trim() !== ''
      ? `${panelName}: ${parts.message}`
      : `${panelName} answered HTTP ${res.status} to ${res.request}.`;
  const details: Record<string, unknown> = { status: res.status, ...(parts?.details ?? {}) };
  if (parts?.panelCode) details['panelCode'] = parts.panelCode;
  if (parts?.fields && parts.fields.length > 0) {
    details['fields'] = parts.fields.map((f) => ({ field: f.field, message: f.message }));
    // The first field also goes where the UI's forms already look (AppError details.field).
    details['field'] = parts.fields[0]?.field;
  }
  return new AppError(codeForStatus(res.status), message, details);
}

/** Field errors from the common shapes: [{field|path|loc, message|msg}] or {field: message | [message]}. */
export function fieldErrorsFrom(value: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'object' || item === null) continue;
      const o = item as Record<string, unknown>;
      const rawField = o['field'] ?? o['path'] ?? o['param'] ?? o['loc'];
      const field = Array.isArray(rawField) ? rawField.map(String).join('.') : rawField;
      const message = o['message'] ?? o['msg'];
      if (typeof field === 'string' && typeof message === 'string') out.push({ field, message });
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [field, m] of Object.entries(value as Record<string, unknown>)) {
      if (typeof m === 'string') out.push({ field, message: m });
      else if (Array.isArray(m) && typeof m[0] === 'string') out.push({ field, message: m[0] });
    }
  }
  return out;
}

import { AppError, type ErrorCode } from '../../shared/errors';

/** Field path -> first message, from a VALIDATION error's `details.issues` (DESIGN.md rule 3). */
export type FieldErrors = Record<string, string>;

/**
 * Turns a VALIDATION error into per-field messages for inline display.
 * `stripPrefix` drops a wrapper path such as `patch.` (servers.update) so keys match the form's field names.
 */
export function fieldErrors(e: unknown, stripPrefix = ''): FieldErrors {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION') return {};
  const issues = e.details?.issues;
  if (!Array.isArray(issues)) return {};
  const out: FieldErrors = {};
  for (const issue of issues as unknown[]) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const key = stripPrefix && path.startsWith(stripPrefix) ? path.slice(stripPrefix.length) : path;
    out[key || '_'] ??= message;
  }
  return out;
}

/** The error's code when it is an AppError, else null. */
export function errorCode(e: unknown): ErrorCode | null {
  return e instanceof AppError ? e.code : null;
}

/** A message safe to show for any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : 'Something went wrong.';
}

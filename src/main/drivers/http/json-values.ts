/**
 * Narrows unknown JSON to an object ({} for anything else: null, a list, a scalar).
 *
 * Panel answers are read field by field; an empty object makes every field read as missing instead of throwing.
 */
export function jsonObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Narrows unknown JSON to an object, or null when it is none (where "no object" means something). */
export function jsonObjectOrNull(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A string that says something (not blank), or null. */
export function nonBlank(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** A non-empty string, or null (a string of spaces counts). */
export function nonEmpty(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

import { AppError, type ErrorCode } from '../../../shared/errors';
import type { CliOutput } from '../cloudpanel-cli/clpctl-output';

/** Where Hestia's v-* commands live (not on a non-interactive SSH PATH, so always called by full path). */
export const HESTIA_BIN = '/usr/local/hestia/bin';

/** Hestia's exit codes (func/main.sh: E_ARGS=1 … E_RESTART=20) and the typed error each becomes. */
const EXIT_CODES: Readonly<Record<number, { name: string; code: ErrorCode }>> = {
  1: { name: 'E_ARGS', code: 'VALIDATION' },
  2: { name: 'E_INVALID', code: 'VALIDATION' },
  3: { name: 'E_NOTEXIST', code: 'NOT_FOUND' },
  4: { name: 'E_EXISTS', code: 'CONFLICT' },
  5: { name: 'E_SUSPENDED', code: 'CONFLICT' },
  6: { name: 'E_UNSUSPENDED', code: 'CONFLICT' },
  7: { name: 'E_INUSE', code: 'IN_USE' },
  8: { name: 'E_LIMIT', code: 'VALIDATION' },
  9: { name: 'E_PASSWORD', code: 'AUTH_FAILED' },
  10: { name: 'E_FORBIDEN', code: 'AUTH_FAILED' },
  11: { name: 'E_DISABLED', code: 'UNSUPPORTED' },
  12: { name: 'E_PARSING', code: 'INTERNAL' },
  13: { name: 'E_DISK', code: 'INTERNAL' },
  14: { name: 'E_LA', code: 'TIMEOUT' },
  15: { name: 'E_CONNECT', code: 'CONNECTION_FAILED' },
  16: { name: 'E_FTP', code: 'INTERNAL' },
  17: { name: 'E_DB', code: 'INTERNAL' },
  18: { name: 'E_RRD', code: 'INTERNAL' },
  19: { name: 'E_UPDATE', code: 'INTERNAL' },
  20: { name: 'E_RESTART', code: 'INTERNAL' },
};

/** The typed error code for a Hestia exit code (unknown codes: INTERNAL). */
export function hestiaErrorCode(exit: number | null): ErrorCode {
  return (exit !== null && EXIT_CODES[exit]?.code) || 'INTERNAL';
}

/**
 * Reads one v-* run: exit 0 is success (returns stdout); any other exit becomes a typed AppError carrying
 * Hestia's own `Error: …` line (127: the command is missing, i.e. Hestia is not installed).
 */
export function hestiaOutcome(r: CliOutput, what: string): string {
  if (r.code === 0) return r.stdout;
  if (r.code === 127) throw new AppError('UNSUPPORTED', `${what}: HestiaCP's commands were not found on this server.`);
  const text = (r.stdout + '\n' + r.stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' / ')
    .replace(/^Error: /, '')
    .slice(0, 300);
  const name = r.code !== null ? EXIT_CODES[r.code]?.name : undefined;
  throw new AppError(hestiaErrorCode(r.code), `${what} failed: ${text || `exit ${String(r.code)}`}`, {
    exitCode: r.code,
    ...(name ? { hestia: name } : {}),
  });
}

/** Parses a v-list-* `json` answer: an object keyed by name (an empty answer is {}). */
export function hestiaJson(stdout: string, what: string): Record<string, Record<string, string>> {
  const text = stdout.trim();
  if (text === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, Record<string, string>>;
  } catch {
    throw new AppError('INTERNAL', `${what}: HestiaCP answered something that is not a JSON object.`);
  }
}

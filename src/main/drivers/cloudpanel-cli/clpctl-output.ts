import { AppError, type ErrorCode } from '../../../shared/errors';

/** What a command returned, as far as reading clpctl's output needs. */
export interface CliOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Symfony validation line: `domainName: This value already exists.` */
const VALIDATION_LINE = /^\s*([A-Za-z][A-Za-z0-9]*): (This .+|.+ (?:valid|blank|exists|long|short)\.?)\s*$/m;

function codeFor(message: string, fallback: ErrorCode): ErrorCode {
  if (/already exists/i.test(message)) return 'CONFLICT';
  if (/does not exist|not found|doesn't exist/i.test(message)) return 'NOT_FOUND';
  return fallback;
}

/** The text of a Symfony console error block: its lines without the padding and the `In File.php line N:` header. */
export function symfonyErrorText(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^In \S+ line \d+:$/.test(l) && !/^\[[A-Za-z\\]+\]$/.test(l))
    .map((l) => l.replace(/^\[ERROR\]\s*/, ''))
    .join(' ')
    .slice(0, 500);
}

/**
 * Reads one clpctl run (Symfony console): a non-zero exit is a failure whose message is the error block; a
 * validation line (`domainName: This value already exists.`) is a failure too, even with exit 0, as clpctl
 * prints them. Returns clpctl's success message; throws a typed AppError (CONFLICT, NOT_FOUND, VALIDATION,
 * INTERNAL) otherwise. `what` names the action for the message.
 */
export function clpctlOutcome(r: CliOutput, what: string): string {
  const validation = VALIDATION_LINE.exec(r.stdout) ?? VALIDATION_LINE.exec(r.stderr);
  if (validation) {
    const [, field, text] = validation as unknown as [string, string, string];
    throw new AppError(codeFor(text, 'VALIDATION'), `${what}: CloudPanel says ${field}: ${text}`, {
      field,
      exitCode: r.code,
    });
  }
  if (r.code !== 0) {
    const text = symfonyErrorText(r.stderr) || symfonyErrorText(r.stdout) || `exit ${String(r.code)}`;
    throw new AppError(codeFor(text, 'INTERNAL'), `${what} failed: ${text}`, { exitCode: r.code });
  }
  return r.stdout.trim();
}

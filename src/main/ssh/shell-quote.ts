/**
 * POSIX shell quoting: the one way a remote command line is built (DESIGN.md rule 6).
 * Why single quotes: inside '...' a POSIX shell interprets nothing at all ($, `, \, newlines are literal), so the
 * only character to handle is the single quote itself, closed-escaped-reopened as '\''.
 */

/** Quotes one argument for a POSIX shell: always `'...'`, with each `'` written as `'\''`. Rejects NUL. */
export function quote(arg: string): string {
  if (arg.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte.');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Builds a command line from argv, every element quoted (the program name too), joined by spaces. */
export function command(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least a program name.');
  return argv.map(quote).join(' ');
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A command line for people to read (plan previews, the journal): words that a shell would not interpret stay
 * bare, everything else is quoted exactly as {@link command} quotes it, so the line still runs as shown.
 */
export function display(argv: readonly string[]): string {
  return argv.map((a) => (PLAIN_WORD.test(a) ? a : quote(a))).join(' ');
}

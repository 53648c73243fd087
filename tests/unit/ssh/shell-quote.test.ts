import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { command, quote } from '../../../src/main/ssh/shell-quote';

const NASTY = [
  '',
  ' ',
  'plain',
  'two words',
  "it's",
  "''",
  "'\\''",
  '"double" quotes',
  '$(touch /tmp/paneldeck-pwned)',
  '`id`',
  '${HOME}',
  '$HOME',
  'a\nb\nc',
  '\r\n',
  'tab\there',
  'back\\slash\\',
  '; rm -rf / #',
  '&& echo hi || true | cat > /dev/null',
  '*',
  '?',
  '~',
  '-n',
  '--',
  '!',
  'héllo wörld ✓ 日本語 🚀',
  'glob[ab]',
  '\x1b[31mred\x1b[0m',
];

/** Runs `printf '%s\0' <quoted args>` under /bin/sh and returns the args it saw. */
function roundTrip(args: string[]): string[] {
  const script = `printf '%s\\0' ${args.map(quote).join(' ')}`;
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', cwd: '/' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('shell-quote', () => {
  it("wraps in single quotes and escapes single quotes as '\\''", () => {
    expect(quote('abc')).toBe("'abc'");
    expect(quote("it's")).toBe("'it'\\''s'");
    expect(quote('')).toBe("''");
  });

  it('every nasty argument reaches the program unchanged through sh -c', () => {
    expect(roundTrip(NASTY)).toEqual(NASTY);
  });

  it('each nasty argument alone survives as exactly one argument', () => {
    for (const a of NASTY) expect(roundTrip([a])).toEqual([a]);
  });

  it('command() quotes the program too and runs it', () => {
    const line = command(['printf', '%s|%s', 'a b', '$(echo x)']);
    expect(line).toBe("'printf' '%s|%s' 'a b' '$(echo x)'");
    const r = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(r.stdout).toBe('a b|$(echo x)');
  });

  it('rejects NUL and empty argv', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/);
    expect(() => command([])).toThrow();
  });
});

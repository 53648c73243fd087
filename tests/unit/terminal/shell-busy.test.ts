import { describe, expect, it } from 'vitest';
import { BUSY_PROBE_ARGV, parseBusyProbe } from '../../../src/main/terminal/shell-busy';

describe('busy probe output', () => {
  // sshd 900 carries two shells (pts/0 idle, pts/1 running vim) and the probe itself (no tty).
  const out = [
    'connection 900',
    '  900     1     -1 ?        sshd',
    '  910   900    910 pts/0    bash',
    '  905   900    950 pts/1    bash',
    '  950   905    950 pts/1    vim',
    '  960   900     -1 ?        sh',
    '  961   960     -1 ?        ps',
    '  970   800    970 pts/5    bash',
    '',
  ].join('\n');

  it('finds the connection’s shells, oldest first, and what runs in front of each', () => {
    expect(parseBusyProbe(out)).toEqual([
      { pid: 905, tty: 'pts/1', foreground: { program: 'vim' } },
      { pid: 910, tty: 'pts/0', foreground: null },
    ]);
  });

  it('says "something" when the foreground group belongs to another user (sudo)', () => {
    expect(parseBusyProbe('connection 5\n 7 5 99 pts/0 bash\n')).toEqual([
      { pid: 7, tty: 'pts/0', foreground: { program: null } },
    ]);
  });

  it('refuses output without the connection line', () => {
    expect(parseBusyProbe('')).toBeNull();
    expect(parseBusyProbe('connection 0\n')).toBeNull();
  });

  it('is a fixed argv: sh -c with a script that takes no input of the user', () => {
    expect(BUSY_PROBE_ARGV.slice(0, 2)).toEqual(['sh', '-c']);
    expect(BUSY_PROBE_ARGV).toHaveLength(3);
  });
});

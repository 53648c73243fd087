/**
 * Is a program running in the foreground of an interactive shell? Asked over the shell's own SSH connection with
 * one argv exec (DESIGN.md rule 6: the script is a fixed argv element, nothing of the user's is in it).
 *
 * How the shell is found: every channel of one SSH connection is a child of the same per-connection sshd process
 * ("sshd: user@pts/0,pts/1"; "sshd-session" since OpenSSH 9.8), so the exec'd script walks up from itself to that
 * process and lists the user's processes; the connection's shells are its children that have a terminal. A shell is
 * idle when its terminal's foreground process group (tpgid) is the shell itself, busy when it is any other group
 * (`sleep 300`, `vim`, `sudo -i`, `ssh` further on): what Windows Terminal and iTerm ask about before closing.
 */
export const BUSY_PROBE_ARGV: readonly string[] = [
  'sh',
  '-c',
  [
    'p=$$',
    'while [ "${p:-1}" -gt 1 ]; do',
    '  c=$(ps -o comm= -p "$p") || exit 3',
    '  case $c in sshd*) break ;; esac',
    `  p=$(ps -o ppid= -p "$p" | tr -d ' ')`,
    'done',
    'echo "connection ${p:-0}"',
    'ps -o pid=,ppid=,tpgid=,tty=,comm= -u "$(id -u)"',
  ].join('\n'),
];

/** One interactive shell of the connection, as the probe saw it. */
export interface ProbedShell {
  readonly pid: number;
  readonly tty: string;
  /** The foreground process group's leader name when a program runs, null when the shell itself is in front. */
  readonly foreground: { readonly program: string | null } | null;
}

/** The connection's shells (children of its sshd process with a terminal), oldest first (by pid), from the probe's output. */
export function parseBusyProbe(stdout: string): ProbedShell[] | null {
  const lines = stdout.split('\n');
  const head = /^connection (\d+)$/.exec(lines[0]?.trim() ?? '');
  const sshd = Number(head?.[1] ?? 0);
  if (sshd <= 1) return null;
  const rows = lines.slice(1).flatMap((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(-?\d+)\s+(\S+)\s?(.*)$/.exec(l);
    return m
      ? [{ pid: Number(m[1]), ppid: Number(m[2]), tpgid: Number(m[3]), tty: m[4] ?? '?', comm: m[5] ?? '' }]
      : [];
  });
  return rows
    .filter((r) => r.ppid === sshd && r.tty !== '?')
    .sort((a, b) => a.pid - b.pid)
    .map((r) => ({
      pid: r.pid,
      tty: r.tty,
      foreground:
        r.tpgid > 0 && r.tpgid !== r.pid
          ? {
              program:
                rows
                  .find((x) => x.pid === r.tpgid)
                  ?.comm.trim()
                  .slice(0, 64) || null,
            }
          : null,
    }));
}

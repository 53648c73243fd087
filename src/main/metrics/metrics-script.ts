/**
 * The remote half of the agentless collector: one POSIX `sh` loop per server, started once over the pooled SSH
 * connection (`sh -c <script> paneldeck-metrics <seconds> <tag>`), printing a snapshot between markers every
 * interval. Nothing is installed on the server and nothing connects per sample.
 *
 * How it stops: the loop runs in a background subshell while the foreground reads the channel's stdin; EOF on
 * stdin (PanelDeck ends or closes the channel, or sshd drops the session) makes the foreground send the loop TERM.
 * The loop's trap only sets a flag: `wait` returns at once, the loop kills its pending `sleep` and leaves, and the
 * foreground, which waited for it, exits — so when the channel closes nothing of the loop is left on the server.
 */

/** `$0` of the remote loop: how it shows in the server's process list. */
export const METRICS_LOOP_NAME = 'paneldeck-metrics';

/**
 * The loop. `$1` is the interval in seconds (fractions work where `sleep` takes them; otherwise it falls back to
 * one second rather than spinning), `$2` the per-channel tag of the markers (`@@<tag> <section>`), so no line of a
 * /proc file or of df's output can pass for a marker. Sections, in order: stat, meminfo, loadavg, uptime, netdev,
 * diskstats, block (the names in /sys/block: whole disks), df (`df -kP`, under `timeout` where present so a hung
 * network mount cannot stall the loop), procs (the number of PIDs in /proc, counted by a glob: no fork).
 */
export const METRICS_SCRIPT = `LC_ALL=C
export LC_ALL
iv=$1
tag=$2
T=
if command -v timeout >/dev/null 2>&1; then T='timeout 10'; fi
(
  q=
  trap 'q=1' TERM
  n=0
  while [ -z "$q" ]; do
    n=$((n + 1))
    echo "@@$tag begin $n"
    echo "@@$tag stat"; cat /proc/stat
    echo "@@$tag meminfo"; cat /proc/meminfo
    echo "@@$tag loadavg"; cat /proc/loadavg
    echo "@@$tag uptime"; cat /proc/uptime
    echo "@@$tag netdev"; cat /proc/net/dev
    echo "@@$tag diskstats"; cat /proc/diskstats
    echo "@@$tag block"; echo /sys/block/*
    echo "@@$tag df"; $T df -kP 2>/dev/null
    set -- /proc/[0-9]*
    echo "@@$tag procs"; echo $#
    echo "@@$tag end $n"
    [ -z "$q" ] || break
    sleep "$iv" &
    s=$!
    wait "$s" || [ -n "$q" ] || sleep 1
    if [ -n "$q" ]; then kill "$s" 2>/dev/null; fi
  done
) </dev/null &
l=$!
while read -r _; do :; done
kill "$l" 2>/dev/null
wait "$l"
`;

/** The argv of one collector channel: `intervalMs` rounded to milliseconds, `tag` the marker tag (hex). */
export function metricsLoopArgv(intervalMs: number, tag: string): string[] {
  if (!/^[0-9a-f]{4,32}$/.test(tag)) throw new Error('The metrics marker tag must be 4-32 hex digits.');
  if (!Number.isFinite(intervalMs) || intervalMs < 100) throw new Error('The metrics interval must be >= 100 ms.');
  const seconds = (Math.round(intervalMs) / 1000).toString();
  return ['sh', '-c', METRICS_SCRIPT, METRICS_LOOP_NAME, seconds, tag];
}

import fs from 'node:fs';

/** CPU time (ms) `pids` have used so far, from /proc/<pid>/schedstat (nanoseconds on CPU; gone processes add 0). */
export function cpuMsOf(pids: readonly number[]): number {
  let ns = 0;
  for (const pid of pids) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // gone meanwhile
    }
  }
  return ns / 1e6;
}

/** Named groups of processes whose CPU time is compared before and after some work. */
export type ProcessGroups = Record<string, () => readonly number[]>;

/** Runs `work` and returns the CPU milliseconds each group used meanwhile (groups are resolved before it starts). */
export async function cpuDuring<T>(
  groups: ProcessGroups,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const pids = Object.fromEntries(Object.entries(groups).map(([k, f]) => [k, f()]));
  const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuMsOf(p)]));
  const result = await work();
  const cpuMs = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuMsOf(p) - (before[k] ?? 0)]));
  return { result, cpuMs };
}

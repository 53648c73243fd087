import fs from 'node:fs';

/** A process of ours: pid and command line. */
export interface ProcInfo {
  readonly pid: number;
  readonly cmdline: string;
}

/** Every descendant of `root` (children, grandchildren...), read from /proc. */
export function descendants(root: number): ProcInfo[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone meanwhile
    }
  }
  const out: ProcInfo[] = [];
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      let cmdline: string;
      try {
        cmdline = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      out.push({ pid: c, cmdline });
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Summed RSS and PSS (MiB) of `pids`; PSS splits shared pages fairly, so sums across processes are honest. */
export function memoryOf(pids: readonly number[]): { rssMiB: number; pssMiB: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rssMiB: rss / 1024, pssMiB: pss / 1024 };
}

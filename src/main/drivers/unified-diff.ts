/**
 * A unified diff of two texts (`diff -u` style, 3 lines of context), for the plan preview. Configuration files
 * are small, so a plain LCS table is enough; very large inputs fall back to "replace everything".
 */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const a = before === null ? [] : splitLines(before);
  const b = after === null ? [] : splitLines(after);
  const ops = a.length * b.length > 4_000_000 ? replaceAll(a, b) : lcsOps(a, b);
  const header = [
    `--- ${before === null ? '/dev/null' : `a${path}`}`,
    `+++ ${after === null ? '/dev/null' : `b${path}`}`,
  ];
  const hunks = toHunks(ops, 3);
  return hunks.length === 0 ? '' : `${[...header, ...hunks].join('\n')}\n`;
}

type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [
    ...a.map((line, i) => ({ t: '-' as const, line, ai: i, bi: 0 })),
    ...b.map((line, i) => ({ t: '+' as const, line, ai: a.length, bi: i })),
  ];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const next = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ t: ' ', line: a[i] as string, ai: i++, bi: j++ });
    } else if (j < m && (i >= n || (table[i] as Uint32Array)[j + 1]! > (table[i + 1] as Uint32Array)[j]!)) {
      ops.push({ t: '+', line: b[j] as string, ai: i, bi: j++ });
    } else {
      ops.push({ t: '-', line: a[i] as string, ai: i++, bi: j });
    }
  }
  return ops;
}

function toHunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]?.t === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context lines of unchanged text.
    for (;;) {
      while (end < ops.length && ops[end]?.t !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap]?.t === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const first = slice[0] as Op;
    const aLen = slice.filter((o) => o.t !== '+').length;
    const bLen = slice.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aLen === 0 ? first.ai : first.ai + 1},${aLen} +${bLen === 0 ? first.bi : first.bi + 1},${bLen} @@`);
    for (const o of slice) out.push(`${o.t}${o.line}`);
    k = stop;
  }
  return out;
}

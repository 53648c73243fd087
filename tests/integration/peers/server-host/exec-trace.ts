import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A running execve trace; see {@link startExecTrace}. */
export interface ExecTrace {
  /** Detaches and resolves with every exec'd program's argv (joined by spaces) and environment entries. */
  stop(): Promise<string[]>;
}

/** The strings of one strace execve line: argv (joined) and the environment entries. */
export function execStrings(line: string): string[] {
  const at = line.indexOf('execve(');
  if (at === -1) return [];
  const groups: string[][] = [];
  let depth = 0;
  for (let i = at + 7; i < line.length; i++) {
    const ch = line[i];
    if (ch === '[') {
      depth++;
      groups.push([]);
    } else if (ch === ']') depth--;
    else if (ch === ')' && depth === 0) break;
    else if (ch === '"') {
      let s = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] !== '\\') s += line[i];
        else {
          const next = line[++i] ?? '';
          const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
          if (next === 'x') {
            s += String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16));
            i += 2;
          } else s += esc[next] ?? next;
        }
      }
      if (depth > 0) groups.at(-1)?.push(s);
    }
  }
  const [argv = [], env = []] = groups;
  return [...(argv.length > 0 ? [argv.join(' ')] : []), ...env];
}

/**
 * Records every program started by `pids` or their descendants, with its argv and environment, through strace's
 * execve trace. Why, next to the /proc sampler: polling cannot see a command that lives shorter than a round, and a
 * database login check lives a few milliseconds; with the test lanes sharing two cores the sampler missed one now
 * and then. A trace of execve misses none. Resolves once strace has attached to every pid.
 */
export async function startExecTrace(pids: readonly number[]): Promise<ExecTrace> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pd-exec-trace-'));
  const log = path.join(dir, 'trace');
  const child = spawn(
    'strace',
    [
      '-f',
      '-e',
      'trace=execve',
      '-e',
      'signal=none',
      '-v',
      '-s',
      '65536',
      '-o',
      log,
      ...pids.flatMap((p) => ['-p', `${p}`]),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = once(child, 'exit');
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      // One line per pid: attached, or gone before strace got to it (an sshd session that just ended).
      if ((err.match(/Process \d+ attached|attach: ptrace/g) ?? []).length >= pids.length) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`strace exited (${code}) before attaching: ${err.slice(-400)}`)));
  });
  return {
    async stop() {
      child.kill('SIGINT'); // strace detaches from every tracee and exits
      await exited;
      const text = readFileSync(log, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      return text.split('\n').flatMap(execStrings);
    },
  };
}

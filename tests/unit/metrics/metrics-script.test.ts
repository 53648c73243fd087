import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS_LOOP_NAME, metricsLoopArgv } from '../../../src/main/metrics/metrics-script';
import { computeSample, parseSnapshot, type SnapshotSections } from '../../../src/main/metrics/sample-compute';
import { SnapshotFramer } from '../../../src/main/metrics/snapshot-framer';

/** PIDs on this machine whose argv contains `text`. */
function pidsWith(text: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

describe("the remote metrics loop, run by this machine's own sh", () => {
  it('prints complete snapshots each interval and leaves nothing running once its stdin ends', async () => {
    const tag = '0123abcd9876';
    const argv = metricsLoopArgv(200, tag);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3)).toEqual([METRICS_LOOP_NAME, '0.2', tag]);
    const child = spawn(argv[0] ?? 'sh', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const snaps: SnapshotSections[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    const three = new Promise<void>((resolve) => {
      const f = new SnapshotFramer(tag, {
        snapshot: (_seq, s) => {
          snaps.push(s);
          if (snaps.length === 3) resolve();
        },
      });
      child.stdout.on('data', (d: Buffer) => f.push(d));
    });
    await three;
    // The loop (and its sleep) runs while stdin is open.
    expect(pidsWith(tag).length).toBeGreaterThan(1);
    child.stdin.end();
    expect(await exited).toEqual([0, null]);
    expect(pidsWith(tag)).toEqual([]);
    expect(stderr).toBe('');

    const parsed = snaps.map((s) => parseSnapshot(s));
    for (const p of parsed) expect(p.missing).toEqual([]);
    const [a, b] = parsed.map((p) => p.snapshot);
    if (!a || !b) throw new Error('snapshots expected');
    const sample = computeSample(a, b, 'local', Date.now());
    expect(sample.intervalMs).toBeGreaterThan(0);
    expect(sample.cpuBp).toBeGreaterThanOrEqual(0);
    expect(sample.cpuCoresBp).toHaveLength(b.cores.size);
    expect(sample.memTotalBytes).toBeGreaterThan(sample.memUsedBytes);
    expect(sample.processes).toBeGreaterThan(1);
    expect(sample.filesystems.some((f) => f.mount === '/')).toBe(true);
  });

  it('refuses a bad tag or interval', () => {
    expect(() => metricsLoopArgv(5_000, 'not hex')).toThrow(/tag/);
    expect(() => metricsLoopArgv(10, 'abcd')).toThrow(/interval/);
  });
});

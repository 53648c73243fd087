import { describe, expect, it } from 'vitest';
import type { SnapshotSections } from '../../../src/main/metrics/sample-compute';
import { SnapshotFramer } from '../../../src/main/metrics/snapshot-framer';

function framer(max?: number): { f: SnapshotFramer; got: [number, SnapshotSections][]; dropped: string[] } {
  const got: [number, SnapshotSections][] = [];
  const dropped: string[] = [];
  const f = new SnapshotFramer(
    'ab12',
    { snapshot: (seq, s) => got.push([seq, s]), dropped: (why) => dropped.push(why) },
    max,
  );
  return { f, got, dropped };
}

describe('the snapshot framer', () => {
  it('cuts a stream split anywhere into snapshots with their sections', () => {
    const { f, got, dropped } = framer();
    const text =
      '@@ab12 begin 1\n@@ab12 stat\ncpu 1 2\ncpu0 1 2\n@@ab12 procs\n5\n@@ab12 end 1\n@@ab12 begin 2\n@@ab12 procs\n6\n@@ab12 end 2\n';
    for (const ch of text) f.push(ch);
    expect(got.map(([seq]) => seq)).toEqual([1, 2]);
    expect(got[0]?.[1].get('stat')).toBe('cpu 1 2\ncpu0 1 2');
    expect(got[0]?.[1].get('procs')).toBe('5');
    expect(got[1]?.[1].get('procs')).toBe('6');
    expect(dropped).toEqual([]);
  });

  it('ignores markers of another tag and text outside a snapshot; an empty section is an empty string', () => {
    const { f, got } = framer();
    f.push('noise\n@@ab12 begin 3\n@@ab12 df\n@@other stat\n/dev/x 1 1 1 1% /\n@@ab12 end 3\ntrailing\n');
    expect(got).toHaveLength(1);
    expect(got[0]?.[1].get('df')).toBe('@@other stat\n/dev/x 1 1 1 1% /');
  });

  it('drops a snapshot that never ends, or ends with another number, and one over the size bound', () => {
    const { f, got, dropped } = framer(64);
    f.push('@@ab12 begin 1\n@@ab12 stat\ncpu\n@@ab12 begin 2\n@@ab12 stat\ncpu 2\n@@ab12 end 9\n');
    expect(got).toEqual([]);
    expect(dropped).toEqual(['a snapshot without its end', 'an end marker of another snapshot']);
    f.push(`@@ab12 begin 3\n@@ab12 stat\n${'x'.repeat(40)}\n${'y'.repeat(40)}\n@@ab12 end 3\n`);
    expect(dropped.at(-1)).toBe('a snapshot over the size limit');
    f.push(`@@ab12 begin 4\n@@ab12 stat\n${'z'.repeat(100)}`);
    expect(dropped.at(-1)).toBe('a line over the size limit');
    // After all that, the next snapshot comes through.
    f.push('\n@@ab12 begin 5\n@@ab12 procs\n7\n@@ab12 end 5\n');
    expect(got.map(([seq]) => seq)).toEqual([5]);
  });
});

import { describe, expect, it } from 'vitest';
import { FloodGate } from '../../../src/renderer/features/terminal/flood-gate';
import { WriteFeeder } from '../../../src/renderer/features/terminal/write-feeder';

const KIB = 1024;

/** An xterm stand-in: records writes, parses on demand (runs the callbacks), and a task queue the test drains. */
function harness(batchBytes = 256 * KIB) {
  const written: number[] = [];
  let unparsed: ((() => void) | undefined)[] = [];
  const tasks: (() => void)[] = [];
  const feeder = new WriteFeeder(
    {
      write(data, parsed) {
        written.push(typeof data === 'string' ? data.length : data.byteLength);
        unparsed.push(parsed);
      },
    },
    { batchBytes, post: (fn) => tasks.push(fn) },
  );
  return {
    feeder,
    written,
    tasks,
    /** xterm parses everything it was handed. */
    parse() {
      const cbs = unparsed;
      unparsed = [];
      for (const cb of cbs) cb?.();
    },
    /** Runs the tasks posted so far (MessageChannel messages). */
    runTasks() {
      for (const t of tasks.splice(0)) t();
    },
  };
}

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe('write feeder (renderer: hands xterm one batch at a time from a non-timer task)', () => {
  it('passes a lone write straight through', () => {
    const h = harness();
    let parsed = 0;
    h.feeder.write(bytes(100), () => parsed++);
    expect(h.written).toEqual([100]);
    h.parse();
    expect(parsed).toBe(1);
    expect(h.tasks).toHaveLength(0);
  });

  it("a keystroke's echo reaches xterm in the task it arrived in, through the flood gate and the feeder", () => {
    // xterm parses the first write after a key press synchronously (its input fast path); a queue, a timer or a
    // posted task anywhere between the WebSocket message and term.write would put the echo a task or a frame later.
    const h = harness();
    const timers: (() => void)[] = [];
    const gate = new FloodGate(
      { write: (data, parsed) => h.feeder.write(data, parsed), syncOutput: false },
      { setTimeout: (fn) => timers.push(fn), clearTimeout: () => undefined, now: () => 0, nextFrame: () => undefined },
    );
    gate.write(bytes(1), () => undefined);
    expect(h.written).toEqual([1]);
    expect(h.tasks).toHaveLength(0);
  });

  it('holds what arrives while xterm parses, then hands it over in batches of at most batchBytes', () => {
    const h = harness(256 * KIB);
    h.feeder.write(bytes(64 * KIB));
    for (let i = 0; i < 10; i++) h.feeder.write(bytes(64 * KIB));
    expect(h.written).toEqual([64 * KIB]); // the rest waits for the first to be parsed
    expect(h.feeder.queuedBytes).toBe(640 * KIB);
    h.parse();
    expect(h.written).toHaveLength(1); // the next batch starts from a posted task, not from xterm's timer
    expect(h.tasks).toHaveLength(1);
    h.runTasks();
    expect(h.written.slice(1)).toEqual([64 * KIB, 64 * KIB, 64 * KIB, 64 * KIB]);
    h.parse();
    h.runTasks();
    h.parse();
    h.runTasks();
    expect(h.written.slice(5)).toEqual([64 * KIB, 64 * KIB, 64 * KIB, 64 * KIB, 64 * KIB, 64 * KIB]);
    expect(h.feeder.queuedBytes).toBe(0);
  });

  it('keeps order and runs every parsed callback once, in order', () => {
    const h = harness(100);
    const order: number[] = [];
    for (let i = 0; i < 20; i++) h.feeder.write(bytes(30 + i), () => order.push(i));
    for (let round = 0; round < 30 && h.feeder.queuedBytes + h.written.length > 0; round++) {
      h.parse();
      h.runTasks();
    }
    h.parse();
    expect(order).toEqual([...Array(20).keys()]);
    expect(h.written).toEqual([...Array(20).keys()].map((i) => 30 + i));
  });

  it('an item larger than a batch still goes through, alone', () => {
    const h = harness(64 * KIB);
    h.feeder.write(bytes(KIB));
    h.feeder.write(bytes(1024 * KIB));
    h.feeder.write(bytes(KIB));
    h.parse();
    h.runTasks();
    expect(h.written).toEqual([KIB, 1024 * KIB]);
    h.parse();
    h.runTasks();
    expect(h.written).toEqual([KIB, 1024 * KIB, KIB]);
  });
});

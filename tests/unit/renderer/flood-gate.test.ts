import { describe, expect, it } from 'vitest';
import {
  FloodGate,
  mentionsSyncOutput,
  SYNC_BEGIN,
  SYNC_END,
  type GateTarget,
} from '../../../src/renderer/features/terminal/flood-gate';

const KIB = 1024;

/** A terminal that records what it was given, with a clock, timers and animation frames the test drives. */
function harness(opts: { syncOutput?: boolean } = {}) {
  const written: string[] = [];
  const parsedCallbacks: (() => void)[] = [];
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  const frames: (() => void)[] = [];
  let nextId = 1;
  const target: GateTarget = {
    write(data, parsed) {
      written.push(typeof data === 'string' ? data : `<${data.byteLength}>`);
      if (parsed) parsedCallbacks.push(parsed);
    },
    get syncOutput() {
      return opts.syncOutput ?? false;
    },
  };
  const gate = new FloodGate(target, {
    floodBytes: 256 * KIB,
    frameMs: 100,
    idleMs: 20,
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    nextFrame: (fn) => frames.push(fn),
  });
  return {
    gate,
    written,
    /** xterm parses everything written so far (runs the write callbacks). */
    parseAll() {
      for (const cb of parsedCallbacks.splice(0)) cb();
    },
    /** A paint opportunity (requestAnimationFrame). */
    frame() {
      for (const fn of frames.splice(0)) fn();
    },
    /** Moves the clock, firing due timers in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

const chunk = (n: number): Uint8Array => new Uint8Array(n).fill(0x61);

describe('flood gate (renderer: caps repaints while output floods)', () => {
  it('leaves interactive output alone: no synchronized-output sequences below the threshold', () => {
    const h = harness();
    for (let i = 0; i < 50; i++) {
      h.gate.write(chunk(2 * KIB), () => undefined);
      h.advance(16);
    }
    expect(h.written.filter((w) => w.startsWith('\x1b'))).toEqual([]);
    expect(h.gate.holding).toBe(false);
  });

  it('holds paints once a frame interval gets a flood, before the bytes that crossed the line', () => {
    const h = harness();
    h.gate.write(chunk(200 * KIB));
    expect(h.gate.holding).toBe(false);
    h.gate.write(chunk(64 * KIB));
    expect(h.gate.holding).toBe(true);
    expect(h.gate.floods).toBe(1);
    expect(h.written).toEqual(['<204800>', SYNC_BEGIN, '<65536>']);
  });

  it('lets one frame through per interval while the flood goes on, holding again after that frame', () => {
    const h = harness();
    for (let t = 0; t < 100; t += 10) {
      h.gate.write(chunk(64 * KIB));
      h.advance(10);
    }
    // At 100 ms the interval ended with a flood in it: reset (paint), and set again only after the frame.
    const afterTick = h.written.slice(h.written.lastIndexOf(SYNC_END));
    expect(afterTick).toEqual([SYNC_END]);
    h.parseAll();
    h.frame();
    expect(h.written.at(-1)).toBe(SYNC_BEGIN);
    expect(h.gate.framesReleased).toBe(1);
    expect(h.gate.holding).toBe(true);
  });

  it('paints at once when output pauses, and not again until the next flood', () => {
    const h = harness();
    h.gate.write(chunk(300 * KIB));
    expect(h.gate.holding).toBe(true);
    h.advance(19);
    expect(h.written.at(-1)).toBe('<307200>');
    h.advance(1);
    expect(h.written.at(-1)).toBe(SYNC_END);
    expect(h.gate.holding).toBe(false);
    h.advance(500);
    expect(h.written.filter((w) => w === SYNC_END)).toHaveLength(1);
  });

  it('keeps every byte in order and runs every parsed callback exactly once', () => {
    const h = harness();
    let parsed = 0;
    for (let i = 0; i < 40; i++) {
      h.gate.write(chunk(32 * KIB), () => parsed++);
      h.advance(5);
      if (i % 7 === 0) {
        h.parseAll();
        h.frame();
      }
    }
    h.advance(1000);
    h.parseAll();
    h.frame();
    expect(parsed).toBe(40);
    expect(h.written.filter((w) => w === '<32768>')).toHaveLength(40);
    // Balanced: every set is followed by its reset, and the gate ends released.
    let depth = 0;
    for (const w of h.written) {
      if (w === SYNC_BEGIN) expect(++depth).toBe(1);
      if (w === SYNC_END) expect(--depth).toBe(0);
    }
    expect(depth).toBe(0);
    expect(h.gate.holding).toBe(false);
  });

  it('stands aside for programs that use synchronized output themselves', () => {
    const h = harness();
    h.gate.write(chunk(300 * KIB));
    expect(h.gate.holding).toBe(true);
    h.gate.write(new TextEncoder().encode(`\x1b[?2026hframe\x1b[?2026l`));
    expect(h.gate.holding).toBe(false);
    expect(h.written.slice(-2)).toEqual([SYNC_END, '<21>']);
    h.advance(200);
    h.gate.write(chunk(600 * KIB));
    expect(h.gate.holding).toBe(false);
    expect(h.written.filter((w) => w === SYNC_BEGIN)).toHaveLength(1);
  });

  it('does not start holding while the program has synchronized output on', () => {
    const h = harness({ syncOutput: true });
    h.gate.write(chunk(600 * KIB));
    expect(h.gate.holding).toBe(false);
    expect(h.written).toEqual(['<614400>']);
  });

  it('dispose paints what was held', () => {
    const h = harness();
    h.gate.write(chunk(300 * KIB));
    h.gate.dispose();
    expect(h.written.at(-1)).toBe(SYNC_END);
    expect(h.gate.holding).toBe(false);
  });

  it('finds mode 2026 in bytes and text, and only mode 2026', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(mentionsSyncOutput(enc('\x1b[?2026h'))).toBe(true);
    expect(mentionsSyncOutput(enc('abc\x1b[32mok\x1b[0m and \x1b[?2026l'))).toBe(true);
    expect(mentionsSyncOutput('x\x1b[?2026h')).toBe(true);
    expect(mentionsSyncOutput(enc('\x1b[?2025h \x1b[?1049h what? 2026?'))).toBe(false);
    expect(mentionsSyncOutput(enc('?2026 \x1b?2026 [?2026'))).toBe(false);
    expect(mentionsSyncOutput(enc('\x1b[?202'))).toBe(false);
    expect(mentionsSyncOutput(new Uint8Array())).toBe(false);
  });
});

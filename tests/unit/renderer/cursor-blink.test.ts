import { describe, expect, it } from 'vitest';
import { CursorBlink } from '../../../src/renderer/features/terminal/cursor-blink';

/** A CursorBlink on a fake clock: timers run only when the test advances time. */
function harness() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const calls: boolean[] = [];
  const blink = new CursorBlink((hidden) => calls.push(hidden), {
    intervalMs: 600,
    setTimeout: (fn, ms) => {
      timers.set(nextId, { at: now + ms, fn });
      return nextId++;
    },
    clearTimeout: (id) => void timers.delete(id),
  });
  /** Runs every timer due up to `ms` from now, in order (each in its own task). */
  const advance = (ms: number): void => {
    const end = now + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  };
  return { blink, calls, advance, pending: () => timers.size };
}

describe('cursor blink (renderer: timer-driven, so the page has no running animation)', () => {
  it('blinks only while enabled and focused, 600 ms per phase', () => {
    const h = harness();
    h.blink.enabled = true;
    h.advance(2000);
    expect(h.calls).toEqual([]); // not focused: a steady outline cursor, no timer
    expect(h.pending()).toBe(0);
    h.blink.focus(true);
    h.advance(599);
    expect(h.calls).toEqual([]);
    h.advance(1);
    expect(h.calls).toEqual([true]);
    h.advance(600);
    expect(h.calls).toEqual([true, false]);
  });

  it('a key press changes nothing in its own task and keeps the cursor solid for a full period', () => {
    const h = harness();
    h.blink.enabled = true;
    h.blink.focus(true);
    h.advance(500);
    h.blink.input(); // visible: only the phase restarts
    expect(h.calls).toEqual([]);
    h.advance(599);
    expect(h.calls).toEqual([]); // would have hidden at 600 without the key
    h.advance(1);
    expect(h.calls).toEqual([true]);
  });

  it('a key press while the cursor is hidden shows it from a later task, not from the key’s own', () => {
    const h = harness();
    h.blink.enabled = true;
    h.blink.focus(true);
    h.advance(600);
    expect(h.calls).toEqual([true]);
    h.blink.input();
    expect(h.calls).toEqual([true]); // nothing yet: the key's task must not ask for a frame
    h.advance(0);
    expect(h.calls).toEqual([true, false]);
    h.advance(599);
    expect(h.calls).toEqual([true, false]);
  });

  it('losing focus or being turned off shows the cursor and stops the timer', () => {
    const h = harness();
    h.blink.enabled = true;
    h.blink.focus(true);
    h.advance(600);
    h.blink.focus(false);
    expect(h.calls).toEqual([true, false]);
    expect(h.pending()).toBe(0);
    h.blink.focus(true);
    h.advance(600);
    h.blink.enabled = false;
    expect(h.calls).toEqual([true, false, true, false]);
    expect(h.pending()).toBe(0);
    h.blink.input();
    h.advance(5000);
    expect(h.calls).toEqual([true, false, true, false]);
  });
});

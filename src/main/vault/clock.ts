/** An opaque timer handle. */
export type TimerHandle = { readonly timer: unknown };

/**
 * Time, injectable: the vault's rate limit and auto-lock read it, and tests drive a ManualClock instead of
 * sleeping (DESIGN.md rule 9).
 */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The wall clock; timers are unref'd so a pending auto-lock never keeps the CLI process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { timer: t };
  },
  clearTimer(handle) {
    clearTimeout(handle.timer as NodeJS.Timeout);
  },
};

/** A clock that moves only when told to; `advance` fires due timers in order. For tests. */
export class ManualClock implements Clock {
  #now: number;
  #timers = new Map<TimerHandle, { at: number; fn: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { timer: Symbol('timer') };
    this.#timers.set(handle, { at: this.#now + Math.max(0, ms), fn });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle);
  }

  /** Moves time forward by `ms`, running each timer that comes due at its own moment. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [TimerHandle, { at: number; fn: () => void }] | undefined;
      for (const e of this.#timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].fn();
    }
    this.#now = end;
  }

  /** Timers still waiting (tests assert a lock cancelled its timer). */
  get pending(): number {
    return this.#timers.size;
  }
}

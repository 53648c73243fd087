import type { Clock, TimerHandle } from './clock';

/**
 * Calls `onIdle` once nothing has touched it for `minutes`. Activity only stamps a time (cheap on every call);
 * the single timer re-arms itself for the remaining time when it fires early.
 */
export class AutoLock {
  readonly #clock: Clock;
  readonly #onIdle: () => void;
  #minutes = 0;
  #last = 0;
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, onIdle: () => void) {
    this.#clock = clock;
    this.#onIdle = onIdle;
  }

  /** Starts (or restarts) watching with the given idle limit; 0 disables. */
  start(minutes: number): void {
    this.stop();
    this.#minutes = minutes;
    this.#last = this.#clock.now();
    this.#arm(this.#idleMs());
  }

  /** Records activity. */
  touch(): void {
    this.#last = this.#clock.now();
  }

  /** Stops watching (on lock). */
  stop(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #idleMs(): number {
    return this.#minutes * 60_000;
  }

  #arm(ms: number): void {
    if (this.#minutes <= 0) return;
    this.#timer = this.#clock.setTimer(() => this.#fire(), ms);
  }

  #fire(): void {
    this.#timer = null;
    const idle = this.#clock.now() - this.#last;
    if (idle >= this.#idleMs()) this.#onIdle();
    else this.#arm(this.#idleMs() - idle);
  }
}

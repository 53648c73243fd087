/** How long the cursor stays in each phase (xterm's own blink interval). */
export const BLINK_INTERVAL_MS = 600;

export interface CursorBlinkOptions {
  intervalMs?: number;
  setTimeout?: (fn: () => void, ms: number) => number;
  clearTimeout?: (id: number) => void;
}

/**
 * A blinking cursor for xterm's DOM renderer driven by a timer, never by a running CSS animation.
 * Why: xterm's DOM renderer blinks with an infinite CSS animation, so the page always has a frame coming; Chromium
 * holds back other tasks after a key press until the next frame (DeferRendererTasksAfterInput, on by default), and
 * with a frame always pending that is every key: the echo's WebSocket message waited ~12 ms for it
 * (`npm run bench -- peer`: p50 16 ms through DevTools key events, 4 ms without the animation). A timer flips a
 * class twice a blink period instead, so between flips nothing is pending and a key's echo is handled as it arrives.
 * While the user types the cursor stays solid (the phase restarts on every key), and the key's own task never
 * changes the page: a hidden cursor is shown from a later task.
 */
export class CursorBlink {
  readonly #setHidden: (hidden: boolean) => void;
  readonly #intervalMs: number;
  readonly #setTimeout: (fn: () => void, ms: number) => number;
  readonly #clearTimeout: (id: number) => void;
  #enabled = false;
  #focused = false;
  #hidden = false;
  #timer: number | undefined;

  /** `setHidden` shows or hides the cursor (a class on the terminal's element). */
  constructor(setHidden: (hidden: boolean) => void, opts: CursorBlinkOptions = {}) {
    this.#setHidden = setHidden;
    this.#intervalMs = opts.intervalMs ?? BLINK_INTERVAL_MS;
    this.#setTimeout = opts.setTimeout ?? ((fn, ms) => window.setTimeout(fn, ms));
    this.#clearTimeout = opts.clearTimeout ?? ((id) => window.clearTimeout(id));
  }

  /** Blinking wanted (the setting is on and this renderer has no blink of its own). */
  set enabled(on: boolean) {
    if (on === this.#enabled) return;
    this.#enabled = on;
    this.#restart();
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** The terminal gained or lost focus (an unfocused terminal shows a steady outline cursor). */
  focus(focused: boolean): void {
    if (focused === this.#focused) return;
    this.#focused = focused;
    this.#restart();
  }

  /** The user typed: the cursor stays solid for a full period; nothing on the page changes in this task. */
  input(): void {
    if (!this.#running) return;
    this.#arm(this.#hidden ? 0 : this.#intervalMs);
  }

  /** Stops for good, cursor shown. */
  dispose(): void {
    this.#enabled = false;
    this.#restart();
  }

  get #running(): boolean {
    return this.#enabled && this.#focused;
  }

  #restart(): void {
    if (this.#timer !== undefined) this.#clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#hidden) {
      this.#hidden = false;
      this.#setHidden(false);
    }
    if (this.#running) this.#arm(this.#intervalMs);
  }

  #arm(ms: number): void {
    if (this.#timer !== undefined) this.#clearTimeout(this.#timer);
    this.#timer = this.#setTimeout(() => this.#tick(), ms);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#hidden = !this.#hidden;
    this.#setHidden(this.#hidden);
    this.#arm(this.#intervalMs);
  }
}

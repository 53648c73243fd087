/** DEC private mode 2026 (synchronized output): xterm buffers screen updates between set and reset. */
export const SYNC_BEGIN = '\x1b[?2026h';
export const SYNC_END = '\x1b[?2026l';
/** The bytes every set/reset of mode 2026 starts with ("ESC [ ? 2026"). */
const SYNC_PREFIX = [0x1b, 0x5b, 0x3f, 0x32, 0x30, 0x32, 0x36];

/** What the gate drives: a pane's xterm. */
export interface GateTarget {
  write(data: Uint8Array | string, parsed?: () => void): void;
  /** True while synchronized output is on (xterm's `term.modes.synchronizedOutputMode`). */
  readonly syncOutput: boolean;
}

export interface FloodGateOptions {
  /** Output faster than this many bytes per frame interval is a flood (default 256 KiB, ~2.5 MiB/s). */
  floodBytes?: number;
  /** While flooding, the screen is repainted once per this many ms (default 100: 10 frames a second). */
  frameMs?: number;
  /** The flood is over when no output arrived for this long; the screen is repainted at once (default 20 ms). */
  idleMs?: number;
  setTimeout?: (fn: () => void, ms: number) => number;
  clearTimeout?: (id: number) => void;
  now?: () => number;
  /** Runs `fn` after the next paint opportunity (default requestAnimationFrame). */
  nextFrame?: (fn: () => void) => void;
}

/** True when `data` contains a set/reset of mode 2026 (only whole sequences within one chunk are seen). */
export function mentionsSyncOutput(data: Uint8Array | string): boolean {
  if (typeof data === 'string') return data.includes('\x1b[?2026');
  // Anchored on '?', which is rare in output (ESC is in every colour change): "ESC [" before it, "2026" after.
  for (let i = data.indexOf(0x3f, 2); i !== -1 && i + 4 < data.length; i = data.indexOf(0x3f, i + 1)) {
    if (data[i - 1] !== 0x5b || data[i - 2] !== 0x1b) continue;
    let j = 3;
    while (j < SYNC_PREFIX.length && data[i + j - 2] === SYNC_PREFIX[j]) j++;
    if (j === SYNC_PREFIX.length) return true;
  }
  return false;
}

/**
 * Caps a flooding pane's repaints at a few frames a second so the terminal spends its time parsing, not drawing.
 * Why: xterm repaints on every animation frame whose rows changed; during a flood (cat of a big log) the DOM
 * renderer's layout and paint took most of the renderer's time and made output arrive several times slower than
 * xterm can parse it (`npm run bench -- terminal-ui`). While output arrives faster than `floodBytes` per `frameMs`,
 * the gate wraps it in synchronized output (mode 2026, which xterm supports: updates are buffered, parsing goes on)
 * and lets one frame be painted every `frameMs`; the moment output pauses for `idleMs` the screen is painted.
 * Interactive output (keystrokes, prompts, full-screen programs) never reaches the threshold and is drawn at once.
 * Programs that use mode 2026 themselves are left alone: the gate stands aside for the rest of the session.
 */
export class FloodGate {
  readonly #target: GateTarget;
  readonly #floodBytes: number;
  readonly #frameMs: number;
  readonly #idleMs: number;
  readonly #setTimeout: (fn: () => void, ms: number) => number;
  readonly #clearTimeout: (id: number) => void;
  readonly #nextFrame: (fn: () => void) => void;
  /** Bytes received since the current frame interval began. */
  #bytes = 0;
  /** idle: drawing normally; holding: mode 2026 set by us; painting: reset by us for one frame. */
  #state: 'idle' | 'holding' | 'painting' = 'idle';
  #appSync = false;
  #frameTimer: number | undefined;
  #idleTimer: number | undefined;
  #frames = 0;
  #floods = 0;
  #lastWriteAt = 0;
  readonly #now: () => number;

  constructor(target: GateTarget, opts: FloodGateOptions = {}) {
    this.#target = target;
    this.#floodBytes = opts.floodBytes ?? 256 * 1024;
    this.#frameMs = opts.frameMs ?? 100;
    this.#idleMs = opts.idleMs ?? 20;
    this.#setTimeout = opts.setTimeout ?? ((fn, ms) => window.setTimeout(fn, ms));
    this.#clearTimeout = opts.clearTimeout ?? ((id) => window.clearTimeout(id));
    this.#now = opts.now ?? (() => performance.now());
    this.#nextFrame = opts.nextFrame ?? ((fn) => window.requestAnimationFrame(() => fn()));
  }

  /** True while repaints are being held back (between frames of a flood). */
  get holding(): boolean {
    return this.#state !== 'idle';
  }

  /** How many floods were held back so far (for tests and diagnostics). */
  get floods(): number {
    return this.#floods;
  }

  /** Frames painted in the middle of floods (for tests and diagnostics). */
  get framesReleased(): number {
    return this.#frames;
  }

  /** Passes `data` on to the terminal; `parsed` runs once xterm has processed it. */
  write(data: Uint8Array | string, parsed?: () => void): void {
    if (!this.#appSync && mentionsSyncOutput(data)) {
      this.#appSync = true; // the program paces its own frames
      this.#release();
    }
    this.#bytes += typeof data === 'string' ? data.length : data.byteLength;
    if (this.#state === 'idle' && !this.#appSync && this.#bytes >= this.#floodBytes && !this.#target.syncOutput) {
      this.#state = 'holding';
      this.#floods++;
      this.#target.write(SYNC_BEGIN);
    }
    this.#target.write(data, parsed);
    this.#frameTimer ??= this.#setTimeout(() => this.#frame(), this.#frameMs);
    if (this.#state !== 'idle') {
      this.#lastWriteAt = this.#now();
      this.#idleTimer ??= this.#setTimeout(() => this.#idleCheck(), this.#idleMs);
    }
  }

  /** Releases once no output came for idleMs (one timer per idle period, not one per write). */
  #idleCheck(): void {
    const quiet = this.#now() - this.#lastWriteAt;
    this.#idleTimer = undefined;
    if (quiet >= this.#idleMs) this.#release();
    else this.#idleTimer = this.#setTimeout(() => this.#idleCheck(), this.#idleMs - quiet);
  }

  /** Stops holding (the pane is closing or its session changes): what was held is drawn. */
  dispose(): void {
    this.#release();
    if (this.#frameTimer !== undefined) this.#clearTimeout(this.#frameTimer);
    this.#frameTimer = undefined;
  }

  /** End of a frame interval: paint what arrived, and hold again after that frame if the flood goes on. */
  #frame(): void {
    this.#frameTimer = undefined;
    const flooding = this.#bytes >= this.#floodBytes;
    this.#bytes = 0;
    if (this.#state !== 'holding') return;
    if (!flooding) return this.#release();
    this.#frames++;
    this.#state = 'painting';
    // xterm skips a paint whose frame comes after the mode was set again, so set it only once that frame ran
    // (xterm asked for its frame when it parsed the reset, before this callback asks for the next one).
    this.#target.write(SYNC_END, () =>
      this.#nextFrame(() => {
        if (this.#state !== 'painting') return;
        this.#state = 'holding';
        this.#target.write(SYNC_BEGIN);
      }),
    );
    this.#frameTimer = this.#setTimeout(() => this.#frame(), this.#frameMs);
  }

  #release(): void {
    if (this.#idleTimer !== undefined) this.#clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const was = this.#state;
    this.#state = 'idle';
    if (was === 'holding') this.#target.write(SYNC_END);
  }
}

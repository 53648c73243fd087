/** What the feeder writes into: xterm's `write` (data is parsed later; `parsed` runs once it has been). */
export interface FeedTarget {
  write(data: Uint8Array | string, parsed?: () => void): void;
}

export interface WriteFeederOptions {
  /** Hand xterm at most about this many bytes at a time (default 256 KiB, ~3 ms of parsing). */
  batchBytes?: number;
  /** Runs `fn` in a fresh task that is not a timer (default: a MessageChannel message). */
  post?: (fn: () => void) => void;
}

interface Pending {
  data: Uint8Array | string;
  parsed: (() => void) | undefined;
}

/** A task that is not a timer: MessageChannel messages are never clamped, unlike nested setTimeout(0). */
function messageChannelPost(): { post: (fn: () => void) => void; close: () => void } {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return {
    post: (fn) => {
      queue.push(fn);
      channel.port2.postMessage(null);
    },
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/**
 * Feeds session output to xterm a batch at a time, starting each batch from a task that is not a timer.
 * Why: xterm parses its write queue in 12 ms slices and continues with setTimeout(0) from inside its own timer; in
 * a long flood those timers nest, and browsers clamp nested timers to at least 4 ms — a quarter of the renderer's
 * time spent waiting (the gap between the chunked and the single in-page write in `npm run bench -- terminal-ui`).
 * Handing xterm only what it parses well within one slice, and the next batch from a MessageChannel task once the
 * previous one is parsed, keeps every xterm timer at nesting level one. Bounded: what waits here is output the
 * core counts as unacknowledged (acks come from the parsed callbacks), so it never exceeds the flow-control window.
 */
export class WriteFeeder {
  readonly #target: FeedTarget;
  readonly #batchBytes: number;
  readonly #post: (fn: () => void) => void;
  readonly #close: () => void;
  readonly #queue: Pending[] = [];
  #inFlight = false;
  #posted = false;

  constructor(target: FeedTarget, opts: WriteFeederOptions = {}) {
    this.#target = target;
    this.#batchBytes = opts.batchBytes ?? 256 * 1024;
    const own = opts.post ? null : messageChannelPost();
    this.#post = opts.post ?? own!.post;
    this.#close = own?.close ?? (() => undefined);
  }

  /** Drops what still waits (the terminal is going away) and releases the message channel. */
  dispose(): void {
    this.#queue.length = 0;
    this.#close();
  }

  /** Bytes waiting here for xterm (not yet handed over). */
  get queuedBytes(): number {
    return this.#queue.reduce((n, p) => n + size(p.data), 0);
  }

  write(data: Uint8Array | string, parsed?: () => void): void {
    this.#queue.push({ data, parsed });
    if (!this.#inFlight && !this.#posted) this.#feed();
  }

  #feed(): void {
    this.#posted = false;
    if (this.#queue.length === 0) return;
    this.#inFlight = true;
    let bytes = 0;
    while (this.#queue.length > 0 && (bytes === 0 || bytes + size(this.#queue[0]!.data) <= this.#batchBytes)) {
      const next = this.#queue.shift()!;
      bytes += size(next.data);
      const last = this.#queue.length === 0 || bytes + size(this.#queue[0]!.data) > this.#batchBytes;
      this.#target.write(next.data, last ? () => this.#batchParsed(next.parsed) : next.parsed);
    }
  }

  #batchParsed(parsed: (() => void) | undefined): void {
    parsed?.();
    this.#inFlight = false;
    if (this.#queue.length > 0 && !this.#posted) {
      this.#posted = true;
      this.#post(() => this.#feed());
    }
  }
}

const size = (d: Uint8Array | string): number => (typeof d === 'string' ? d.length : d.byteLength);

/**
 * Cuts the remote loop's output stream into snapshots. The loop prints `@@<tag> begin N`, then `@@<tag> <section>`
 * before each section's text, then `@@<tag> end N` (see metrics-script.ts); chunks from the channel split lines
 * anywhere, so the framer keeps the unfinished line. A snapshot that does not end within `maxSnapshotBytes` (a
 * runaway df, garbage) is dropped and counted, and the buffer never grows past that bound.
 */
import type { SnapshotSections } from './sample-compute';

/** Callbacks of a {@link SnapshotFramer}. */
export interface FramerEvents {
  /** A complete snapshot: its sequence number (per channel, from 1) and sections by name. */
  snapshot(seq: number, sections: SnapshotSections): void;
  /** A snapshot was dropped (too large, or a begin without its end); `why` is for the log. */
  dropped?(why: string): void;
}

/** Splits one channel's stdout (the loop with marker tag `tag`) into snapshots. */
export class SnapshotFramer {
  readonly #prefix: string;
  readonly #events: FramerEvents;
  readonly #max: number;
  #partial = '';
  #seq: number | null = null;
  #sections = new Map<string, string[]>();
  #current: string[] | null = null;
  #bytes = 0;

  constructor(tag: string, events: FramerEvents, maxSnapshotBytes = 4 * 1024 * 1024) {
    this.#prefix = `@@${tag} `;
    this.#events = events;
    this.#max = maxSnapshotBytes;
  }

  /** Feeds the next chunk of stdout. */
  push(chunk: Buffer | string): void {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#line(line);
    if (this.#partial.length > this.#max) {
      // A line this long is not from /proc or df: drop it and whatever snapshot it was in.
      this.#partial = '';
      this.#abandon('a line over the size limit');
    }
  }

  #line(line: string): void {
    if (line.startsWith(this.#prefix)) {
      this.#marker(line.slice(this.#prefix.length));
      return;
    }
    if (this.#current === null) return; // outside a section: ignore
    this.#bytes += line.length + 1;
    if (this.#bytes > this.#max) {
      this.#abandon('a snapshot over the size limit');
      return;
    }
    this.#current.push(line);
  }

  #marker(rest: string): void {
    const [word = '', arg] = rest.split(' ');
    if (word === 'begin') {
      if (this.#seq !== null) this.#abandon('a snapshot without its end');
      this.#seq = Number(arg);
      return;
    }
    if (this.#seq === null) return; // tail of a dropped snapshot
    if (word === 'end') {
      const sections = new Map([...this.#sections].map(([name, l]) => [name, l.join('\n')]));
      const seq = this.#seq;
      this.#reset();
      if (Number(arg) === seq) this.#events.snapshot(seq, sections);
      else this.#events.dropped?.('an end marker of another snapshot');
      return;
    }
    this.#current = [];
    this.#sections.set(word, this.#current);
  }

  #abandon(why: string): void {
    this.#reset();
    this.#events.dropped?.(why);
  }

  #reset(): void {
    this.#seq = null;
    this.#sections = new Map();
    this.#current = null;
    this.#bytes = 0;
  }
}

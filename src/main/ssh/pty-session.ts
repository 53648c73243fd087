import type { ClientChannel } from 'ssh2';
import type { ConnectionManager, SshLease } from './connection-manager';
import type { SshTarget } from './ssh.types';

/** Terminal size and flow-control tuning of a {@link PtySession}. */
export interface PtyOptions {
  cols: number;
  rows: number;
  /** TERM for the remote side (default xterm-256color). */
  term?: string;
  /** Flush batched output at most this often (default 16 ms: one frame). */
  flushIntervalMs?: number;
  /** ...or as soon as this many bytes are batched (default 64 KiB). */
  flushBytes?: number;
  /** Pause the channel when this many emitted bytes are unacknowledged (default 1 MiB). */
  highWaterBytes?: number;
  /** Resume once the consumer has caught up below this (default 256 KiB). */
  lowWaterBytes?: number;
  /** Refuse writes while this much input is still queued for the server (default 4 MiB). */
  maxWriteQueueBytes?: number;
}

/** Why a session ended: the shell exited, the connection dropped, or it was closed (by us or the server). */
export type PtyEnd =
  { reason: 'exit'; code: number | null; signal: string | null } | { reason: 'dropped' } | { reason: 'closed' };

/** Flow-control counters, for tests and diagnostics. */
export interface PtyStats {
  /** Bytes emitted and not yet acknowledged. */
  unacked: number;
  /** Highest value `unacked` reached. */
  maxUnacked: number;
  /** Bytes received but not yet emitted (the current batch). */
  batched: number;
  paused: boolean;
  /** How many times the channel was paused. */
  pauses: number;
  /** Total bytes emitted. */
  bytesOut: number;
}

type Listener<T> = (value: T) => void;

/**
 * An interactive shell with a PTY on a pooled connection, with bounded buffering end to end.
 * Why the ack protocol: a terminal that renders slower than the server prints (yes, cat of a big log) must not
 * make the core buffer without limit. Output is batched (≤ one frame or 64 KiB) and counted as unacknowledged until
 * the consumer calls ack(); above the high-water mark the ssh2 channel is paused, so ssh2 stops granting window and
 * the server stops sending — the backpressure reaches the remote process itself.
 */
export class PtySession {
  readonly #stream: ClientChannel;
  readonly #lease: SshLease;
  readonly #flushMs: number;
  readonly #flushBytes: number;
  readonly #high: number;
  readonly #low: number;
  readonly #maxWrite: number;
  readonly #data = new Set<Listener<Buffer>>();
  readonly #end = new Set<Listener<PtyEnd>>();
  #batch: Buffer[] = [];
  #batched = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #lastFlushAt = 0;
  #unacked = 0;
  #maxUnacked = 0;
  #paused = false;
  #pauses = 0;
  #bytesOut = 0;
  #exit: { code: number | null; signal: string | null } | undefined;
  #closedByUs = false;
  #ended: PtyEnd | undefined;

  /** Opens a shell on `target` (sharing its pooled connection). */
  static async open(manager: ConnectionManager, target: SshTarget, opts: PtyOptions): Promise<PtySession> {
    const lease = await manager.acquire(target);
    try {
      const stream = await manager.openShell(lease, {
        term: opts.term ?? 'xterm-256color',
        cols: opts.cols,
        rows: opts.rows,
      });
      return new PtySession(stream, lease, opts);
    } catch (e) {
      lease.release();
      throw e;
    }
  }

  private constructor(stream: ClientChannel, lease: SshLease, opts: PtyOptions) {
    this.#stream = stream;
    this.#lease = lease;
    this.#flushMs = opts.flushIntervalMs ?? 16;
    this.#flushBytes = opts.flushBytes ?? 64 * 1024;
    this.#high = opts.highWaterBytes ?? 1024 * 1024;
    this.#low = Math.min(opts.lowWaterBytes ?? 256 * 1024, this.#high);
    this.#maxWrite = opts.maxWriteQueueBytes ?? 4 * 1024 * 1024;
    const onChunk = (d: Buffer): void => this.#receive(d);
    stream.on('data', onChunk);
    stream.stderr.on('data', onChunk);
    stream.on('exit', (code: number | null, signal?: string) => {
      this.#exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
    });
    stream.on('error', () => undefined); // 'close' follows and says how it ended
    stream.once('close', () => this.#finish());
  }

  /** Subscribes to output batches; returns an unsubscribe function. Acknowledge each batch's length with ack(). */
  onData(listener: Listener<Buffer>): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  /** Subscribes to the end of the session (called once). */
  onEnd(listener: Listener<PtyEnd>): () => void {
    if (this.#ended !== undefined) {
      const ended = this.#ended;
      queueMicrotask(() => listener(ended));
      return () => undefined;
    }
    this.#end.add(listener);
    return () => this.#end.delete(listener);
  }

  /** The consumer has processed `bytes` more output; resumes the channel below the low-water mark. */
  ack(bytes: number): void {
    if (!Number.isFinite(bytes) || bytes <= 0) return;
    this.#unacked = Math.max(0, this.#unacked - bytes);
    if (this.#paused && this.#unacked + this.#batched <= this.#low) {
      this.#paused = false;
      this.#stream.resume();
    }
    // The consumer caught up while a batch waits for its timer: send it now rather than at the timer.
    if (this.#unacked === 0 && this.#timer !== undefined) this.#scheduleFlushNow();
  }

  /**
   * A new consumer took over (a reloaded window re-attached): what was sent to the old one will never be acknowledged,
   * so the count starts again from zero and a paused channel resumes.
   */
  resetFlow(): void {
    this.#unacked = 0;
    if (this.#paused && this.#batched <= this.#low) {
      this.#paused = false;
      this.#stream.resume();
    }
  }

  /** Sends keystrokes / pasted text. Returns false (and drops it) if too much input is already queued. */
  write(data: string | Buffer): boolean {
    if (this.#ended !== undefined) return false;
    if (this.#stream.writableLength > this.#maxWrite) return false;
    this.#stream.write(data);
    return true;
  }

  /** Tells the remote PTY its new size (SSH window-change). */
  resize(cols: number, rows: number): void {
    if (this.#ended === undefined) this.#stream.setWindow(rows, cols, 0, 0);
  }

  /** Closes the shell channel (the shared connection stays for others until its idle grace ends). */
  close(): void {
    if (this.#ended !== undefined) return;
    this.#closedByUs = true;
    this.#stream.close();
  }

  /** True once the session has ended. */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  get stats(): PtyStats {
    return {
      unacked: this.#unacked,
      maxUnacked: this.#maxUnacked,
      batched: this.#batched,
      paused: this.#paused,
      pauses: this.#pauses,
      bytesOut: this.#bytesOut,
    };
  }

  #receive(d: Buffer): void {
    // A batch never grows past flushBytes by a chunk: flush what waits first. (Overshooting made terminal.service
    // cut each batch into 64 KiB plus a few-KiB remainder: twice the events, each with its own cost in the renderer.)
    if (this.#batched > 0 && this.#batched + d.length > this.#flushBytes) this.#flush();
    this.#batch.push(d);
    this.#batched += d.length;
    if (!this.#paused && this.#unacked + this.#batched >= this.#high) {
      this.#paused = true;
      this.#pauses++;
      this.#stream.pause();
    }
    if (this.#batched >= this.#flushBytes) return this.#flush();
    if (this.#immediate !== undefined) return;
    // Adaptive batching: when the consumer has rendered everything sent so far (a keystroke's echo) or output
    // was quiet for a batch interval, flush on the next turn, so typing pays no batching delay. Only while the
    // consumer is behind and output streams are messages coalesced, up to flushIntervalMs or flushBytes each.
    const sinceLast = performance.now() - this.#lastFlushAt;
    if (this.#unacked === 0 || sinceLast >= this.#flushMs) this.#scheduleFlushNow();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#flushMs - sinceLast);
  }

  #scheduleFlushNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#immediate ??= setImmediate(() => this.#flush());
  }

  #flush(): void {
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
    if (this.#batched === 0) return;
    this.#lastFlushAt = performance.now();
    const chunk = this.#batch.length === 1 ? (this.#batch[0] as Buffer) : Buffer.concat(this.#batch, this.#batched);
    this.#batch = [];
    this.#batched = 0;
    this.#unacked += chunk.length;
    this.#bytesOut += chunk.length;
    if (this.#unacked > this.#maxUnacked) this.#maxUnacked = this.#unacked;
    for (const l of this.#data) l(chunk);
  }

  #finish(): void {
    if (this.#ended !== undefined) return;
    this.#flush();
    // ssh2 emits the connection's 'close' before it closes its channels, so lease.closed is already true when the
    // channel closed because the connection dropped; a shell that exited first closes its channel before that.
    // (While paused, ssh2 delays the channel's 'close' until the buffered output has been read: nothing is lost.)
    const end: PtyEnd = this.#closedByUs
      ? { reason: 'closed' }
      : this.#lease.closed
        ? { reason: 'dropped' }
        : this.#exit !== undefined
          ? { reason: 'exit', ...this.#exit }
          : { reason: 'closed' };
    this.#ended = end;
    this.#lease.release();
    for (const l of this.#end) l(end);
    this.#end.clear();
    this.#data.clear();
  }
}

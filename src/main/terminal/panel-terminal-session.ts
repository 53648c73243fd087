import { AppError, isAppError } from '../../shared/errors';
import type { SessionState } from '../ssh/reconnecting-session';
import type { TerminalSession } from './terminal-session';

/** A panel's web terminal as the session needs it (NexusTerminal has this shape). */
export interface PanelTerminal {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(cb: (data: string) => void): () => void;
  onClose(cb: (e: { code: number; reason: string }) => void): () => void;
  pause(): void;
  resume(): void;
  close(): void;
}

/** Flow-control marks of a {@link PanelTerminalSession} (the same defaults as a PtySession's). */
export interface PanelFlowOptions {
  readonly highWaterBytes?: number;
  readonly lowWaterBytes?: number;
}

/**
 * A panel's web terminal (a NexusPanel server's WebSocket shell) as a terminal session: output is counted until
 * the UI acknowledges it and the socket stops being read above the high-water mark, like a PtySession pauses its
 * channel. It does not reconnect: a socket that ends closes the session (the user presses Reconnect), since a new
 * web shell is a new login on the panel. A first open that fails closes it as 'failed' with the cause.
 */
export class PanelTerminalSession implements TerminalSession {
  readonly #open: () => Promise<PanelTerminal>;
  readonly #high: number;
  readonly #low: number;
  readonly #stateListeners = new Set<(s: SessionState) => void>();
  readonly #dataListeners = new Set<(d: Buffer) => void>();
  #term: PanelTerminal | undefined;
  #state: SessionState = { state: 'connecting' };
  #size: { cols: number; rows: number };
  #unacked = 0;
  #paused = false;
  #closedByUs = false;

  constructor(open: () => Promise<PanelTerminal>, size: { cols: number; rows: number }, flow: PanelFlowOptions = {}) {
    this.#open = open;
    this.#size = { ...size };
    this.#high = flow.highWaterBytes ?? 1024 * 1024;
    this.#low = Math.min(flow.lowWaterBytes ?? 256 * 1024, this.#high);
  }

  get state(): SessionState {
    return this.#state;
  }

  get live(): boolean {
    return this.#term !== undefined && this.#state.state === 'connected';
  }

  onState(l: (s: SessionState) => void): () => void {
    this.#stateListeners.add(l);
    return () => this.#stateListeners.delete(l);
  }

  onData(l: (d: Buffer) => void): () => void {
    this.#dataListeners.add(l);
    return () => this.#dataListeners.delete(l);
  }

  onReconnected(): () => void {
    return () => undefined; // never reconnects
  }

  async start(): Promise<SessionState> {
    this.#emit({ state: 'connecting' });
    let term: PanelTerminal;
    try {
      term = await this.#open();
    } catch (e) {
      const error = isAppError(e) ? e : new AppError('CONNECTION_FAILED', 'Could not open the panel terminal.');
      this.#emit({ state: 'closed', reason: 'failed', code: null, error });
      return this.#state;
    }
    if (this.#state.state === 'closed') {
      term.close();
      return this.#state;
    }
    this.#term = term;
    // The size may have changed while the socket opened (it was opened with the first one).
    term.resize(this.#size.cols, this.#size.rows);
    term.onData((text) => this.#receive(Buffer.from(text, 'utf8')));
    term.onClose((e) => {
      this.#term = undefined;
      this.#emit(
        this.#closedByUs || e.code === 1000
          ? { state: 'closed', reason: this.#closedByUs ? 'closed' : 'exit', code: null, error: null }
          : {
              state: 'closed',
              reason: 'failed',
              code: null,
              error: new AppError('CONNECTION_FAILED', `The panel terminal closed (WebSocket code ${e.code}).`),
            },
      );
    });
    this.#emit({ state: 'connected', reconnected: false });
    return this.#state;
  }

  write(data: string): boolean {
    if (!this.live || this.#term === undefined) return false;
    this.#term.write(data);
    return true;
  }

  ack(bytes: number): void {
    if (!Number.isFinite(bytes) || bytes <= 0) return;
    this.#unacked = Math.max(0, this.#unacked - bytes);
    if (this.#paused && this.#unacked <= this.#low) this.#resume();
  }

  resetFlow(): void {
    this.#unacked = 0;
    if (this.#paused) this.#resume();
  }

  resize(cols: number, rows: number): void {
    this.#size = { cols, rows };
    if (this.live) this.#term?.resize(cols, rows);
  }

  retryNow(): void {
    // nothing to retry: a panel terminal does not reconnect
  }

  close(): void {
    if (this.#state.state === 'closed') return;
    this.#closedByUs = true;
    const term = this.#term;
    this.#term = undefined;
    term?.close();
    this.#emit({ state: 'closed', reason: 'closed', code: null, error: null });
  }

  #receive(d: Buffer): void {
    if (d.length === 0) return;
    this.#unacked += d.length;
    if (!this.#paused && this.#unacked >= this.#high) {
      this.#paused = true;
      this.#term?.pause();
    }
    for (const l of this.#dataListeners) l(d);
  }

  #resume(): void {
    this.#paused = false;
    this.#term?.resume();
  }

  #emit(s: SessionState): void {
    if (this.#state.state === 'closed') return;
    this.#state = s;
    for (const l of this.#stateListeners) l(s);
  }
}

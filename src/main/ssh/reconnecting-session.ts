import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { ConnectionManager } from './connection-manager';
import { PtySession, type PtyEnd, type PtyOptions } from './pty-session';
import { describeTarget, type SshTarget } from './ssh.types';

/** Backoff policy of a {@link ReconnectingSession}. */
export interface ReconnectOptions {
  /** Reconnect at all (default true). Off: a drop ends the session. */
  enabled?: boolean;
  /** First retry delay (default 500 ms), multiplied by `factor` (default 2) per attempt up to `maxDelayMs` (30 s). */
  initialDelayMs?: number;
  factor?: number;
  maxDelayMs?: number;
  /** Give up after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

/** The states the UI shows; `attempt` counts retries since the last success. */
export type SessionState =
  | { state: 'connecting' }
  | { state: 'connected'; reconnected: boolean }
  | { state: 'reconnecting'; attempt: number; delayMs: number; error: string | null; errorCode: ErrorCode | null }
  | { state: 'closed'; reason: 'exit' | 'closed' | 'failed'; code: number | null; error: AppError | null };

/**
 * Errors a retry cannot fix: the user has to act (wrong password, host key question, ...).
 * VAULT_LOCKED is not among them: a session that drops while the vault is locked keeps retrying with backoff and
 * reconnects once the vault is unlocked again (the owner calls {@link ReconnectingSession.retryNow} on unlock).
 */
const FATAL = new Set(['AUTH_FAILED', 'HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN', 'NOT_FOUND', 'VALIDATION']);

/**
 * A terminal that survives connection drops: when the connection goes away (keepalive failure, sshd restart) it
 * retries with exponential backoff, opens a fresh shell, and tells the UI with a 'reconnected' marker so the old
 * scrollback can stay above it. A shell that exits, or close(), ends it for good.
 */
export class ReconnectingSession {
  readonly #manager: ConnectionManager;
  readonly #logger: Logger;
  readonly #target: SshTarget;
  readonly #pty: PtyOptions;
  readonly #opts: Required<ReconnectOptions>;
  readonly #stateListeners = new Set<(s: SessionState) => void>();
  readonly #dataListeners = new Set<(d: Buffer) => void>();
  readonly #markerListeners = new Set<(m: { attempt: number; downtimeMs: number }) => void>();
  #session: PtySession | undefined;
  #state: SessionState = { state: 'connecting' };
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;

  constructor(
    deps: { manager: ConnectionManager; logger: Logger },
    target: SshTarget,
    pty: PtyOptions,
    reconnect: ReconnectOptions = {},
  ) {
    this.#manager = deps.manager;
    this.#logger = deps.logger;
    this.#target = target;
    this.#pty = { ...pty };
    this.#opts = {
      enabled: reconnect.enabled ?? true,
      initialDelayMs: reconnect.initialDelayMs ?? 500,
      factor: reconnect.factor ?? 2,
      maxDelayMs: reconnect.maxDelayMs ?? 30_000,
      maxAttempts: reconnect.maxAttempts ?? Number.POSITIVE_INFINITY,
    };
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The current shell (changes on reconnect), for stats. */
  get current(): PtySession | undefined {
    return this.#session;
  }

  onState(l: (s: SessionState) => void): () => void {
    this.#stateListeners.add(l);
    return () => this.#stateListeners.delete(l);
  }

  onData(l: (d: Buffer) => void): () => void {
    this.#dataListeners.add(l);
    return () => this.#dataListeners.delete(l);
  }

  /** A fresh shell replaced a dropped one: draw a divider; the old scrollback stays above it. */
  onReconnected(l: (m: { attempt: number; downtimeMs: number }) => void): () => void {
    this.#markerListeners.add(l);
    return () => this.#markerListeners.delete(l);
  }

  /**
   * Connects the first time. Resolves when connected or closed. A first connection that fails is not retried: it
   * closes at once with the cause (which hop, refused / timed out / no route / auth), and the user decides whether
   * to try again. Reconnecting is only for a connection that once worked (what PuTTY, Windows Terminal and
   * Tabby do too: a typo in a host or port should not spin forever hiding the reason).
   */
  async start(): Promise<SessionState> {
    this.#emit({ state: 'connecting' });
    await this.#connectLoop(false, performance.now());
    return this.#state;
  }

  ack(bytes: number): void {
    this.#session?.ack(bytes);
  }

  /** A new consumer took over: see {@link PtySession.resetFlow}. */
  resetFlow(): void {
    this.#session?.resetFlow();
  }

  write(data: string | Buffer): boolean {
    return this.#session?.write(data) ?? false;
  }

  /** True while a shell is attached and running: input has somewhere to go. */
  get live(): boolean {
    return this.#session !== undefined && !this.#session.ended && this.#state.state === 'connected';
  }

  resize(cols: number, rows: number): void {
    this.#pty.cols = cols;
    this.#pty.rows = rows;
    this.#session?.resize(cols, rows);
  }

  /** Cuts the current backoff wait short (e.g. the vault was just unlocked); no-op unless waiting to retry. */
  retryNow(): void {
    if (this.#wakeRetry === undefined) return;
    clearTimeout(this.#timer);
    this.#wakeRetry();
  }

  /** Ends the session and any pending retry. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#wakeRetry?.();
    this.#session?.close();
    this.#emit({ state: 'closed', reason: 'closed', code: null, error: null });
  }

  #emit(s: SessionState): void {
    if (this.#state.state === 'closed') return;
    this.#state = s;
    for (const l of this.#stateListeners) l(s);
  }

  /** Opens a shell, retrying transient failures with exponential backoff; `reconnecting` marks a replacement. */
  async #connectLoop(reconnecting: boolean, since: number): Promise<void> {
    for (let failures = 0; !this.#closed;) {
      try {
        const session = await PtySession.open(this.#manager, this.#target, this.#pty);
        if (this.#closed) {
          session.close();
          return;
        }
        this.#attach(session);
        this.#emit({ state: 'connected', reconnected: reconnecting });
        if (reconnecting) {
          const m = { attempt: failures + 1, downtimeMs: Math.round(performance.now() - since) };
          this.#logger.info('ssh.session.reconnected', { targetId: this.#target.id, ...m });
          for (const l of this.#markerListeners) l(m);
        }
        return;
      } catch (e) {
        const err = isAppError(e) ? e : new AppError('CONNECTION_FAILED', 'Could not open the terminal.');
        failures++;
        const first = !reconnecting;
        if (first || FATAL.has(err.code) || !this.#opts.enabled || failures > this.#opts.maxAttempts) {
          this.#emit({ state: 'closed', reason: 'failed', code: null, error: err });
          return;
        }
        const delayMs = Math.min(
          this.#opts.maxDelayMs,
          this.#opts.initialDelayMs * this.#opts.factor ** (failures - 1),
        );
        this.#emit({ state: 'reconnecting', attempt: failures, delayMs, error: err.message, errorCode: err.code });
        await new Promise<void>((resolve) => {
          this.#wakeRetry = resolve;
          this.#timer = setTimeout(resolve, delayMs);
        });
        this.#wakeRetry = undefined;
      }
    }
  }

  #attach(session: PtySession): void {
    this.#session = session;
    session.onData((d) => {
      for (const l of this.#dataListeners) l(d);
    });
    session.onEnd((end: PtyEnd) => this.#onEnd(session, end));
  }

  #onEnd(session: PtySession, end: PtyEnd): void {
    if (this.#session !== session || this.#closed) return;
    this.#session = undefined;
    if (end.reason === 'exit') {
      this.#emit({ state: 'closed', reason: 'exit', code: end.code, error: null });
      return;
    }
    if (end.reason === 'closed') {
      this.#emit({ state: 'closed', reason: 'closed', code: null, error: null });
      return;
    }
    if (!this.#opts.enabled) {
      const error = new AppError('CONNECTION_FAILED', `The connection to ${describeTarget(this.#target)} was lost.`);
      this.#emit({ state: 'closed', reason: 'failed', code: null, error });
      return;
    }
    this.#logger.warn('ssh.session.dropped', { targetId: this.#target.id });
    const since = performance.now();
    this.#emit({ state: 'reconnecting', attempt: 0, delayMs: 0, error: 'The connection was lost.', errorCode: null });
    void this.#connectLoop(true, since);
  }
}

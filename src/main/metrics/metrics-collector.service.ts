import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { ConnectionManager, ExecStream, ExecStreamEnd } from '../ssh/connection-manager';
import type { SshTarget } from '../ssh/ssh.types';
import type { Clock, TimerHandle } from '../vault/clock';
import { metricsLoopArgv } from './metrics-script';
import type { MetricsSample, MetricsServerState, MetricsStateChange } from './metrics.types';
import { computeSample, parseSnapshot, type Snapshot, type SnapshotSections } from './sample-compute';
import { SnapshotFramer } from './snapshot-framer';

/** The default interval between snapshots (issue 11). */
export const DEFAULT_METRICS_INTERVAL_MS = 5_000;

/** Dependencies of {@link MetricsCollector}. */
export interface MetricsCollectorDeps {
  /** The pooled connections (only the streaming exec is used). */
  readonly manager: Pick<ConnectionManager, 'execStream'>;
  /** The SSH target of a server id, resolved at each (re)start (may throw VAULT_LOCKED, NOT_FOUND). */
  readonly target: (serverId: string) => SshTarget;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Each sample, as it arrives. */
  readonly onSample: (sample: MetricsSample) => void;
  /** Each state change (and each newly scheduled retry). */
  readonly onState?: (change: MetricsStateChange) => void;
  /** Default interval for servers started without one (default {@link DEFAULT_METRICS_INTERVAL_MS}). */
  readonly intervalMs?: number;
  /** Retry delays: `baseMs` × 2^(failures − 1), capped at `maxMs` (defaults 1 s and 5 min), ±20 % jitter. */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Random in [0, 1) for the jitter (tests pass a fixed one). */
  readonly random?: () => number;
  /**
   * Silence thresholds, measured from the last snapshot: `lateMs` (default 2 intervals + 5 s) makes the server
   * `degraded`; `deadMs` (default 4 intervals + 20 s) abandons the channel and starts a new one.
   */
  readonly watchdog?: { readonly lateMs?: number; readonly deadMs?: number };
  /** How long a stop waits for the remote loop to exit after EOF before closing the channel (default 5 s). */
  readonly stopGraceMs?: number;
}

/** Errors that retrying soon will not fix: the credentials or the host key need the user. */
const AUTH_CODES = new Set(['AUTH_FAILED', 'HOST_KEY_UNKNOWN', 'HOST_KEY_CHANGED']);

/**
 * Agentless metrics: for each started server, one long-lived exec channel over the pooled SSH connection runs the
 * POSIX sh loop of metrics-script.ts, and every snapshot it prints becomes a {@link MetricsSample}. Keeps each
 * server's {@link MetricsServerState}: a failed connect or a dropped connection is `unreachable` and retried with
 * capped exponential backoff; a refused login is `auth_failed`; a late or incomplete snapshot, or a loop that ended,
 * is `degraded`, and a channel silent for several intervals is closed and restarted. `stop` ends the remote loop
 * (EOF on its stdin) and waits for the channel to close, so nothing of it stays on the server.
 */
export class MetricsCollector {
  readonly #deps: MetricsCollectorDeps;
  readonly #servers = new Map<string, ServerLoop>();

  constructor(deps: MetricsCollectorDeps) {
    this.#deps = deps;
  }

  /**
   * Starts collecting from `serverId` (no-op if already running with the same interval; restarted with a new one).
   * Resolves at once: samples and states arrive through the callbacks.
   */
  async start(serverId: string, opts: { intervalMs?: number } = {}): Promise<void> {
    const intervalMs = opts.intervalMs ?? this.#deps.intervalMs ?? DEFAULT_METRICS_INTERVAL_MS;
    if (!Number.isFinite(intervalMs) || intervalMs < 100) {
      throw new AppError('VALIDATION', 'The metrics interval must be at least 100 ms.');
    }
    const running = this.#servers.get(serverId);
    if (running !== undefined) {
      if (running.intervalMs === intervalMs) return;
      await this.stop(serverId);
    }
    const loop = new ServerLoop(serverId, intervalMs, this.#deps);
    this.#servers.set(serverId, loop);
    loop.begin();
  }

  /** Stops collecting from `serverId` and ends its remote loop; resolves when the channel has closed. */
  async stop(serverId: string): Promise<void> {
    const loop = this.#servers.get(serverId);
    if (loop === undefined) return;
    this.#servers.delete(serverId);
    await loop.stop();
  }

  /** Stops every server (vault lock, app shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#servers.keys()].map((id) => this.stop(id)));
  }

  /** The state of a running server, or undefined when it is not collected. */
  state(serverId: string): MetricsServerState | undefined {
    return this.#servers.get(serverId)?.state;
  }

  /** The servers being collected. */
  serverIds(): string[] {
    return [...this.#servers.keys()];
  }
}

/** One server's channel, its restarts and its state. */
class ServerLoop {
  state: MetricsServerState = 'connecting';
  readonly #id: string;
  readonly intervalMs: number;
  readonly #d: MetricsCollectorDeps;
  #stopped = false;
  #stream: ExecStream | null = null;
  #prev: Snapshot | null = null;
  #failures = 0;
  #retry: TimerHandle | null = null;
  #watchdog: TimerHandle | null = null;
  #opening: Promise<void> | null = null;
  #lastError: { code: string; message: string } | undefined;

  constructor(serverId: string, intervalMs: number, deps: MetricsCollectorDeps) {
    this.#id = serverId;
    this.intervalMs = intervalMs;
    this.#d = deps;
  }

  begin(): void {
    this.#emit('connecting');
    this.#start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clear();
    // A channel being opened right now is ended like a running one, once it is open.
    await this.#opening;
    const stream = this.#stream;
    if (stream === null) return;
    // EOF first: the loop kills its sleep and exits, and the channel closes. Should it not (a server that ignores
    // EOF, a loop stuck in I/O), the channel is closed; and the stop gives up waiting after a second grace period.
    stream.end();
    const grace = this.#d.stopGraceMs ?? 5_000;
    if (!(await this.#within(stream.ended, grace))) {
      stream.close();
      if (!(await this.#within(stream.ended, grace))) {
        this.#d.logger.warn('metrics.loop.stop.timeout', { serverId: this.#id });
      }
    }
  }

  /** True if `p` settles within `ms` on the collector's clock. */
  #within(p: Promise<unknown>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#d.clock.setTimer(() => resolve(false), ms);
      void p.then(() => {
        this.#d.clock.clearTimer(timer);
        resolve(true);
      });
    });
  }

  #start(): void {
    this.#retry = null;
    const opening = this.#connect().finally(() => {
      if (this.#opening === opening) this.#opening = null;
    });
    this.#opening = opening;
  }

  async #connect(): Promise<void> {
    const tag = randomBytes(8).toString('hex');
    let stream: ExecStream;
    try {
      const target = this.#d.target(this.#id);
      stream = await this.#d.manager.execStream(target, metricsLoopArgv(this.intervalMs, tag));
    } catch (e) {
      if (!this.#stopped) this.#failed(e);
      return;
    }
    this.#stream = stream;
    void stream.ended.then((end) => this.#ended(stream, end));
    const framer = new SnapshotFramer(tag, {
      snapshot: (_seq, sections) => this.#snapshot(sections),
      dropped: (why) => this.#d.logger.warn('metrics.snapshot.dropped', { serverId: this.#id, why }),
    });
    stream.channel.on('data', (d: Buffer) => framer.push(d));
    let errBytes = 0;
    stream.channel.stderr.on('data', (d: Buffer) => {
      // A few lines for diagnosis, not a flood (the loop itself prints nothing on stderr).
      if (errBytes > 2048) return;
      errBytes += d.length;
      this.#d.logger.debug('metrics.loop.stderr', { serverId: this.#id, text: d.toString('utf8').slice(0, 512) });
    });
    if (!this.#stopped) this.#arm(1);
  }

  #snapshot(sections: SnapshotSections): void {
    if (this.#stopped) return;
    const { snapshot, missing } = parseSnapshot(sections);
    this.#arm(1);
    if (snapshot === null) {
      this.#emit('degraded', { code: 'INTERNAL', message: `Incomplete snapshot (missing ${missing.join(', ')}).` });
      return;
    }
    const sample = computeSample(this.#prev, snapshot, this.#id, this.#d.clock.now());
    this.#prev = snapshot;
    this.#failures = 0;
    if (missing.length > 0) {
      this.#emit('degraded', { code: 'INTERNAL', message: `Incomplete snapshot (missing ${missing.join(', ')}).` });
    } else {
      this.#emit('up');
    }
    this.#guard('onSample', () => this.#d.onSample(sample));
  }

  /**
   * Watches for silence (see MetricsCollectorDeps.watchdog): a late snapshot makes the server `degraded`; still
   * nothing at the dead line, the channel is abandoned (closed, not waited for) and a new one started after the
   * backoff.
   */
  #arm(stage: 1 | 2): void {
    if (this.#watchdog !== null) this.#d.clock.clearTimer(this.#watchdog);
    const late = this.#d.watchdog?.lateMs ?? 2 * this.intervalMs + 5_000;
    const dead = this.#d.watchdog?.deadMs ?? 4 * this.intervalMs + 20_000;
    const ms = stage === 1 ? late : Math.max(0, dead - late);
    this.#watchdog = this.#d.clock.setTimer(() => {
      this.#watchdog = null;
      if (this.#stopped) return;
      if (stage === 1) {
        this.#emit('degraded', { code: 'TIMEOUT', message: 'The server sends its metrics late.' });
        this.#arm(2);
      } else {
        // A stuck loop may never let its channel close (sshd waits for the command): abandon it and start anew.
        this.#d.logger.warn('metrics.loop.stalled', { serverId: this.#id });
        const stuck = this.#stream;
        this.#stream = null;
        stuck?.close();
        this.#failed(new AppError('TIMEOUT', 'The metrics loop on the server stopped answering.'), 'degraded');
      }
    }, ms);
  }

  #ended(stream: ExecStream, end: ExecStreamEnd): void {
    if (this.#stream !== stream) return; // abandoned by the watchdog (already restarted), or stopped
    this.#stream = null;
    if (this.#stopped) return;
    if (this.#watchdog !== null) this.#d.clock.clearTimer(this.#watchdog);
    this.#watchdog = null;
    if (end.connectionLost) {
      this.#failed(new AppError('CONNECTION_FAILED', 'The connection to the server was lost.'));
    } else {
      const how = end.signal !== null ? `signal ${end.signal}` : `exit ${String(end.code)}`;
      this.#failed(new AppError('INTERNAL', `The metrics loop on the server ended (${how}).`), 'degraded');
    }
  }

  /** Records a failure, sets the state and schedules the next attempt. */
  #failed(e: unknown, state?: MetricsServerState): void {
    const error = isAppError(e)
      ? { code: e.code, message: e.message }
      : { code: 'INTERNAL', message: 'The metrics channel failed.' };
    this.#failures++;
    const auth = AUTH_CODES.has(error.code);
    const base = this.#d.backoff?.baseMs ?? 1_000;
    const max = this.#d.backoff?.maxMs ?? 300_000;
    const raw = auth ? max : Math.min(max, base * 2 ** Math.min(this.#failures - 1, 30));
    const jitter = 0.8 + 0.4 * (this.#d.random ?? Math.random)();
    const delay = Math.round(Math.min(max, raw * jitter));
    this.#emit(state ?? (auth ? 'auth_failed' : 'unreachable'), error, delay, true);
    this.#retry = this.#d.clock.setTimer(() => this.#start(), delay);
  }

  #emit(
    state: MetricsServerState,
    error?: { code: string; message: string },
    retryInMs?: number,
    always = false,
  ): void {
    const same = state === this.state && error?.message === this.#lastError?.message;
    this.state = state;
    this.#lastError = error;
    if (same && !always && state !== 'connecting') return;
    this.#d.logger.info('metrics.state', { serverId: this.#id, state, ...(error ? { code: error.code } : {}) });
    const at = this.#d.clock.now();
    const change: MetricsStateChange = {
      serverId: this.#id,
      state,
      at,
      ...(error ? { error } : {}),
      ...(retryInMs !== undefined ? { retryAt: at + retryInMs } : {}),
    };
    this.#guard('onState', () => this.#d.onState?.(change));
  }

  /** Runs a consumer's callback; its failure is logged, never thrown into the SSH stream that fed it. */
  #guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#d.logger.error('metrics.callback.failed', {
        serverId: this.#id,
        callback: what,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }

  #clear(): void {
    if (this.#retry !== null) this.#d.clock.clearTimer(this.#retry);
    if (this.#watchdog !== null) this.#d.clock.clearTimer(this.#watchdog);
    this.#retry = null;
    this.#watchdog = null;
  }
}

import type { Client, ClientChannel, PseudoTtyOptions, SFTPWrapper } from 'ssh2';
import { AppError, isAppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { connectCause, unreachableHop } from './connect-failure';
import { connectHop, type HopConnectorDeps } from './hop-connector';
import { HostKeyVerifier } from './host-key-verifier';
import { command } from './shell-quote';
import {
  DEFAULT_SSH_OPTIONS,
  describeTarget,
  type CredentialSource,
  type HostKeyEntry,
  type HostKeyStore,
  type Prompter,
  type SshOptions,
  type SshTarget,
} from './ssh.types';
import type { ExecOptions, ExecResult, ExecStream, ExecStreamEnd, SshLease } from './lease.types';

export type { ExecOptions, ExecResult, ExecStream, ExecStreamEnd, SshLease } from './lease.types';

/** Dependencies of {@link ConnectionManager}. */
export interface ConnectionManagerDeps {
  readonly credentials: CredentialSource;
  readonly hostKeys: HostKeyStore;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly options?: Partial<SshOptions>;
}

interface Entry {
  readonly key: string;
  readonly target: SshTarget;
  refs: number;
  client: Client | undefined;
  ready: Promise<Client>;
  closed: boolean;
  idle: NodeJS.Timeout | undefined;
  readonly listeners: Set<() => void>;
}

/** Pool key: the chain of ids, so the same server reached through different jumps gets its own connection. */
const chainKey = (t: SshTarget): string => [...t.jump.map((h) => h.id), t.id].join('>');

/** Runs `fn` with a timeout that raises TIMEOUT with `message`. */
export function withTimeout<T>(ms: number, message: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('TIMEOUT', message)), ms);
  });
  return Promise.race([fn(), t]).finally(() => clearTimeout(timer));
}

/**
 * One SSH connection per server (per jump chain), shared by shells, exec, SFTP and forwards — like OpenSSH's
 * ControlMaster. Ref-counted; closed `idleGraceMs` after the last lease is released. Jump chains of any length are
 * built from pooled connections: the target's socket is a channel forwarded by the previous hop's connection.
 */
export class ConnectionManager {
  readonly options: SshOptions;
  readonly verifier: HostKeyVerifier;
  readonly #deps: ConnectionManagerDeps;
  readonly #hop: HopConnectorDeps;
  readonly #pool = new Map<string, Entry>();
  #disposed = false;

  constructor(deps: ConnectionManagerDeps) {
    this.#deps = deps;
    this.options = { ...DEFAULT_SSH_OPTIONS, ...deps.options };
    this.verifier = new HostKeyVerifier({
      store: deps.hostKeys,
      prompter: deps.prompter,
      logger: deps.logger,
      promptTimeoutMs: this.options.promptTimeoutMs,
    });
    this.#hop = { ...deps, verifier: this.verifier, options: this.options };
  }

  /** A lease on the (possibly new) connection to `target`. Concurrent callers share one connect attempt. */
  async acquire(target: SshTarget): Promise<SshLease> {
    if (this.#disposed) throw new AppError('CONNECTION_FAILED', 'The SSH connection manager is shut down.');
    const key = chainKey(target);
    let entry = this.#pool.get(key);
    if (entry === undefined || entry.closed) {
      entry = this.#open(key, target);
      this.#pool.set(key, entry);
    }
    entry.refs++;
    clearTimeout(entry.idle);
    entry.idle = undefined;
    let client: Client;
    try {
      client = await entry.ready;
    } catch (e) {
      entry.refs--;
      throw e;
    }
    return this.#lease(entry, client);
  }

  /** Runs argv (each element quoted, DESIGN.md rule 6) on `target` and collects its output. */
  async exec(target: SshTarget, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const line = command(argv);
    const lease = await this.acquire(target);
    try {
      return await this.#execOn(lease, line, opts, describeTarget(target));
    } finally {
      lease.release();
    }
  }

  /**
   * Starts argv (quoted like {@link exec}) on `target` and hands back the open channel instead of collecting its
   * output: for commands that run as long as the caller wants (one metrics loop per server over the pooled
   * connection). No timeout and no output cap: the caller reads the stream and ends it.
   */
  async execStream(
    target: SshTarget,
    argv: readonly string[],
    opts: Pick<ExecOptions, 'env'> = {},
  ): Promise<ExecStream> {
    const line = command(argv);
    const lease = await this.acquire(target);
    const exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    let ch: ClientChannel;
    try {
      ch = await this.#channel<ClientChannel>(lease, 'exec', (cb) =>
        lease.client.exec(line, opts.env === undefined ? {} : { env: opts.env }, (err, stream) => {
          if (!err) {
            // Caught in ssh2's callback, synchronously: see #execOn.
            stream.on('exit', (c: number | null, s?: string) => {
              exit.code = c;
              exit.signal = s ?? null;
            });
          }
          cb(err, stream);
        }),
      );
    } catch (e) {
      lease.release();
      throw e;
    }
    let closed = false;
    const ended = new Promise<ExecStreamEnd>((resolve) => {
      const finish = (): void => {
        if (closed) return;
        closed = true;
        offClose();
        lease.release();
        resolve({ code: exit.code, signal: exit.signal, connectionLost: lease.closed });
      };
      // ssh2 does not always emit 'close' on a channel whose connection dropped: the lease's close covers that.
      const offClose = lease.onClose(finish);
      ch.once('close', finish);
    });
    ch.on('error', () => undefined);
    return {
      channel: ch,
      ended,
      end: () => {
        if (!closed) ch.end();
      },
      close: () => {
        if (!closed) ch.close();
      },
    };
  }

  /** Opens an interactive shell channel with a PTY on a leased connection (used by PtySession). */
  openShell(lease: SshLease, pty: PseudoTtyOptions): Promise<ClientChannel> {
    return this.#channel<ClientChannel>(lease, 'shell', (cb) => lease.client.shell(pty, cb));
  }

  /** Opens a direct-tcpip channel from the leased server to host:port (forwards and jump hops). */
  forwardOut(lease: SshLease, srcHost: string, srcPort: number, host: string, port: number): Promise<ClientChannel> {
    return this.#channel(lease, `forward to ${host}:${port}`, (cb) =>
      lease.client.forwardOut(srcHost, srcPort, host, port, cb),
    );
  }

  /** An SFTP session on the shared connection; `release()` ends it and gives the lease back. */
  async openSftp(target: SshTarget): Promise<{ sftp: SFTPWrapper; release: () => void }> {
    const lease = await this.acquire(target);
    try {
      const sftp = await this.#channel<SFTPWrapper>(lease, 'sftp', (cb) => lease.client.sftp(cb));
      let done = false;
      return {
        sftp,
        release: () => {
          if (done) return;
          done = true;
          sftp.end();
          lease.release();
        },
      };
    } catch (e) {
      lease.release();
      throw e;
    }
  }

  /** The user confirmed a host key change shown in a HOST_KEY_CHANGED error: trust the new key from now on. */
  replaceHostKey(host: string, port: number, fingerprint: string): Promise<HostKeyEntry> {
    return this.verifier.acceptChangedKey(host, port, fingerprint);
  }

  /** Pool state for diagnostics and tests (no secrets). */
  stats(): { key: string; refs: number; connected: boolean }[] {
    return [...this.#pool.values()].map((e) => ({
      key: e.key,
      refs: e.refs,
      connected: e.client !== undefined && !e.closed,
    }));
  }

  /** Closes every connection now (app shutdown, vault lock). */
  async closeAll(): Promise<void> {
    this.#disposed = true;
    const waits = [...this.#pool.values()].map(async (e) => {
      clearTimeout(e.idle);
      const c = await e.ready.catch(() => undefined);
      if (c === undefined || e.closed) return;
      await new Promise<void>((resolve) => {
        e.listeners.add(resolve);
        c.end();
      });
    });
    await Promise.all(waits);
  }

  /**
   * Runs one command line on a leased connection with a timeout and bounded output. Private: callers go through
   * {@link exec}, which builds the line from argv with the quoting helper (DESIGN.md rule 6).
   */
  async #execOn(lease: SshLease, line: string, opts: ExecOptions, who: string): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.options.execTimeoutMs;
    const max = opts.maxOutputBytes ?? 8 * 1024 * 1024;
    let channel: ClientChannel | undefined;
    try {
      return await withTimeout(timeoutMs, `The command on ${who} did not finish within ${timeoutMs} ms.`, async () => {
        // The exit status is caught in ssh2's own callback, synchronously: when the command is quick and the
        // machine busy, CHANNEL_SUCCESS, exit-status and CHANNEL_CLOSE can arrive in one read, and ssh2 emits
        // 'exit' before a listener attached after an await would exist (the result then said "exit null").
        const exit: { code: number | null; signal: string | null } = { code: null, signal: null };
        const ch = await this.#channel<ClientChannel>(lease, 'exec', (cb) =>
          lease.client.exec(line, opts.env === undefined ? {} : { env: opts.env }, (err, stream) => {
            if (!err) {
              stream.on('exit', (c: number | null, s?: string) => {
                exit.code = c;
                exit.signal = s ?? null;
              });
            }
            cb(err, stream);
          }),
        );
        channel = ch;
        return new Promise<ExecResult>((resolve) => {
          const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], sizes: [0, 0], truncated: false };
          const take = (which: 0 | 1, d: Buffer): void => {
            const room = max - (out.sizes[which] ?? 0);
            if (room <= 0 || d.length > room) out.truncated = true;
            if (room <= 0) return;
            const part = d.length > room ? d.subarray(0, room) : d;
            (which === 0 ? out.stdout : out.stderr).push(part);
            out.sizes[which] = (out.sizes[which] ?? 0) + part.length;
          };
          ch.on('data', (d: Buffer) => take(0, d));
          ch.stderr.on('data', (d: Buffer) => take(1, d));
          ch.on('close', () =>
            resolve({
              code: exit.code,
              signal: exit.signal,
              stdout: Buffer.concat(out.stdout).toString('utf8'),
              stderr: Buffer.concat(out.stderr).toString('utf8'),
              truncated: out.truncated,
            }),
          );
          ch.end(opts.stdin);
        });
      });
    } catch (e) {
      channel?.close();
      throw e;
    }
  }

  /** Opens a channel with the channel-open timeout; a closed connection or refusal becomes CONNECTION_FAILED. */
  #channel<T>(lease: SshLease, what: string, open: (cb: (err: Error | undefined, ch: T) => void) => void): Promise<T> {
    if (lease.closed) return Promise.reject(new AppError('CONNECTION_FAILED', `The connection for ${what} is closed.`));
    const ms = this.options.channelOpenTimeoutMs;
    return withTimeout(
      ms,
      `Opening ${what} timed out after ${ms} ms.`,
      () =>
        new Promise<T>((resolve, reject) => {
          try {
            open((err, ch) => {
              if (err) reject(new AppError('CONNECTION_FAILED', `Could not open ${what}: ${err.message}`));
              else resolve(ch);
            });
          } catch (e) {
            reject(new AppError('CONNECTION_FAILED', `Could not open ${what}: ${(e as Error).message}`));
          }
        }),
    );
  }

  /** Starts connecting (through the jump chain if any) and wires close handling into the pool entry. */
  #open(key: string, target: SshTarget): Entry {
    let settle: { resolve: (c: Client) => void; reject: (e: unknown) => void } | undefined;
    const ready = new Promise<Client>((resolve, reject) => {
      settle = { resolve, reject };
    });
    ready.catch(() => undefined);
    const entry: Entry = {
      key,
      target,
      refs: 0,
      client: undefined,
      ready,
      closed: false,
      idle: undefined,
      listeners: new Set(),
    };
    const markClosed = (): void => {
      if (entry.closed) return;
      entry.closed = true;
      clearTimeout(entry.idle);
      if (this.#pool.get(key) === entry) this.#pool.delete(key);
      for (const l of [...entry.listeners]) l();
      entry.listeners.clear();
    };
    const connect = async (): Promise<Client> => {
      let upstream: SshLease | undefined;
      try {
        let sock: ClientChannel | undefined;
        const last = target.jump.at(-1);
        if (last !== undefined) {
          upstream = await this.acquire({ ...last, jump: target.jump.slice(0, -1) });
          try {
            sock = await this.forwardOut(upstream, '127.0.0.1', 0, target.host, target.port);
          } catch (e) {
            // The jump host could not reach this hop: name this hop, the cause its sshd gave, and the jump host.
            const cause = isAppError(e) && e.code === 'TIMEOUT' ? 'timeout' : connectCause((e as Error).message);
            throw unreachableHop(target, cause, last);
          }
        }
        const client = await connectHop(target, sock, this.#hop);
        entry.client = client;
        client.on('error', (e: Error) =>
          this.#deps.logger.warn('ssh.connection.error', { targetId: target.id, message: e.message }),
        );
        client.once('close', () => {
          this.#deps.logger.info('ssh.connection.closed', { targetId: target.id });
          upstream?.release();
          markClosed();
        });
        if (this.#disposed) client.end();
        return client;
      } catch (e) {
        upstream?.release();
        markClosed();
        throw e;
      }
    };
    connect().then(
      (c) => settle?.resolve(c),
      (e: unknown) => settle?.reject(e),
    );
    return entry;
  }

  /** Wraps an entry in a lease whose release starts the idle timer when it was the last one. */
  #lease(entry: Entry, client: Client): SshLease {
    let released = false;
    const grace = this.options.idleGraceMs;
    return {
      targetId: entry.target.id,
      client,
      get closed() {
        return entry.closed;
      },
      onClose: (listener) => {
        if (entry.closed) {
          queueMicrotask(listener);
          return () => undefined;
        }
        entry.listeners.add(listener);
        return () => entry.listeners.delete(listener);
      },
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs > 0 || entry.closed) return;
        const end = (): void => {
          if (entry.refs !== 0 || entry.closed) return;
          // Out of the pool before it closes: an acquire from now on opens a fresh connection rather than being
          // handed this one while it shuts down (its 'close' arrives later and would fail what was opened on it).
          if (this.#pool.get(entry.key) === entry) this.#pool.delete(entry.key);
          client.end();
        };
        if (grace <= 0) end();
        else {
          entry.idle = setTimeout(end, grace);
          entry.idle.unref();
        }
      },
    };
  }
}

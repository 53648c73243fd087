import type { Client, ClientChannel } from 'ssh2';

/*
 * What the connection pool hands out (src/main/ssh/connection-manager.ts): leases of a pooled connection and the
 * shapes of its exec calls, kept apart from the pool itself.
 */

/** A share of one pooled connection. Release it when done; the connection closes after the idle grace period. */
export interface SshLease {
  readonly targetId: string;
  readonly client: Client;
  /** True once the underlying connection has closed (dropped or ended). */
  readonly closed: boolean;
  /** Calls `listener` once when the connection closes; returns an unsubscribe function. */
  onClose(listener: () => void): () => void;
  /** Gives the share back (idempotent). */
  release(): void;
}

/** Options of {@link ConnectionManager.exec}. */
export interface ExecOptions {
  /** Whole-command timeout (default options.execTimeoutMs); on expiry the channel is closed and TIMEOUT raised. */
  timeoutMs?: number;
  /** Written to the command's stdin, then stdin is closed (use it for secrets: never put them in argv). */
  stdin?: string | Buffer;
  /** Keep at most this many bytes of stdout and of stderr (default 8 MiB); the rest is drained and dropped. */
  maxOutputBytes?: number;
  /** Environment variables to request (the server's AcceptEnv decides). */
  env?: Record<string, string>;
}

/** What a remote command did. */
export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True if output beyond maxOutputBytes was dropped. */
  truncated: boolean;
}

/** How a command started by {@link ConnectionManager.execStream} ended. */
export interface ExecStreamEnd {
  code: number | null;
  signal: string | null;
  /** True when the SSH connection itself closed (dropped or ended), not just this channel. */
  connectionLost: boolean;
}

/**
 * A long-lived remote command on its own exec channel (a metrics loop, a log tail). Read `channel` ('data' and
 * `channel.stderr` 'data'); the command's stdin stays open until {@link end}, so a remote script can treat stdin EOF
 * as its signal to stop. The connection lease is held until the channel closes.
 */
export interface ExecStream {
  readonly channel: ClientChannel;
  /** Resolves once when the channel has closed (never rejects). */
  readonly ended: Promise<ExecStreamEnd>;
  /** Sends EOF on the command's stdin (the polite stop); the channel closes when the command exits. */
  end(): void;
  /** Closes the channel at once (idempotent). */
  close(): void;
}

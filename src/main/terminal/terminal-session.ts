import type { SessionState } from '../ssh/reconnecting-session';

/**
 * What {@link TerminalService} drives, whatever is on the other end: an SSH shell (ReconnectingSession) or a
 * panel's web terminal (PanelTerminalSession). Output is counted until acknowledged (flow control), the life of
 * the session is a SessionState.
 */
export interface TerminalSession {
  readonly state: SessionState;
  /** True while a shell is attached and running: input has somewhere to go. */
  readonly live: boolean;
  /** Connects; resolves when connected or closed. */
  start(): Promise<SessionState>;
  onState(l: (s: SessionState) => void): () => void;
  onData(l: (d: Buffer) => void): () => void;
  /** A fresh shell replaced a dropped one (sessions that never reconnect never call it). */
  onReconnected(l: (m: { attempt: number; downtimeMs: number }) => void): () => void;
  /** Sends input; false when refused (too much queued, or nothing attached). */
  write(data: string): boolean;
  /** The consumer rendered `bytes` more output. */
  ack(bytes: number): void;
  /** A new consumer took over: unacknowledged output is forgotten. */
  resetFlow(): void;
  resize(cols: number, rows: number): void;
  /** Cuts a backoff wait short (no-op for sessions that do not retry). */
  retryNow(): void;
  close(): void;
}

import { client } from '../../lib/client';

/**
 * Acknowledge at least every this many rendered bytes, or at the end of the frame, whichever comes first. A quarter
 * of the core's 1 MiB high-water mark: the channel resumes at its 256 KiB low-water mark all the same, with a quarter
 * of the ack messages a 64 KiB step sent (each a WebSocket send and a reply in the renderer during a flood).
 */
const ACK_BATCH_BYTES = 256 * 1024;
/** Output kept for a session nobody has bound yet (terminal.open's reply can trail its first bytes). */
const PENDING_CAP_BYTES = 1024 * 1024;

/** Where a session's bytes go: the pane's xterm. */
export interface ByteSink {
  write(data: Uint8Array, rendered: () => void): void;
}

const sinks = new Map<string, ByteSink>();
/** Sessions re-attached after a reload whose terminal.replay has not arrived yet. */
const awaitingReplay = new Set<string>();
const pending = new Map<string, Uint8Array[]>();
const unacked = new Map<string, number>();
let flushTimer: number | undefined;

function flushAcks(): void {
  flushTimer = undefined;
  for (const [sessionId, bytes] of unacked) {
    if (bytes > 0)
      client.call('terminal.ack', { sessionId, bytes }, { expected: ['NOT_FOUND'] }).catch(() => undefined);
  }
  unacked.clear();
}

/** Counts rendered bytes; sends terminal.ack per frame (setTimeout, since rAF stops in hidden windows) or per 64 KiB. */
function rendered(sessionId: string, bytes: number): void {
  const total = (unacked.get(sessionId) ?? 0) + bytes;
  unacked.set(sessionId, total);
  if (total >= ACK_BATCH_BYTES) {
    unacked.delete(sessionId);
    client.call('terminal.ack', { sessionId, bytes: total }, { expected: ['NOT_FOUND'] }).catch(() => undefined);
  } else {
    flushTimer ??= window.setTimeout(flushAcks, 16);
  }
}

/**
 * The one path terminal bytes take: transport event -> xterm.write, keyed by sessionId, never through the store
 * (DESIGN.md rule 8). Bytes are acknowledged once xterm has parsed them (write callback), which is what keeps
 * the core's per-session buffer bounded.
 */
export function dispatchTerminalData(sessionId: string, data: Uint8Array): void {
  // Output sent before the replay is inside the replay; the core restarts flow control then, so no ack either.
  if (awaitingReplay.has(sessionId)) return;
  const sink = sinks.get(sessionId);
  if (sink) return sink.write(data, () => rendered(sessionId, data.byteLength));
  const queue = pending.get(sessionId) ?? [];
  const queued = queue.reduce((n, c) => n + c.byteLength, 0);
  if (queued + data.byteLength <= PENDING_CAP_BYTES) queue.push(data);
  else rendered(sessionId, data.byteLength); // dropped: still release the core's window
  pending.set(sessionId, queue);
}

/** The next terminal.replay of `sessionId` is for this window (it is re-attaching); live output waits for it. */
export function expectReplay(sessionId: string): void {
  awaitingReplay.add(sessionId);
}

/** The replay did not come (the session is gone): stop waiting for it. */
export function cancelReplay(sessionId: string): void {
  awaitingReplay.delete(sessionId);
}

/** A session's recent output, sent once to the window that asked for it; not acknowledged (see terminal.replay). */
export function dispatchTerminalReplay(sessionId: string, data: Uint8Array): void {
  if (!awaitingReplay.delete(sessionId)) return; // another window re-attached: this one has the output already
  sinks.get(sessionId)?.write(data, () => undefined);
}

/** Routes a session's output to `sink`, first replaying what arrived before the binding. */
export function bindSession(sessionId: string, sink: ByteSink): void {
  sinks.set(sessionId, sink);
  const queue = pending.get(sessionId);
  pending.delete(sessionId);
  for (const data of queue ?? []) sink.write(data, () => rendered(sessionId, data.byteLength));
}

/** Stops routing a session's output (closed, or replaced by a new session in the same pane). */
export function unbindSession(sessionId: string): void {
  sinks.delete(sessionId);
  pending.delete(sessionId);
  unacked.delete(sessionId);
  awaitingReplay.delete(sessionId);
}

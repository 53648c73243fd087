import type WebSocket from 'ws';
import type { RawData } from 'ws';
import {
  readStreamSample,
  streamToSample,
  type NexusCurrentMetrics,
  type NexusMetricsSample,
  type NexusStreamSample,
} from './nexuspanel-metrics';

/** A running metrics stream: close it when the chart goes away; `closed` settles when the socket is gone. */
export interface NexusMetricsStream {
  close(): void;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A web terminal over WebSocket, shaped like a duplex for the terminal UI (xterm tab). */
export interface NexusTerminal {
  /** Sends keystrokes / pasted text to the remote shell. */
  write(data: string): void;
  /** Tells the remote side the new size (sent as `{type:"resize", cols, rows}`). */
  resize(cols: number, rows: number): void;
  /** Output of the remote side, as text. Returns an unsubscribe function. */
  onData(cb: (data: string) => void): () => void;
  /** Called once when the terminal ends (either side), with the WebSocket close code and reason. */
  onClose(cb: (e: { code: number; reason: string }) => void): () => void;
  /** Stops reading from the socket (flow control: TCP backpressure reaches the panel) until resume(). */
  pause(): void;
  resume(): void;
  close(): void;
}

function parse(data: RawData): unknown {
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function closedOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
  });
}

/**
 * Feeds each stream message to `onSample` as a NexusMetricsSample (sizes from `base`) and as the panel sent it. A
 * message that is not a sample (a heartbeat, an error note) is skipped.
 */
export function metricsStreamOver(
  ws: WebSocket,
  serverId: string,
  base: NexusCurrentMetrics | null,
  onSample: (sample: NexusMetricsSample, raw: NexusStreamSample) => void,
): NexusMetricsStream {
  const closed = closedOf(ws);
  ws.on('message', (data: RawData) => {
    const raw = readStreamSample(parse(data));
    if (raw !== null) onSample(streamToSample(serverId, raw, base), raw);
  });
  ws.on('error', () => undefined);
  ws.resume();
  return {
    close: () => ws.close(1000, 'closed by PanelDeck'),
    closed,
  };
}

/**
 * The seed's terminal protocol: `{type:"input", data}` out, `{type:"output", data}` in; the size goes out as
 * `{type:"resize", cols, rows}` (not in the seed, which leaves resizing out; a panel that ignores it still works).
 */
export function terminalOver(ws: WebSocket, size: { cols: number; rows: number }): NexusTerminal {
  const data = new Set<(d: string) => void>();
  const closes = new Set<(e: { code: number; reason: string }) => void>();
  let ended: { code: number; reason: string } | null = null;
  // Output before the first onData (the banner and prompt come at once) is kept for it.
  const early: string[] = [];
  const send = (msg: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  ws.on('message', (raw: RawData) => {
    const msg = parse(raw);
    const o = typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>) : null;
    const text =
      o === null
        ? typeof msg === 'string'
          ? msg
          : null
        : typeof o['data'] === 'string' && (o['type'] === 'output' || o['type'] === undefined)
          ? o['data']
          : null;
    if (text === null) return;
    if (data.size === 0) early.push(text);
    else for (const cb of data) cb(text);
  });
  ws.on('error', () => undefined);
  void closedOf(ws).then((e) => {
    ended = e;
    for (const cb of closes) cb(e);
  });
  send({ type: 'resize', cols: size.cols, rows: size.rows });
  ws.resume();
  return {
    write: (d) => send({ type: 'input', data: d }),
    resize: (cols, rows) => send({ type: 'resize', cols, rows }),
    onData(cb) {
      data.add(cb);
      if (data.size === 1) for (const t of early.splice(0)) cb(t);
      return () => data.delete(cb);
    },
    onClose(cb) {
      if (ended !== null) {
        const e = ended;
        queueMicrotask(() => cb(e));
        return () => undefined;
      }
      closes.add(cb);
      return () => closes.delete(cb);
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => ws.close(1000, 'closed by PanelDeck'),
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AppError, type WireError } from '../../shared/errors';
import { binaryFieldOf, encodeBinaryEvent } from '../../shared/binary-frame';
import { ClientFrame, WS_PROTOCOL, WS_TOKEN_PREFIX, type HostFrame } from '../../shared/wire';
import type { Core } from '../core/create-core';
import { readStatic } from './static-files';

/** The only interface the host ever binds. Not configurable on purpose (DESIGN.md rule 4). */
export const LOOPBACK = '127.0.0.1';

export interface WsHostOptions {
  readonly core: Core;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Built renderer to serve at `/`; omit to serve only the WebSocket. */
  readonly staticDir?: string;
  /** Fixed token (tests); default: 32 random bytes per launch. */
  readonly token?: string;
  /** Extra origins allowed besides the host's own (e.g. a Vite dev server on another loopback port). */
  readonly extraOrigins?: readonly string[];
}

/** A running host: where it listens, its token, and how to stop it. */
export interface WsHost {
  readonly port: number;
  readonly address: AddressInfo;
  readonly token: string;
  /** The page URL with the token in the fragment (never sent to the server in an HTTP request line). */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/** Content-Security-Policy for the served renderer: same-origin everything, WebSocket back to this host only. */
export function webCsp(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the core's dispatcher over a WebSocket on 127.0.0.1, for the browser e2e tests and `npm run dev:web`.
 * A connection must offer the per-launch token as a subprotocol and come from an allowed Origin; the Host
 * header must name the loopback address (defeats DNS rebinding). Every frame goes through the dispatcher,
 * which validates it like any other transport.
 */
export async function startWsHost(options: WsHostOptions): Promise<WsHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const staticDir = options.staticDir ? path.resolve(options.staticDir) : null;
  const server = http.createServer();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const sockets = new Set<WebSocket>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostHeader = `${LOOPBACK}:${address.port}`;
  const origin = `http://${hostHeader}`;
  const allowedOrigins = new Set([origin, ...(options.extraOrigins ?? [])]);
  const csp = webCsp(origin);

  server.on('request', (req, res) => {
    void (async () => {
      if (req.headers.host !== hostHeader) return void refuseHttp(res, 421, 'Misdirected request: wrong Host.');
      if (req.method !== 'GET' && req.method !== 'HEAD') return void refuseHttp(res, 405, 'Method not allowed.');
      const file = staticDir ? await readStatic(staticDir, req.url ?? '/') : null;
      if (!file) return void refuseHttp(res, 404, 'Not found.');
      res.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })();
  });

  server.on('upgrade', (req, socket, head) => {
    // A socket that fails before or during the upgrade (reset, half-open) must not take the host down either.
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req, { hostHeader, allowedOrigins, token });
    if (refusal) {
      const body = JSON.stringify({ error: refusal.error });
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => onMessage(ws, rawText(data), isBinary));
      ws.on('error', (err) => onSocketError(ws, err));
    });
  });
  wss.on('error', (err) => options.core.logger.warn('ws.server-error', { code: errnoOf(err) }));

  /**
   * One bad frame closes its own socket, never the host: ws reports an oversized message (1009) or invalid UTF-8
   * (1007) as an 'error' on that socket, and an unhandled 'error' event would end the whole process (issue 8,
   * item 17). The socket is closed with the code ws chose, the event logged without the frame's contents.
   */
  const onSocketError = (ws: WebSocket, err: Error): void => {
    const status = (err as Error & { [k: symbol]: unknown })[statusSymbol(err)] as number | undefined;
    const close = closeCodeFor(err, status);
    options.core.logger.warn('ws.frame-refused', { code: errnoOf(err), close });
    if (ws.readyState === ws.OPEN) ws.close(close);
    else if (ws.readyState !== ws.CLOSED) ws.terminate();
  };

  const { core } = options;
  const send = (ws: WebSocket, frame: HostFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const onMessage = (ws: WebSocket, text: string, isBinary: boolean): void => {
    let frame: ClientFrame;
    try {
      if (isBinary) throw new Error('binary');
      frame = ClientFrame.parse(JSON.parse(text));
    } catch {
      const error: WireError = new AppError(
        'VALIDATION',
        'Malformed frame: expected {id, method, input} JSON.',
      ).toWire();
      return send(ws, { kind: 'refused', error });
    }
    void core.dispatcher
      .call(frame.method, frame.input, { transport: 'web' })
      .then((result) => send(ws, { kind: 'reply', id: frame.id, result }));
  };
  const unsubscribe = core.events.subscribe((name, payload) => {
    const field = binaryFieldOf(payload);
    if (field === null) {
      for (const ws of sockets) send(ws, { kind: 'event', name, payload });
      return;
    }
    const frame = encodeBinaryEvent(name, payload as Record<string, unknown>, field);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
  });

  return {
    port: address.port,
    address,
    token,
    origin,
    url: `${origin}/#token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Refusal {
  readonly status: number;
  readonly reason: string;
  readonly error: WireError;
}

/** Decides whether an upgrade may proceed; a refusal says why in a typed error. */
export function checkUpgrade(
  req: http.IncomingMessage,
  expect: { hostHeader: string; allowedOrigins: ReadonlySet<string>; token: string },
): Refusal | null {
  if (req.headers.host !== expect.hostHeader) {
    return {
      status: 421,
      reason: 'Misdirected Request',
      error: { code: 'FORBIDDEN_ORIGIN', message: 'Wrong Host header.' },
    };
  }
  const origin = req.headers.origin;
  if (!origin || !expect.allowedOrigins.has(origin)) {
    return {
      status: 403,
      reason: 'Forbidden',
      error: {
        code: 'FORBIDDEN_ORIGIN',
        message: `Origin ${origin ? JSON.stringify(origin) : '(none)'} is not allowed.`,
      },
    };
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  const tokenProto = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX));
  if (
    !offered.includes(WS_PROTOCOL) ||
    !tokenProto ||
    !sameSecret(tokenProto.slice(WS_TOKEN_PREFIX.length), expect.token)
  ) {
    return {
      status: 401,
      reason: 'Unauthorized',
      error: { code: 'UNAUTHORIZED', message: 'Missing or wrong session token.' },
    };
  }
  return null;
}

/** The WebSocket close code for a socket error: ws's own status when it has one, else by its error code. */
export function closeCodeFor(err: Error, status?: number): number {
  if (typeof status === 'number' && status >= 1000 && status < 5000) return status;
  const code = errnoOf(err);
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 1009;
  if (code === 'WS_ERR_INVALID_UTF8') return 1007;
  return 1002;
}

/** ws keeps the close status of a receiver error under a symbol named `status-code`. */
function statusSymbol(err: Error): symbol {
  return Object.getOwnPropertySymbols(err).find((sym) => sym.description === 'status-code') ?? Symbol('none');
}

function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** The text of a ws message, whatever buffer shape ws delivered it in. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function refuseHttp(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

import type { IncomingMessage } from 'node:http';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { AppError } from '../../../shared/errors';
import { panelError } from '../http/http-errors';
import { checkPinned, type TlsPinStore } from '../http/tls-pinning';
import { readNexusError } from './nexuspanel-errors';

/** What {@link openSocket} needs. */
export interface SocketTarget {
  /** ws:// or wss:// */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly pins: TlsPinStore;
  readonly timeoutMs: number;
}

/** The upgrade was refused with an HTTP answer (404 route missing, 401 token refused …). */
export class SocketRefused extends AppError {}

/**
 * Opens the TLS connection first and checks the certificate exactly like the HTTP client (system trust, else the
 * pinned fingerprint; see tls-pinning.ts) before a single byte, the bearer token above all, is written.
 */
function pinnedTls(url: URL, pins: TlsPinStore, timeoutMs: number): Promise<tls.TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || 443;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      // Reported, not enforced: checkPinned enforces it (authorized, or the pinned fingerprint).
      rejectUnauthorized: false,
      ...(/^[\d.:]+$/.test(host) ? {} : { servername: host }),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AppError('TIMEOUT', `NexusPanel: no TLS handshake with ${host}:${port} within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const failure = checkPinned(socket, host, port, pins);
      if (failure !== null) {
        socket.destroy();
        reject(failure);
        return;
      }
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new AppError(
          'CONNECTION_FAILED',
          `NexusPanel: ${host}:${port} refused the connection (${e.code ?? e.message}).`,
        ),
      );
    });
  });
}

function readBody(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        resolve(text);
      }
    });
    res.on('error', () => resolve(null));
  });
}

/**
 * Opens a WebSocket to the panel (`ws` 8) with the bearer token in the upgrade request. wss:// goes through the
 * same certificate pin as HTTP; an upgrade answered with HTTP (404, 401 …) rejects with {@link SocketRefused}
 * carrying the status and the panel's own message. The socket comes back paused: resume it once listening.
 */
export async function openSocket(t: SocketTarget): Promise<WebSocket> {
  const secure = t.url.protocol === 'wss:';
  const pre = secure ? await pinnedTls(t.url, t.pins, t.timeoutMs) : null;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url, {
      headers: { ...t.headers },
      handshakeTimeout: t.timeoutMs,
      perMessageDeflate: false,
      ...(pre ? { createConnection: (): Duplex => pre } : {}),
    });
    let settled = false;
    const done = (e: AppError | null): void => {
      if (settled) return;
      settled = true;
      if (e === null) resolve(ws);
      else {
        pre?.destroy();
        reject(e);
      }
    };
    ws.once('open', () => {
      // Held until the caller has its listeners on (see resume() in nexuspanel-live.ts): the panel may speak first.
      ws.pause();
      done(null);
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      void readBody(res).then((body) => {
        const e = panelError(
          { status, body, headers: res.headers, request: `WS ${t.url.pathname}` },
          readNexusError,
          'NexusPanel',
        );
        ws.terminate();
        done(new SocketRefused(e.code, e.message, e.details));
      });
    });
    ws.once('error', (e: Error) => {
      done(
        e instanceof AppError
          ? e
          : new AppError('CONNECTION_FAILED', `NexusPanel: the WebSocket ${t.url.pathname} failed (${e.message}).`),
      );
    });
  });
}

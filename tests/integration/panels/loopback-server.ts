import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request a loopback server received (body as text). */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Filled in when the handler answered. */
  status: number | null;
}

/** A handler: answers `res` for the logged request `req`. */
export type LoopbackHandler = (req: LoggedRequest, res: http.ServerResponse) => void | Promise<void>;

/** A small HTTP(S) server on 127.0.0.1 with a request log, for the panel HTTP tests. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  readonly log: LoggedRequest[];
  /** Swaps the TLS certificate (a "changed certificate" test); HTTPS only. */
  setCert(tls: { key: string; cert: string }): void;
  close(): Promise<void>;
}

/** Starts a loopback server; `tls` makes it HTTPS. */
export async function startLoopback(
  handler: LoopbackHandler,
  tls?: { key: string; cert: string },
): Promise<LoopbackServer> {
  const log: LoggedRequest[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const entry: LoggedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: null,
      };
      log.push(entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      Promise.resolve(handler(entry, res)).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    log,
    setCert(next) {
      (server as https.Server).setSecureContext({ key: next.key, cert: next.cert });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer with extra headers. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

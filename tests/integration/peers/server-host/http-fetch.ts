import type { X509Certificate } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** Options for {@link ServerHost.fetch}. */
export interface ServerFetchOptions {
  /** HTTPS on port 443 with SNI = host (default: HTTP on port 80). */
  https?: boolean;
  /** PEM CA to verify the served certificate against (for `host`); without it the certificate is not verified. */
  ca?: string | Buffer;
  /** Port (default 80 / 443). */
  port?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Milliseconds before the request fails (default 10 000). */
  timeoutMs?: number;
}

/** Result of {@link ServerHost.fetch}. */
export interface ServerFetchResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Certificate the server presented (HTTPS only). */
  certificate?: X509Certificate;
}

/**
 * An HTTP(S) request to `address` with Host `host` (and, over HTTPS, SNI `host`): how a browser would reach a site
 * on that server if `host` resolved to it. No keep-alive, so no idle connection holds an old nginx worker after a
 * reload.
 */
export function fetchFrom(
  address: string,
  host: string,
  path: string,
  opts: ServerFetchOptions = {},
): Promise<ServerFetchResult> {
  const tls = opts.https ?? false;
  const headers: Record<string, string> = { Host: host, Connection: 'close', ...opts.headers };
  const common = {
    host: address,
    port: opts.port ?? (tls ? 443 : 80),
    path,
    method: opts.method ?? 'GET',
    headers,
    agent: false as const, // no keep-alive: an idle connection would hold an old nginx worker after reload
    timeout: opts.timeoutMs ?? 10_000,
  };
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let certificate: X509Certificate | undefined;
      if (tls) {
        const raw = (res.socket as TLSSocket).getPeerX509Certificate?.();
        if (raw !== undefined) certificate = raw;
      }
      res.on('data', (d: Buffer) => chunks.push(d));
      res.once('error', reject);
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          ...(certificate !== undefined ? { certificate } : {}),
        }),
      );
    };
    const req = tls
      ? httpsRequest(
          {
            ...common,
            ...(isIP(host) === 0 ? { servername: host } : {}),
            ...(opts.ca !== undefined ? { ca: opts.ca } : { rejectUnauthorized: false }),
          },
          onResponse,
        )
      : httpRequest(common, onResponse);
    req.once('timeout', () => req.destroy(new Error(`request to ${host}${path} timed out`)));
    req.once('error', reject);
    req.end(opts.body);
  });
}

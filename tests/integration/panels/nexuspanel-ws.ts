import http from 'node:http';
import type https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { LoggedRequest } from './loopback-server';
import { serverMetrics } from './nexuspanel-routes';
import type { NexusStore, NxServer, NxUser } from './nexuspanel-store';

/** What the WebSocket side of the NexusPanel stand-in needs from the HTTP side. */
export interface WsDeps {
  readonly server: http.Server | https.Server;
  readonly log: LoggedRequest[];
  readonly store: NexusStore;
  readonly deviations: boolean;
  readonly metricsIntervalMs: number;
  authenticate(header: string | undefined): Promise<{ user: NxUser } | { code: number; message: string }>;
}

/** The seed's limit: 5 concurrent WebSocket connections per user. */
const PER_USER = 5;

function refuse(socket: Duplex, entry: LoggedRequest, status: number, code: number, message: string): void {
  entry.status = status;
  const text = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/** One sample of the seed's metrics stream every `intervalMs` (the first at once). */
function streamMetrics(ws: WebSocket, s: NxServer, intervalMs: number): void {
  let tick = 0;
  const send = (): void => {
    const m = serverMetrics(s, tick++);
    ws.send(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        cpu_percent: m.cpu.usage_percent,
        memory_percent: m.memory.usage_percent,
        disk_percent: 50,
        network_in: 1_024_000 + tick,
        network_out: 512_000 + tick,
      }),
    );
  };
  const timer = setInterval(send, intervalMs);
  send();
  ws.on('close', () => clearInterval(timer));
}

/**
 * The STAND-IN terminal: a line-editing echo shell, not a real shell and no SSH behind it. It echoes what is
 * typed like a tty, answers `echo X` with X, anything else with "<cmd>: command not found", and closes on `exit`.
 */
function echoShell(ws: WebSocket): void {
  let line = '';
  const out = (data: string): void => ws.send(JSON.stringify({ type: 'output', data }));
  out('Welcome to the NexusPanel stand-in terminal\r\n$ ');
  ws.on('message', (raw: RawData) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(Buffer.from(raw as Buffer).toString('utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    if (msg['type'] !== 'input' || typeof msg['data'] !== 'string') return;
    for (const ch of msg['data']) {
      if (ch === '\r' || ch === '\n') {
        const cmd = line.trim();
        line = '';
        if (cmd === 'exit') {
          out('\r\nlogout\r\n');
          ws.close(1000, 'exit');
          return;
        }
        const echo = /^echo(?:\s+(.*))?$/.exec(cmd);
        const answer = echo ? (echo[1] ?? '') : cmd === '' ? null : `${cmd.split(/\s+/)[0] ?? ''}: command not found`;
        out(`\r\n${answer !== null ? `${answer}\r\n` : ''}$ `);
      } else if (ch === '\x7f') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          out('\b \b');
        }
      } else {
        line += ch;
        out(ch);
      }
    }
  });
}

/**
 * The stand-in's WebSocket endpoints on the same server: the seed's `/api/v1/servers/:id/metrics/stream` and
 * `/api/v1/servers/:id/terminal`, or with deviations the public code's `/ws/metrics/:id` and `/ws/terminal/:id`
 * (the other pair answers 404). The bearer token is checked in the upgrade; every upgrade is logged with the
 * status answered (101 accepted).
 */
export function attachWebSockets(d: WsDeps): { count(): number; close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Map<WebSocket, number>();
  d.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: LoggedRequest = {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: '',
      status: null,
    };
    d.log.push(entry);
    const match = d.deviations
      ? /^\/ws\/(metrics|terminal)\/([^/]+)$/.exec(url.pathname)
      : /^\/api\/v1\/servers\/([^/]+)\/(metrics\/stream|terminal)$/.exec(url.pathname);
    if (match === null) {
      refuse(socket, entry, 404, 40401, 'Route not found');
      return;
    }
    const id = d.deviations ? match[2] : match[1];
    const kind = (d.deviations ? match[1] : match[2]) === 'terminal' ? 'terminal' : 'metrics';
    void d.authenticate(req.headers.authorization).then((who) => {
      if ('code' in who) return refuse(socket, entry, 401, who.code, who.message);
      const s = d.store.servers.find((x) => String(x.id) === id);
      if (!s) return refuse(socket, entry, 404, 40401, 'Server not found');
      if ([...open.values()].filter((u) => u === who.user.id).length >= PER_USER) {
        return refuse(socket, entry, 429, 42901, 'Too many WebSocket connections');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        entry.status = 101;
        open.set(ws, who.user.id);
        ws.on('close', () => open.delete(ws));
        if (kind === 'metrics') streamMetrics(ws, s, d.metricsIntervalMs);
        else echoShell(ws);
      });
    });
  });
  return {
    count: () => open.size,
    close() {
      for (const ws of open.keys()) ws.terminate();
      wss.close();
    },
  };
}

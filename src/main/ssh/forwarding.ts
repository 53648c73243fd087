import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { ClientChannel } from 'ssh2';
import { AppError, isAppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { ConnectionManager, SshLease } from './connection-manager';
import { SocksReply, parseGreeting, parseRequest, reply } from './socks5';
import type { SshTarget } from './ssh.types';

/** A forward to start: -L (local) to a fixed destination, or -D (dynamic, SOCKS5 CONNECT without auth). */
export type ForwardSpec =
  | { kind: 'local'; target: SshTarget; bindHost?: string; bindPort?: number; destHost: string; destPort: number }
  | { kind: 'dynamic'; target: SshTarget; bindHost?: string; bindPort?: number };

/** An active forward as listed to the UI (no secrets). */
export interface ForwardInfo {
  id: string;
  kind: 'local' | 'dynamic';
  targetId: string;
  bindHost: string;
  bindPort: number;
  destHost: string | null;
  destPort: number | null;
  /** Open tunnelled connections right now, and in total. */
  connections: number;
  totalConnections: number;
}

interface Active {
  info: ForwardInfo;
  server: Server;
  lease: SshLease;
  target: SshTarget;
  sockets: Set<Socket>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Bytes a SOCKS client may send before its request is complete (greeting + longest request is < 300). */
const SOCKS_MAX_HEADER = 1024;

/**
 * Port forwards over the pooled connections, like `ssh -L` and `ssh -D`.
 * Why loopback by default: a forward listening on all interfaces would let anyone on the network use the server's
 * network position; binding elsewhere must be asked for explicitly (`allowRemoteBind`).
 */
export class PortForwarder {
  readonly #manager: ConnectionManager;
  readonly #logger: Logger;
  readonly #active = new Map<string, Active>();
  readonly #onChange: () => void;

  /** `onChange` is called whenever a forward starts, stops, or its connection count changes. */
  constructor(deps: { manager: ConnectionManager; logger: Logger; onChange?: () => void }) {
    this.#manager = deps.manager;
    this.#logger = deps.logger;
    this.#onChange = deps.onChange ?? (() => undefined);
  }

  /** Connects (or reuses the connection), starts listening, and resolves with the bound address. */
  async start(spec: ForwardSpec, opts: { allowRemoteBind?: boolean } = {}): Promise<ForwardInfo> {
    const bindHost = spec.bindHost ?? '127.0.0.1';
    if (!LOOPBACK.has(bindHost) && opts.allowRemoteBind !== true) {
      throw new AppError(
        'VALIDATION',
        `Forwards listen on loopback only unless remote binding is allowed (${bindHost}).`,
      );
    }
    const lease = await this.#manager.acquire(spec.target);
    const id = randomUUID();
    const active: Active = {
      info: {
        id,
        kind: spec.kind,
        targetId: spec.target.id,
        bindHost,
        bindPort: 0,
        destHost: spec.kind === 'local' ? spec.destHost : null,
        destPort: spec.kind === 'local' ? spec.destPort : null,
        connections: 0,
        totalConnections: 0,
      },
      server: createServer((sock) => this.#accept(active, sock, spec)),
      lease,
      target: spec.target,
      sockets: new Set(),
    };
    try {
      await new Promise<void>((resolve, reject) => {
        active.server.once('error', reject);
        active.server.listen({ host: bindHost, port: spec.bindPort ?? 0 }, () => resolve());
      });
    } catch (e) {
      lease.release();
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      const where = `${bindHost}:${spec.bindPort ?? 0}`;
      const why =
        code === 'EADDRINUSE'
          ? `Port ${spec.bindPort ?? 0} on ${bindHost} is already in use by another program. Choose another port, or 0 for any free one.`
          : code === 'EACCES'
            ? `Listening on ${where} is not allowed: ports below 1024 need administrator rights. Choose a port above 1024.`
            : `Cannot listen on ${where} (${code}).`;
      throw new AppError('CONFLICT', why, { errno: code });
    }
    const addr = active.server.address();
    active.info.bindPort = typeof addr === 'object' && addr !== null ? addr.port : 0;
    this.#active.set(id, active);
    this.#logger.info('ssh.forward.started', {
      id,
      kind: spec.kind,
      targetId: spec.target.id,
      bindPort: active.info.bindPort,
    });
    this.#onChange();
    return { ...active.info };
  }

  /** Stops listening, closes its tunnelled connections and releases the connection. */
  async stop(id: string): Promise<void> {
    const a = this.#active.get(id);
    if (a === undefined) throw new AppError('NOT_FOUND', 'No such forward.');
    this.#active.delete(id);
    for (const s of a.sockets) s.destroy();
    await new Promise<void>((resolve) => a.server.close(() => resolve()));
    a.lease.release();
    this.#logger.info('ssh.forward.stopped', { id });
    this.#onChange();
  }

  list(): ForwardInfo[] {
    return [...this.#active.values()].map((a) => ({ ...a.info }));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.stop(id)));
  }

  /** The lease, renewed if the connection dropped since the forward started. */
  async #lease(a: Active): Promise<SshLease> {
    if (!a.lease.closed) return a.lease;
    const fresh = await this.#manager.acquire(a.target);
    a.lease.release();
    a.lease = fresh;
    return fresh;
  }

  #accept(a: Active, sock: Socket, spec: ForwardSpec): void {
    a.sockets.add(sock);
    a.info.connections++;
    a.info.totalConnections++;
    sock.once('close', () => {
      a.sockets.delete(sock);
      a.info.connections--;
      this.#onChange();
    });
    this.#onChange();
    sock.on('error', () => sock.destroy());
    const src = { host: sock.remoteAddress ?? '127.0.0.1', port: sock.remotePort ?? 0 };
    if (spec.kind === 'local') {
      sock.pause();
      void this.#open(a, src, spec.destHost, spec.destPort).then(
        (ch) => this.#splice(sock, ch, Buffer.alloc(0)),
        () => sock.destroy(),
      );
    } else this.#socks(a, sock, src);
  }

  #open(a: Active, src: { host: string; port: number }, host: string, port: number): Promise<ClientChannel> {
    return this.#lease(a).then((lease) => this.#manager.forwardOut(lease, src.host, src.port, host, port));
  }

  /** Joins a local socket and an SSH channel both ways; either side closing closes the other. */
  #splice(sock: Socket, ch: ClientChannel, head: Buffer): void {
    if (sock.destroyed) {
      ch.close();
      return;
    }
    if (head.length > 0) ch.write(head);
    ch.on('error', () => sock.destroy());
    ch.once('close', () => sock.destroy());
    sock.once('close', () => ch.close());
    sock.pipe(ch).pipe(sock);
    sock.resume();
  }

  /** SOCKS5: greeting → "no auth" → CONNECT request → forwardOut → reply → splice. */
  #socks(a: Active, sock: Socket, src: { host: string; port: number }): void {
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'connecting' = 'greeting';
    const fail = (code: number): void => {
      sock.end(stage === 'greeting' ? Buffer.from([5, 0xff]) : reply(code));
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > SOCKS_MAX_HEADER) return fail(SocksReply.generalFailure);
      if (stage === 'greeting') {
        const g = parseGreeting(buf);
        if (g.kind === 'more') return;
        if (g.kind === 'error' || !g.value.methods.includes(0x00)) return fail(SocksReply.notAllowed);
        sock.write(Buffer.from([5, 0x00]));
        buf = buf.subarray(g.used);
        stage = 'request';
      }
      if (stage === 'request') {
        const r = parseRequest(buf);
        if (r.kind === 'more') return;
        if (r.kind === 'error') return fail(r.reply);
        stage = 'connecting';
        const head = buf.subarray(r.used);
        sock.off('data', onData);
        sock.pause();
        const { host, port } = r.value;
        void this.#open(a, src, host, port).then(
          (ch) => {
            sock.write(reply(SocksReply.succeeded));
            this.#splice(sock, ch, head);
          },
          (e: unknown) => {
            this.#logger.info('ssh.forward.socks.refused', {
              id: a.info.id,
              code: isAppError(e) ? e.code : 'INTERNAL',
            });
            fail(SocksReply.connectionRefused);
          },
        );
      }
    };
    sock.on('data', onData);
  }
}

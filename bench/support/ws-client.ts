import { once } from 'node:events';
import WebSocket from 'ws';
import { decodeBinaryEvent } from '../../src/shared/binary-frame';
import type { Input, MethodName, Output } from '../../src/shared/contract';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, type HostFrame } from '../../src/shared/wire';

/** Where a WebSocket host listens and its per-launch token. */
export interface HostAddress {
  readonly port: number;
  readonly token: string;
  readonly origin: string;
}

/** A Node client of the loopback WebSocket host, speaking exactly what the renderer's bridge speaks. */
export class WsClient {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, (r: HostFrame & { kind: 'reply' }) => void>();
  readonly #listeners = new Set<(name: string, payload: Record<string, unknown>) => void>();
  #next = 1;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const ev = decodeBinaryEvent(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        for (const l of this.#listeners) l(ev.name, ev.payload);
        return;
      }
      const frame = JSON.parse(data.toString('utf8')) as HostFrame;
      if (frame.kind === 'reply') {
        this.#pending.get(frame.id)?.(frame);
        this.#pending.delete(frame.id);
      } else if (frame.kind === 'event') {
        for (const l of this.#listeners) l(frame.name, frame.payload as Record<string, unknown>);
      }
    });
  }

  /** Connects with the host's token and origin. */
  static async connect(host: HostAddress): Promise<WsClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token], {
      headers: { origin: host.origin },
    });
    await once(ws, 'open');
    return new WsClient(ws);
  }

  /** Calls a contract method; throws the wire error's message on failure. */
  async call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
    const id = this.#next++;
    const reply = new Promise<HostFrame & { kind: 'reply' }>((resolve) => this.#pending.set(id, resolve));
    this.#ws.send(JSON.stringify({ id, method, input }));
    const r = (await reply).result;
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Output<M>;
  }

  /** Sends a call without waiting for its reply (keystrokes, acks). */
  fire<M extends MethodName>(method: M, input: Input<M>): void {
    this.#ws.send(JSON.stringify({ id: this.#next++, method, input }));
  }

  on(listener: (name: string, payload: Record<string, unknown>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#ws.close();
  }
}

import type { PanelDeckBridge } from '../../shared/bridge';
import { decodeBinaryEvent } from '../../shared/binary-frame';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, type CallResult, type HostFrame } from '../../shared/wire';

/**
 * The renderer's side of the loopback WebSocket host: same PanelDeckBridge as Electron's preload.
 * The token comes from the page URL's fragment (never sent in an HTTP request) and is kept in
 * sessionStorage so a reload keeps working; the fragment is removed from the address bar.
 */
export function createWsBridge(location: Location, storage: Storage): PanelDeckBridge {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem('paneldeck.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? storage.getItem('paneldeck.token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;

  const pending = new Map<number, (r: CallResult) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const fail = (message: string): CallResult => ({ ok: false, error: { code: 'CONNECTION_FAILED', message } });

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => resolve(ws);
      ws.onmessage = (m: MessageEvent<string | ArrayBuffer>) => {
        if (m.data instanceof ArrayBuffer) {
          const { name, payload } = decodeBinaryEvent(new Uint8Array(m.data));
          for (const l of listeners) l(name, payload);
          return;
        }
        const frame = JSON.parse(m.data) as HostFrame;
        if (frame.kind === 'reply') {
          pending.get(frame.id)?.(frame.result);
          pending.delete(frame.id);
        } else if (frame.kind === 'event') {
          for (const l of listeners) l(frame.name, frame.payload);
        } else {
          for (const l of listeners) l('app.notice', { level: 'error', message: frame.error.message });
        }
      };
      ws.onclose = () => {
        socket = null;
        for (const [, settle] of pending) settle(fail('The connection to the PanelDeck core was lost.'));
        pending.clear();
        resolve(ws);
      };
    });
    return socket;
  };

  return {
    transport: 'web',
    async call(method, input) {
      const ws = await connect();
      if (ws.readyState !== WebSocket.OPEN) {
        return fail(
          'Cannot reach the PanelDeck core. Is `npm run dev:web` still running, and was the page opened with its token?',
        );
      }
      const id = nextId++;
      return new Promise<CallResult>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect();
      return () => listeners.delete(listener);
    },
  };
}

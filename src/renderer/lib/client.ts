import type { PanelDeckBridge } from '../../shared/bridge';
import type { EventName, Input, MethodName, Output, Payload } from '../../shared/contract';
import { AppError, type ErrorCode } from '../../shared/errors';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    paneldeck?: PanelDeckBridge;
  }
}

/** Per-call options of the client. */
export interface CallOptions {
  /**
   * Errors the caller shows itself (inline): they still throw, but skip the global error listeners, so one error
   * is never shown twice. `'all'`: the caller shows every error it gets (a form with its own error line).
   */
  readonly expected?: readonly ErrorCode[] | 'all';
}

/** The typed client over whichever bridge the page has. Derived from the contract; no per-method code. */
export interface Client {
  readonly transport: PanelDeckBridge['transport'];
  call<M extends MethodName>(method: M, input: Input<M>, options?: CallOptions): Promise<Output<M>>;
  on<E extends EventName>(name: E, listener: (payload: Payload<E>) => void): () => void;
  /**
   * Every failed call the caller did not declare `expected` reaches these listeners, one macrotask after it was
   * thrown: after the caller's catch, so a listener can skip what the caller showed (the global toast subscribes).
   */
  onError(listener: (error: AppError, method: string) => void): () => void;
}

/** Builds the client over a bridge; exported for tests, use `client` in the app. */
export function createClient(bridge: PanelDeckBridge): Client {
  const errorListeners = new Set<(error: AppError, method: string) => void>();
  return {
    transport: bridge.transport,
    async call(method, input, options) {
      const result = await bridge.call(method, input);
      if (result.ok) return result.value as Output<typeof method>;
      const error = AppError.fromWire(result.error);
      const expected = options?.expected;
      const shown = expected === 'all' || (expected?.includes(error.code) ?? false);
      // Listeners hear of it after the caller's own catch ran, so they can tell (wasShownInline) whether the
      // caller already put it on screen.
      if (!shown) setTimeout(() => errorListeners.forEach((l) => l(error, method)), 0);
      throw error;
    },
    on(name, listener) {
      return bridge.onEvent((n, payload) => {
        if (n === name) listener(payload as Payload<typeof name>);
      });
    },
    onError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
  };
}

/** Detects the transport: Electron's preload bridge when present, else the loopback WebSocket host. */
function detectBridge(): PanelDeckBridge {
  return window.paneldeck ?? createWsBridge(window.location, window.sessionStorage);
}

export const client: Client = createClient(detectBridge());

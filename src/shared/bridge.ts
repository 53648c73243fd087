import type { CallResult } from './wire';

/** IPC channel names shared by the Electron main process and the preload bridge. */
export const IPC_CALL = 'paneldeck:call';
export const IPC_EVENT = 'paneldeck:event';

/** Where the renderer is connected: Electron IPC or the loopback WebSocket host. */
export type BridgeTransport = 'electron' | 'web';

/**
 * What the renderer sees of the core, whatever the transport: one generic call and one event stream.
 * The typed client is derived from the contract on top of this (DESIGN.md rule 2), so nothing here
 * changes when a method is added.
 */
export interface PanelDeckBridge {
  readonly transport: BridgeTransport;
  call(method: string, input: unknown): Promise<CallResult>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

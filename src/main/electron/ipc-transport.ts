import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../shared/bridge';
import type { CallResult } from '../../shared/wire';
import type { Core } from '../core/create-core';
import { guardIpcCall } from './ipc-guard';
import { isTrustedSenderUrl } from './trusted-sender';

/**
 * Serves the dispatcher over Electron IPC. Every call is checked for a trusted sender, a known method and a bounded
 * input (ipc-guard.ts) before the dispatcher (which validates the input) sees it; events go to the window's
 * webContents. Only the one call channel has a handler: the preload exposes nothing else, and Electron drops
 * messages on channels nobody listens to.
 */
export function serveIpc(
  core: Core,
  target: WebContents,
  trusted: { fileUrl: string; devOrigin?: string },
): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<CallResult> => {
    const senderUrl = event.senderFrame?.url;
    if (event.sender !== target || event.senderFrame?.parent !== null || !isTrustedSenderUrl(senderUrl, trusted)) {
      core.logger.warn('ipc.untrusted-sender');
      return {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'Calls are accepted only from the PanelDeck window.' },
      };
    }
    const guarded = guardIpcCall(method, input);
    if (!guarded.ok) {
      core.logger.warn('ipc.call-refused', { code: guarded.error.code });
      return { ok: false, error: guarded.error };
    }
    return core.dispatcher.call(guarded.call.method, guarded.call.input, { transport: 'electron' });
  });
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type PanelDeckBridge } from '../shared/bridge';
import type { CallResult } from '../shared/wire';

/** Only bridges: one generic call and one event stream, derived from nothing but the channel names. */
const bridge: PanelDeckBridge = {
  transport: 'electron',
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, method, input) as Promise<CallResult>,
  onEvent: (listener) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('paneldeck', bridge);

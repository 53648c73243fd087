import { useEffect, useState } from 'react';
import { client } from '../../lib/client';
import { useStore } from '../../store';
import { layoutToSave, loadLayout, saveLayout } from './saved-layout';
import { applyOptionsToAll } from './terminal-registry';
import { dispatchTerminalData, dispatchTerminalReplay } from './terminal-io';
import { applySessionState, markReconnected, reattachSessions, terminalOptions } from './sessions';

/**
 * Subscribes once, for the app's lifetime, to the terminal and SSH prompt events. terminal.data goes to the
 * byte dispatcher (never the store); state and prompts go to the store.
 */
export function useTerminalEvents(): void {
  useEffect(() => {
    const s = useStore.getState();
    const offs = [
      client.on('terminal.data', (p) => dispatchTerminalData(p.sessionId, p.data)),
      client.on('terminal.replay', (p) => dispatchTerminalReplay(p.sessionId, p.data)),
      client.on('terminal.state', (p) => applySessionState(p.sessionId, p.state)),
      client.on('terminal.reconnected', (p) => markReconnected(p.sessionId, p.downtimeMs)),
      client.on('ssh.hostKey.prompt', (p) => s.pushHostKeyPrompt(p)),
      client.on('ssh.keyboard.prompt', (p) => s.pushKeyboardPrompt(p)),
      client.on('ssh.prompt.closed', (p) => s.dropPrompt(p.promptId)),
    ];
    // After a reload the core's shells get their tabs and splits back; read the saved layout before the first change.
    const saved = loadLayout();
    offs.push(
      useStore.subscribe((st, prev) => {
        if (
          st.termTabs === prev.termTabs &&
          st.termPanes === prev.termPanes &&
          st.activeTermTabId === prev.activeTermTabId
        )
          return;
        saveLayout(layoutToSave(st));
      }),
    );
    reattachSessions(saved).catch(() => undefined);
    return () => offs.forEach((off) => off());
  }, []);
}

/** The app's resolved light/dark theme, following <html data-theme> as App's useTheme sets it. */
function useDocumentTheme(): string | undefined {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

/** Pushes font, size, scrollback and palette changes (settings or app theme) into every open terminal. */
export function useTerminalOptionsSync(): void {
  const settings = useStore((s) => s.terminalSettings);
  const theme = useDocumentTheme();
  useEffect(() => {
    applyOptionsToAll(terminalOptions(settings));
  }, [settings, theme]);
}

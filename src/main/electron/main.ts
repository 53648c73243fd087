import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, nativeTheme, Notification, powerMonitor, session, shell } from 'electron';
import { nativeFileDialogs } from './file-dialogs';
import { createCore } from '../core/create-core';
import { defaultDataDir } from '../core/paths';
import { serveIpc } from './ipc-transport';
import { ELECTRON_CSP, mainWindowOptions } from './window-options';

/** Electron entry: single instance, hardened session, one window served over IPC by the shared core. */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  let win: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Deny by default: no new windows, no navigation away, no webviews (Electron security checklist 12-14).
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e, url) => {
      if (url !== contents.getURL()) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
    });

    const dataDir = process.env.PANELDECK_DATA_DIR ? defaultDataDir() : app.getPath('userData');
    const core = createCore({
      dataDir,
      electronVersion: process.versions.electron ?? null,
      strict: !app.isPackaged,
      // Only reached through app.openExternal, which admits http(s) URLs without credentials (contract + core).
      openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
      // Certificate expiry notices (21/7/1 days before) and alerts as desktop notifications; a click shows the app.
      notify: (n) => {
        if (!Notification.isSupported()) return;
        const note = new Notification({ title: n.title, body: n.body });
        note.on('click', () => {
          win?.show();
          win?.focus();
          n.onClick?.();
        });
        note.show();
      },
      // app.pickFile / app.pickSaveFile: native dialogs, modal to the window once it exists.
      dialogs: nativeFileDialogs(() => win),
    });
    powerMonitor.on('suspend', () => core.vault.lock('suspend'));
    powerMonitor.on('lock-screen', () => core.vault.lock('suspend'));
    const preload = path.join(import.meta.dirname, '../preload/index.cjs');
    // The security flags live in window-options.ts (asserted by tests/unit/foundation/electron-window.test.ts
    // and by the Electron-launch spec reading getLastWebPreferences); the scanner cannot follow the call.
    win = new BrowserWindow(mainWindowOptions(preload, nativeTheme.shouldUseDarkColors)); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    const indexHtml = path.join(import.meta.dirname, '../renderer/index.html');
    const devUrl = process.env.ELECTRON_RENDERER_URL;
    const stop = serveIpc(core, win.webContents, {
      fileUrl: pathToFileURL(indexHtml).href,
      ...(devUrl ? { devOrigin: new URL(devUrl).origin } : {}),
    });
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      stop();
      win = null;
    });
    if (devUrl) void win.loadURL(devUrl);
    else void win.loadFile(indexHtml);

    app.on('window-all-closed', () => {
      void core.close().finally(() => app.quit());
    });
  });
}

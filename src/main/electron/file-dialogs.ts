import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { FileDialogOptions } from '../../shared/contract/app.contract';
import type { FileDialogs } from '../services/app.service';

/**
 * The native open and save dialogs behind `app.pickFile` / `app.pickSaveFile` (issue 8, item 6). Modal to the
 * main window when there is one. The save dialog asks before replacing a file itself, so a path it returns is
 * exported with `overwrite` by the UI; the core still checks the folder and the file type.
 */
export function nativeFileDialogs(window: () => BrowserWindow | null): FileDialogs {
  return {
    async pickFile(o: FileDialogOptions) {
      const options: OpenDialogOptions = {
        title: o.title,
        properties: ['openFile', 'showHiddenFiles', 'dontAddToRecent'],
        ...(o.defaultPath ? { defaultPath: o.defaultPath } : {}),
        ...(o.filters ? { filters: o.filters } : {}),
      };
      const win = window();
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async pickSaveFile(o: FileDialogOptions) {
      const options: SaveDialogOptions = {
        title: o.title,
        properties: ['showHiddenFiles', 'createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
        ...(o.defaultPath ? { defaultPath: o.defaultPath } : {}),
        ...(o.filters ? { filters: o.filters } : {}),
      };
      const win = window();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

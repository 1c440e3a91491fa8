import { writeFile } from 'node:fs/promises';
import { type BrowserWindow, dialog } from 'electron';
import type { HostDialogs } from '../services/lab-rpc';

/** Electron's native folder picker and save dialog. */
export function electronDialogs(window: BrowserWindow): HostDialogs {
  return {
    async chooseDatasetDir() {
      const result = await dialog.showOpenDialog(window, {
        title: 'Dataset folder (four MNIST-format IDX files)',
        properties: ['openDirectory'],
      });
      return result.canceled ? undefined : result.filePaths[0];
    },
    async savePng(request) {
      const result = await dialog.showSaveDialog(window, {
        defaultPath: request.suggestedName,
        filters: [{ name: 'PNG image', extensions: ['png'] }],
      });
      if (result.canceled || !result.filePath) return { saved: false };
      const base64 = request.dataUrl.slice('data:image/png;base64,'.length);
      await writeFile(result.filePath, Buffer.from(base64, 'base64'));
      return { saved: true, path: result.filePath };
    },
  };
}

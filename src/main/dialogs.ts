import { writeFile } from 'node:fs/promises';
import { type BrowserWindow, dialog } from 'electron';
import type { HostDialogs } from '../services/lab-rpc';
import { DATA_URL_PREFIXES, type SaveFileType, saveFileTypeOf } from '../shared/api';

/** The save dialog's filter for each type the lab exports. */
const FILTERS: Record<SaveFileType, { name: string; extensions: string[] }> = {
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  json: { name: 'JSON data', extensions: ['json'] },
  npz: { name: 'NumPy arrays', extensions: ['npz'] },
};

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
    async saveFile(request) {
      const type = saveFileTypeOf(request.suggestedName);
      const result = await dialog.showSaveDialog(window, {
        defaultPath: request.suggestedName,
        filters: [FILTERS[type]],
      });
      if (result.canceled || !result.filePath) return { saved: false };
      // A PNG or an .npz comes as a data: URL (validated in shared/api.ts), the others as their text.
      const prefix = DATA_URL_PREFIXES[type];
      const content = prefix
        ? Buffer.from(request.content.slice(prefix.length), 'base64')
        : Buffer.from(request.content, 'utf8');
      await writeFile(result.filePath, content);
      return { saved: true, path: result.filePath };
    },
  };
}

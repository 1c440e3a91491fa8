import { contextBridge, ipcRenderer } from 'electron';
import type { LabApi, RunEvent } from '../shared/api';

/**
 * The renderer's only bridge: window.lab, the typed LabApi as named functions. No ipcRenderer, no
 * channel names, nothing else reaches the page. (A sandboxed preload can import nothing but electron.)
 */
const invoke = (name: keyof LabApi, ...args: unknown[]) => ipcRenderer.invoke(`lab:${name}`, ...args);

const lab: LabApi = {
  info: () => invoke('info'),
  startRun: (request) => invoke('startRun', request),
  cancelRun: (runId) => invoke('cancelRun', runId),
  onRunEvent: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, runEvent: RunEvent) => listener(runEvent);
    ipcRenderer.on('lab:run-event', handler);
    return () => {
      ipcRenderer.removeListener('lab:run-event', handler);
    };
  },
  listRuns: () => invoke('listRuns'),
  getRun: (runId) => invoke('getRun', runId),
  deleteRun: (runId) => invoke('deleteRun', runId),
  chooseDatasetDir: (typedPath) => invoke('chooseDatasetDir', typedPath),
  resetDatasetDir: () => invoke('resetDatasetDir'),
  savePng: (request) => invoke('savePng', request),
};

contextBridge.exposeInMainWorld('lab', lab);

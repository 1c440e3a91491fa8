import { contextBridge, ipcRenderer } from 'electron';
import type { RunEvent } from '../shared/api';
import { RUN_EVENT_CHANNEL, labCallChannel } from '../shared/ipc-channels';
import { labApiOver } from '../shared/lab-calls';

/**
 * The renderer's only bridge: window.lab, the typed LabApi as named functions, one per call of the
 * shared table (src/shared/lab-calls.ts). No ipcRenderer, no channel names, nothing else reaches the
 * page. A sandboxed preload can require nothing but electron: the table and zod are bundled in.
 */
const lab = labApiOver({
  call: (name, args) => ipcRenderer.invoke(labCallChannel(name), ...args),
  onRunEvent: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, runEvent: RunEvent) => listener(runEvent);
    ipcRenderer.on(RUN_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(RUN_EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld('lab', lab);

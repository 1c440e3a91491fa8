import { contextBridge, ipcRenderer } from 'electron';
import { type MenuAction, type RunEvent, menuActionSchema } from '../shared/api';
import { MENU_ACTION_CHANNEL, RUN_EVENT_CHANNEL, labCallChannel } from '../shared/ipc-channels';
import { labApiOver } from '../shared/lab-calls';

/**
 * The renderer's only bridge: window.lab, the typed LabApi as named functions, one per call of the
 * shared table (src/shared/lab-calls.ts), and window.labShell, the application menu's actions. No
 * ipcRenderer, no channel names, nothing else reaches the page. A sandboxed preload can require nothing
 * but electron: the table and zod are bundled in.
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

const labShell = {
  /** The application menu's actions (validated); returns the function that unsubscribes. */
  onMenuAction(listener: (action: MenuAction) => void): () => void {
    const handler = (_event: Electron.IpcRendererEvent, raw: unknown) => {
      const action = menuActionSchema.safeParse(raw);
      if (action.success) listener(action.data);
    };
    ipcRenderer.on(MENU_ACTION_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(MENU_ACTION_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('labShell', labShell);

import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { RunEvent } from '../shared/api';
import { LAB_CALLS, type HostDialogs, dispatchLabCall } from './services/lab-rpc';
import type { LabService } from './services/lab-service';
import { isAppUrl } from './window';

export const RUN_EVENT_CHANNEL = 'lab:run-event';

/**
 * One ipc handler per LabApi call, `lab:<name>`. Each checks that the call comes from the lab's own
 * window and page, then validates its payload against the shared schemas (in dispatchLabCall).
 */
export function registerLabIpc(service: LabService, window: BrowserWindow, dialogs: HostDialogs): void {
  const fromOurWindow = (event: IpcMainInvokeEvent) =>
    event.sender === window.webContents && isAppUrl(event.senderFrame?.url ?? '');

  for (const name of Object.keys(LAB_CALLS)) {
    ipcMain.handle(`lab:${name}`, (event, ...args: unknown[]) => {
      if (!fromOurWindow(event)) throw new Error(`lab:${name} refused: not from the lab's window`);
      return dispatchLabCall(service, dialogs, name, args);
    });
  }
  service.onRunEvent((event: RunEvent) => {
    if (!window.isDestroyed()) window.webContents.send(RUN_EVENT_CHANNEL, event);
  });
}

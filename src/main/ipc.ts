import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { RunEvent } from '../shared/api';
import { RUN_EVENT_CHANNEL, labCallChannel } from '../shared/ipc-channels';
import { LAB_CALL_NAMES } from '../shared/lab-calls';
import { type HostDialogs, dispatchLabCall } from '../services/lab-rpc';
import type { LabService } from '../services/lab-service';
import { isAppUrl } from './window';

/**
 * One ipc handler per call of the LabApi's table (src/shared/lab-calls.ts), on its channel from
 * src/shared/ipc-channels.ts. Each checks that the call comes from the lab's own window and page, then
 * validates its payload against the table's schema (in dispatchLabCall).
 */
export function registerLabIpc(service: LabService, window: BrowserWindow, dialogs: HostDialogs): void {
  const fromOurWindow = (event: IpcMainInvokeEvent) =>
    event.sender === window.webContents && isAppUrl(event.senderFrame?.url ?? '');

  for (const name of LAB_CALL_NAMES) {
    const channel = labCallChannel(name);
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!fromOurWindow(event)) throw new Error(`${channel} refused: not from the lab's window`);
      return dispatchLabCall(service, dialogs, name, args);
    });
  }
  service.onRunEvent((event: RunEvent) => {
    if (!window.isDestroyed()) window.webContents.send(RUN_EVENT_CHANNEL, event);
  });
}

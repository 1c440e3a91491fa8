import path from 'node:path';
import { app } from 'electron';
import { defaultDataDir } from '../engine/data/mnist';
import { sampleDropoutMasks } from '../engine/nn/dropout-masks';
import { HistoryStore } from '../services/history';
import { LabService } from '../services/lab-service';
import { SettingsStore } from '../services/settings';
import { electronDialogs } from './dialogs';
import { registerLabIpc } from './ipc';
import { applySecurityRules } from './security';
import { forkUtilityWorker } from './utility-worker';
import { createMainWindow, isAppUrl } from './window';

/** The Electron bootstrap: one window, the lab service behind ipc, training in utility processes. */
// Tests (and anyone keeping several labs apart) point the history and settings elsewhere.
if (process.env.DLFS_USER_DATA) app.setPath('userData', process.env.DLFS_USER_DATA);
if (!app.requestSingleInstanceLock()) app.quit();
applySecurityRules(isAppUrl);

let service: LabService | undefined;

/** Once Electron is ready: the lab service, its ipc and the one window. */
function startLab(): void {
  const userData = app.getPath('userData');
  service = new LabService({
    history: new HistoryStore(path.join(userData, 'runs')),
    settings: SettingsStore.inFolder(userData),
    launchWorker: () => forkUtilityWorker({ ...process.env }),
    defaultDataDir: defaultDataDir(),
    host: 'electron',
    dropoutMasks: sampleDropoutMasks,
    version: app.getVersion(),
  });
  const window = createMainWindow();
  registerLabIpc(service, window, electronDialogs(window));
  service.warmUp();
}

app
  .whenReady()
  .then(startLab)
  .catch((error: unknown) => {
    // A lab without its service or window is of no use: the failure is logged and the app exits.
    console.error('DLFS Lab could not start:', error);
    app.exit(1);
  });

// Closing mid-run keeps the run: it is saved as cancelled (interrupted) with every streamed point.
app.on('before-quit', () => service?.shutdown());
app.on('window-all-closed', () => app.quit());

import path from 'node:path';
import { app } from 'electron';
import { defaultDataDir } from '../engine/data/mnist';
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

app.whenReady().then(() => {
  const userData = app.getPath('userData');
  service = new LabService({
    history: new HistoryStore(path.join(userData, 'runs')),
    settings: SettingsStore.inFolder(userData),
    launchWorker: () => forkUtilityWorker({ ...process.env }),
    defaultDataDir: defaultDataDir(),
    host: 'electron',
    version: app.getVersion(),
  });
  const window = createMainWindow();
  registerLabIpc(service, window, electronDialogs(window));
  service.warmUp();
});

// Closing mid-run keeps the run: it is saved as cancelled (interrupted) with every streamed point.
app.on('before-quit', () => service?.shutdown());
app.on('window-all-closed', () => app.quit());

import path from 'node:path';
import { app, crashReporter } from 'electron';
import { defaultDataDir } from '../engine/data/mnist';
import { sampleDropoutMasks } from '../engine/nn/dropout-masks';
import { HistoryStore } from '../services/history';
import { LabService } from '../services/lab-service';
import { RotatingLog } from '../services/rotating-log';
import { SettingsStore } from '../services/settings';
import { installAppMenu } from './app-menu';
import { electronDialogs } from './dialogs';
import { registerLabIpc } from './ipc';
import { logRuns, loggedWorker } from './lab-log';
import { applySecurityRules } from './security';
import { forkUtilityWorker } from './utility-worker';
import { createMainWindow, isAppUrl } from './window';
import { loadWindowState, rememberWindow } from './window-memory';

/**
 * The Electron bootstrap: one window (a second launch focuses it), the lab service behind ipc, training
 * in utility processes, the application menu, a rotating log and local crash dumps.
 */
// Tests (and anyone keeping several labs apart) point the history, settings and logs elsewhere.
if (process.env.DLFS_USER_DATA) {
  app.setPath('userData', process.env.DLFS_USER_DATA);
  app.setAppLogsPath(path.join(process.env.DLFS_USER_DATA, 'logs'));
}
// Crash dumps stay on this machine (app.getPath('crashDumps')); nothing is ever uploaded.
crashReporter.start({ uploadToServer: false });
const log = new RotatingLog(app.getPath('logs'), 'main');
process.on('uncaughtException', (error) => log.error('uncaught exception in main', error));
process.on('unhandledRejection', (reason) => log.error('unhandled rejection in main', reason));

const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
applySecurityRules(isAppUrl);

let service: LabService | undefined;

/** Once Electron is ready: the lab service, its ipc, the window where it was, and the menu. */
function startLab(): void {
  log.info(`DLFS Lab ${app.getVersion()} starting (Electron ${process.versions.electron})`);
  const userData = app.getPath('userData');
  service = new LabService({
    history: new HistoryStore(path.join(userData, 'runs')),
    settings: SettingsStore.inFolder(userData),
    launchWorker: () =>
      loggedWorker(
        forkUtilityWorker({ ...process.env }, (text) => log.warn(`training worker: ${text}`)),
        log,
      ),
    defaultDataDir: defaultDataDir(),
    host: 'electron',
    dropoutMasks: sampleDropoutMasks,
    version: app.getVersion(),
  });
  logRuns(service, log);
  const state = loadWindowState();
  const window = createMainWindow(state);
  rememberWindow(window, state);
  registerLabIpc(service, window, electronDialogs(window));
  installAppMenu(window, service, log);
  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  service.warmUp();
}

if (firstInstance) {
  app
    .whenReady()
    .then(startLab)
    .catch((error: unknown) => {
      // A lab without its service or window is of no use: the failure is logged and the app exits.
      log.error('DLFS Lab could not start', error);
      console.error('DLFS Lab could not start:', error);
      app.exit(1);
    });
}

// Closing mid-run keeps the run: it is saved as cancelled (interrupted) with every streamed point.
app.on('before-quit', () => {
  service?.shutdown();
  log.info('DLFS Lab closed');
});
app.on('window-all-closed', () => app.quit());

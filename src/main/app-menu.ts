import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type BrowserWindow, Menu, app, dialog, shell } from 'electron';
import type { MenuAction } from '../shared/api';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../shared/experiments';
import { MENU_ACTION_CHANNEL } from '../shared/ipc-channels';
import type { Locale } from '../shared/slots/slot';
import { chapterNotesHtml } from '../services/chapter-notes';
import type { LabService } from '../services/lab-service';
import type { RotatingLog } from '../services/rotating-log';
import { aboutText, menuTemplate } from './menu';
import { MENU_LABELS } from './menu-labels';

/** The tfjs version the worker loads (read from its package, so main does not load tfjs itself). */
function tfjsVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Opens a folder or file with the system's handler; a failure goes to the log. */
function open(target: string, log: RotatingLog): void {
  shell.openPath(target).then(
    (problem) => {
      if (problem) log.warn(`could not open ${target}: ${problem}`);
    },
    (error: unknown) => log.error(`could not open ${target}`, error),
  );
}

/**
 * The application menu, in the language the renderer last chose (else the system's), rebuilt when it
 * changes. Its actions go to the window as the renderer's own shortcut actions.
 */
export function installAppMenu(window: BrowserWindow, service: LabService, log: RotatingLog): void {
  const build = (locale: Locale) => {
    const labels = MENU_LABELS[locale];
    const send = (action: MenuAction) => {
      if (!window.isDestroyed()) window.webContents.send(MENU_ACTION_CHANNEL, action);
    };
    const template = menuTemplate(
      {
        send,
        openChapterNotes: () => {
          const file = path.join(app.getPath('userData'), `chapter-6-notes.${locale}.html`);
          try {
            writeFileSync(file, chapterNotesHtml(locale));
            open(file, log);
          } catch (error) {
            log.error('could not write the chapter notes', error);
          }
        },
        openHistoryFolder: () => open(service.info().historyDir, log),
        openLogFolder: () => open(app.getPath('logs'), log),
        showAbout: () => {
          const detail = aboutText(
            {
              app: app.getVersion(),
              electron: process.versions.electron ?? 'unknown',
              chromium: process.versions.chrome ?? 'unknown',
              node: process.versions.node,
              tfjs: tfjsVersion(),
              backend: service.info().backend,
            },
            labels,
          );
          void dialog.showMessageBox(window, { type: 'info', title: labels.aboutTitle, message: 'DLFS Lab', detail });
        },
      },
      {
        labels,
        experimentTitles: EXPERIMENT_IDS.map((id) => EXPERIMENTS[id].text[locale].title),
        isMac: process.platform === 'darwin',
        isDevelopment: !app.isPackaged && process.env.ELECTRON_RENDERER_URL !== undefined,
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  build(service.locale() ?? (app.getLocale().startsWith('zh') ? 'zh-CN' : 'en'));
  service.onLocaleChange(build);
}

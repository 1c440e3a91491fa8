import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../shared/api';
import { SHORTCUT_KEYS } from '../shared/shortcut-keys';
import type { MenuLabels } from './menu-labels';

/** What the menu's own items do; the roles (reload, zoom, window) are Electron's. */
export interface MenuCommands {
  /** Sends an action to the window: the renderer performs it as it would its keyboard shortcut. */
  send(action: MenuAction): void;
  openChapterNotes(): void;
  openHistoryFolder(): void;
  openLogFolder(): void;
  showAbout(): void;
}

export interface MenuOptions {
  labels: MenuLabels;
  /** The experiments' titles in the menu's language, in the order of the sidebar (Ctrl/Cmd+1..9: the first nine). */
  experimentTitles: readonly string[];
  isMac: boolean;
  /** Developer tools only while developing (`npm run dev`), never in the installed app. */
  isDevelopment: boolean;
}

/**
 * The application menu: File, Experiment, View, Window, Help. Run, cancel, the experiments and the
 * chart export carry the renderer's shortcut keys as labels only (`registerAccelerator: false`): the
 * window's own key handler does them, so a key press never fires twice, and the item's click sends the
 * same action.
 */
export function menuTemplate(commands: MenuCommands, options: MenuOptions): MenuItemConstructorOptions[] {
  const { labels } = options;
  const shortcut = (accelerator: string) => ({ accelerator, registerAccelerator: false });
  const file: MenuItemConstructorOptions = {
    label: labels.file,
    submenu: [
      { label: labels.chooseDataset, click: () => commands.send({ kind: 'choose-dataset' }) },
      {
        label: labels.exportChart,
        ...shortcut(SHORTCUT_KEYS.exportChart.accelerator),
        click: () => commands.send({ kind: 'export-chart' }),
      },
      { type: 'separator' },
      { label: labels.quit, role: 'quit' },
    ],
  };
  const experiment: MenuItemConstructorOptions = {
    label: labels.experiment,
    submenu: [
      { label: labels.run, ...shortcut(SHORTCUT_KEYS.run.accelerator), click: () => commands.send({ kind: 'run' }) },
      {
        label: labels.cancel,
        ...shortcut(SHORTCUT_KEYS.cancel.accelerator),
        click: () => commands.send({ kind: 'cancel' }),
      },
      { type: 'separator' },
      ...options.experimentTitles.map((title, index): MenuItemConstructorOptions => {
        const key = SHORTCUT_KEYS.experiment(index);
        return {
          label: title,
          ...(key ? shortcut(key.accelerator) : {}),
          click: () => commands.send({ kind: 'experiment', index }),
        };
      }),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: labels.view,
    submenu: [
      { label: labels.reload, role: 'reload' },
      { type: 'separator' },
      { label: labels.resetZoom, role: 'resetZoom' },
      { label: labels.zoomIn, role: 'zoomIn' },
      { label: labels.zoomOut, role: 'zoomOut' },
      { type: 'separator' },
      { label: labels.fullScreen, role: 'togglefullscreen' },
      ...(options.isDevelopment
        ? [{ type: 'separator' } as const, { label: labels.devTools, role: 'toggleDevTools' } as const]
        : []),
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: labels.window,
    role: 'windowMenu',
    submenu: [
      { label: labels.minimize, role: 'minimize' },
      { label: labels.close, role: 'close' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: labels.help,
    role: 'help',
    submenu: [
      { label: labels.chapterNotes, click: () => commands.openChapterNotes() },
      { type: 'separator' },
      { label: labels.historyFolder, click: () => commands.openHistoryFolder() },
      { label: labels.logFolder, click: () => commands.openLogFolder() },
      { type: 'separator' },
      { label: labels.about, click: () => commands.showAbout() },
    ],
  };
  // macOS puts the app's own menu first (About, Quit live there too).
  const appMenu: MenuItemConstructorOptions[] = options.isMac ? [{ role: 'appMenu' }] : [];
  return [...appMenu, file, experiment, view, window, help];
}

/** The versions About shows. */
export interface AboutVersions {
  app: string;
  electron: string;
  chromium: string;
  node: string;
  tfjs: string;
  /** The backend the worker reported, if one has loaded. */
  backend: string | null;
}

export function aboutText(versions: AboutVersions, labels: MenuLabels): string {
  return [
    `DLFS Lab ${versions.app}`,
    `Electron ${versions.electron}`,
    `Chromium ${versions.chromium}`,
    `Node.js ${versions.node}`,
    `TensorFlow.js ${versions.tfjs}`,
    `Backend: ${versions.backend ?? labels.backendNotReported}`,
  ].join('\n');
}

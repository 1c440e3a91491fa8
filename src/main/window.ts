import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow } from 'electron';
import type { WindowState } from '../services/window-state';
import { MIN_WINDOW_SIZE } from './window-memory';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The lab's one window: context isolation and sandbox on, no Node in the page, the preload as its only
 * bridge. It opens where it was last closed, on the experiment it showed.
 */
export function createMainWindow(state: WindowState): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    ...state.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'DLFS Lab',
    backgroundColor: '#ffffff',
    // resources/ beside out/: in the checkout, and in the packaged app (electron-builder.yml, files).
    icon: path.join(here, '../../resources/icon.png'),
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle clicks open nothing either (electronegativity AUXCLICK_JS_CHECK); new windows are denied too.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    if (state.fullScreen) window.setFullScreen(true);
    window.show();
  });
  const hash = state.lastExperiment ? `/experiment/${state.lastExperiment}` : '';
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) void window.loadURL(hash ? `${devServer}#${hash}` : devServer);
  else void window.loadFile(path.join(here, '../renderer/index.html'), hash ? { hash } : {});
  return window;
}

/** The app's own pages: the built renderer on disk, or the dev server during `npm run dev`. */
export function isAppUrl(url: string): boolean {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer && url.startsWith(devServer)) return true;
  return url.startsWith('file://') && url.includes('/renderer/');
}

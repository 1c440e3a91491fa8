import path from 'node:path';
import { type BrowserWindow, app, screen } from 'electron';
import { type WindowState, WindowStateStore, experimentOfUrl } from '../services/window-state';

export const MIN_WINDOW_SIZE = { width: 900, height: 600 };

function store(): WindowStateStore {
  return new WindowStateStore(path.join(app.getPath('userData'), 'window-state.json'));
}

/** The window's remembered size, place and last experiment (after Electron is ready: it asks the screens). */
export function loadWindowState(): WindowState {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  return store().load(workAreas, MIN_WINDOW_SIZE);
}

/**
 * Remembers the window as it closes: its normal (not maximized) bounds, whether it was maximized or full
 * screen, and the experiment it showed last (followed as the page's address changes).
 */
export function rememberWindow(window: BrowserWindow, initial: WindowState): void {
  let lastExperiment = initial.lastExperiment;
  window.webContents.on('did-navigate-in-page', (_event, url) => {
    lastExperiment = experimentOfUrl(url) ?? lastExperiment;
  });
  window.on('close', () => {
    store().save({
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
      fullScreen: window.isFullScreen(),
      ...(lastExperiment ? { lastExperiment } : {}),
    });
  });
}

import { type WebContents, app, session } from 'electron';

/**
 * The window's security rules, hooked on every web contents as it is created (after
 * cawa-93/vite-electron-builder): no navigation away from the app, no new windows, no permissions.
 */
export function applySecurityRules(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app
    .whenReady()
    .then(() => {
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);
    })
    .catch((error: unknown) => {
      // Without these rules pages would get Electron's default permissions: better not to run at all.
      console.error('DLFS Lab could not apply its permission rules:', error);
      app.exit(1);
    });
}

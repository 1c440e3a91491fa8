/**
 * The control channel between a test and the Electron double (electron.test-helpers.ts) running inside
 * a main process under plain Node: the test sends commands over the child's ipc, the double replies and
 * reports what the main process did with Electron (events). Adding a command: one entry in
 * DoubleCommands, one handler in the double's COMMANDS table (the compiler asks for both).
 */

/** Who an ipc call comes from: the lab window's page (or one of its frames at `frameUrl`), or another web contents. */
export interface Caller {
  webContents: 'main' | 'other';
  /** The sending frame's URL; by default the web contents' current URL. */
  frameUrl?: string;
}

export interface WindowState {
  id: number;
  webContentsId: number;
  url: string;
  title: string;
  shown: boolean;
  destroyed: boolean;
  bounds: { x: number; y: number; width: number; height: number };
  maximized: boolean;
  minimized: boolean;
  fullScreen: boolean;
  webPreferences: Record<string, unknown>;
}

export interface UtilityProcessState {
  pid: number | undefined;
  serviceName: string;
  modulePath: string;
  alive: boolean;
}

/** An application menu item: what the user sees. */
export interface MenuItemState {
  label: string;
  role?: string;
  type: string;
  accelerator?: string;
  enabled: boolean;
  visible: boolean;
  submenu?: MenuItemState[];
}

export interface DoubleState {
  ready: boolean;
  quitting: boolean;
  windows: WindowState[];
  /** The channels with an ipcMain.handle handler. */
  ipcHandlers: string[];
  utilityProcesses: UtilityProcessState[];
  paths: Record<string, string>;
  permissionHandlers: { request: boolean; check: boolean };
  /** What crashReporter.start was given, if it was called. */
  crashReporter: Record<string, unknown> | null;
  /** How many listeners the main process keeps on each app event. */
  appListeners: Record<string, number>;
}

/** What a dialog returns next (else: cancelled). */
export interface DialogResults {
  showOpenDialog?: { canceled: boolean; filePaths: string[] };
  showSaveDialog?: { canceled: boolean; filePath?: string };
}

export interface DoubleCommands {
  /** ipcRenderer.invoke from a caller: the handler's value, or its error as the renderer would see it. */
  invoke: { args: { channel: string; args: unknown[]; from: Caller }; result: unknown };
  /**
   * A navigation the page starts (will-navigate), a redirect (will-redirect), or an in-page one (the
   * hash changes: did-navigate-in-page, which cannot be prevented).
   */
  navigate: {
    args: { url: string; kind: 'will-navigate' | 'will-redirect' | 'in-page'; webContents: Caller['webContents'] };
    result: { prevented: boolean; urlAfter: string };
  };
  /** window.open or a target=_blank link: what the window open handler decided. */
  openWindow: {
    args: { url: string; webContents: Caller['webContents'] };
    result: { action: string; windows: number };
  };
  /** A <webview> the page tries to attach. */
  attachWebview: { args: { src: string }; result: { prevented: boolean } };
  /** A permission the page asks for (request) and checks (check); null when no handler is set. */
  permission: {
    args: { permission: string };
    result: { requestGranted: boolean | null; checkGranted: boolean | null };
  };
  /** Kills every live utility process with a signal, from outside (as the OS or a user would). */
  killUtilityProcesses: { args: { signal: NodeJS.Signals }; result: { pids: number[] } };
  /** app.quit(): before-quit, windows closed, will-quit, quit, then the process exits. */
  quit: { args: Record<string, never>; result: { prevented: boolean } };
  /** A second launch of the app: app's second-instance event. */
  secondInstance: { args: Record<string, never>; result: null };
  /** The application menu as set (Menu.setApplicationMenu), null when none is. */
  applicationMenu: { args: Record<string, never>; result: MenuItemState[] | null };
  /** The user clicks the application menu's item at a path of labels (top menu first). */
  clickMenuItem: { args: { labels: string[] }; result: null };
  /** The user moves, resizes, maximizes or minimizes the lab window; returns its state after. */
  setWindow: {
    args: { bounds?: WindowState['bounds']; maximized?: boolean; minimized?: boolean };
    result: WindowState;
  };
  /** The next dialogs' answers. */
  setDialogResults: { args: DialogResults; result: null };
  state: { args: Record<string, never>; result: DoubleState };
}
export type CommandName = keyof DoubleCommands;
export type CommandArgs<K extends CommandName> = DoubleCommands[K]['args'];
export type CommandResult<K extends CommandName> = DoubleCommands[K]['result'];

export interface CommandMessage<K extends CommandName = CommandName> {
  type: 'command';
  id: number;
  command: K;
  args: CommandArgs<K>;
}

/** What the double reports as the main process uses Electron. */
export type DoubleEvent =
  | { kind: 'ready' }
  | { kind: 'app-event'; name: string }
  | { kind: 'ipc-handle'; channel: string }
  | { kind: 'window-created'; id: number; webContentsId: number }
  | { kind: 'window-shown'; id: number }
  | { kind: 'load'; webContentsId: number; url: string }
  | { kind: 'send'; webContentsId: number; channel: string; args: unknown[] }
  | { kind: 'utility-fork'; pid: number | undefined; serviceName: string; modulePath: string }
  | { kind: 'utility-exit'; pid: number | undefined; serviceName: string; code: number }
  | { kind: 'dialog'; method: string; options: unknown }
  | { kind: 'shell'; method: string; target: string };

export type DoubleMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'event'; event: DoubleEvent };

import { type ChildProcess, type StdioOptions, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  BrowserWindowConstructorOptions,
  CrashReporterStartOptions,
  ForkOptions,
  HandlerDetails,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
  WindowOpenHandlerResponse,
} from 'electron';
import type {
  Caller,
  CommandArgs,
  CommandMessage,
  CommandName,
  CommandResult,
  DialogResults,
  DoubleEvent,
  DoubleMessage,
  DoubleState,
  MenuItemState,
} from './protocol.test-helpers';

/**
 * A test double of the `electron` module for the main process under plain Node: the built
 * out/main/index.js imports it in place of Electron (register.test-helpers.mjs maps the specifier), and
 * runs unmodified. It implements the part of Electron's API src/main uses, with Electron's documented
 * behaviour where the lab relies on it (events and their order, preventDefault, ipc errors, structured
 * clone of what crosses a process, utility processes as real child processes with process.parentPort).
 * A test drives it over the process's ipc (protocol.test-helpers.ts: commands in, replies and events
 * out); run without a controller it still works, silently.
 *
 * Adding API: a class or object below, its export at the end of the file; a way for tests to drive or
 * observe it: a command in protocol.test-helpers.ts and its handler in COMMANDS. Anything src/main
 * imports that is not exported here fails at link time ("does not provide an export named"), loudly.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
/** Loaded first in every utility process: gives it Electron's process.parentPort. */
const PARENT_PORT_BRIDGE = pathToFileURL(path.join(here, 'parent-port.test-helpers.mjs')).href;

/** Tells the controlling test (if any) what the main process did. */
function report(event: DoubleEvent): void {
  if (process.connected) process.send?.({ type: 'event', event } satisfies DoubleMessage);
}

/** An event a listener may cancel, as Electron passes them (`event.preventDefault()`). */
type Preventable<T extends object = object> = T & { preventDefault(): void; readonly defaultPrevented: boolean };
function preventable<T extends object>(fields: T): Preventable<T> {
  let prevented = false;
  return Object.defineProperties(fields, {
    preventDefault: {
      value: () => {
        prevented = true;
      },
    },
    defaultPrevented: { get: () => prevented, enumerable: true },
  }) as Preventable<T>;
}

/** Electron serializes what crosses a process with the structured clone algorithm, and throws where it fails. */
function cloned<T>(value: T, what: string): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new Error(`${what}: An object could not be cloned.`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------- app

/** The app's package.json (Electron reads name and version from it): the one above the main script. */
function appPackage(): { dir: string; name: string; version: string } {
  let dir = path.dirname(path.resolve(process.argv[1] ?? '.'));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
  return { dir, name: json.name ?? 'Electron', version: json.version ?? '0.0.0' };
}

const PATH_NAMES = [
  'home',
  'appData',
  'userData',
  'sessionData',
  'temp',
  'exe',
  'module',
  'desktop',
  'documents',
  'downloads',
  'music',
  'pictures',
  'videos',
  'recent',
  'logs',
  'crashDumps',
] as const;

class AppDouble extends EventEmitter {
  readonly isPackaged = false;
  private readonly pkg = appPackage();
  private readonly paths = new Map<string, string>();
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private quitting = false;

  constructor() {
    super();
    // Nothing of a test run lands in the real home: the per-user folders live in a temp folder of this process.
    const root = path.join(os.tmpdir(), `electron-double-${process.pid}`);
    for (const name of PATH_NAMES) this.paths.set(name, path.join(root, name));
    this.paths.set('home', os.homedir());
    this.paths.set('temp', os.tmpdir());
    this.paths.set('exe', process.execPath);
    this.paths.set('module', process.execPath);
    this.paths.set('userData', path.join(root, 'appData', this.pkg.name));
    this.paths.set('sessionData', path.join(root, 'appData', this.pkg.name));
    // Electron is ready once its modules have loaded and the main script has run its first turn.
    this.readyPromise = new Promise((resolve) => {
      setTimeout(() => {
        this.emit('will-finish-launching');
        this.ready = true;
        this.emit('ready', preventable({}), {});
        report({ kind: 'ready' });
        resolve();
      }, 0);
    });
  }

  get name(): string {
    return this.pkg.name;
  }

  getName(): string {
    return this.pkg.name;
  }

  getVersion(): string {
    return this.pkg.version;
  }

  getAppPath(): string {
    return this.pkg.dir;
  }

  /** The system's locale: en-US, or ELECTRON_DOUBLE_LOCALE. */
  getLocale(): string {
    return process.env.ELECTRON_DOUBLE_LOCALE ?? 'en-US';
  }

  getSystemLocale(): string {
    return this.getLocale();
  }

  getPreferredSystemLanguages(): string[] {
    return [this.getLocale()];
  }

  /** As Electron: a custom logs folder (absolute), or the default one. */
  setAppLogsPath(value?: string): void {
    if (value !== undefined && !path.isAbsolute(value)) throw new Error(`Path must be absolute: ${value}`);
    this.paths.set('logs', value ?? path.join(this.getPath('userData'), 'logs'));
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`Failed to get '${name}' path`);
    if (name === 'userData' || name === 'sessionData' || name === 'logs' || name === 'crashDumps') {
      mkdirSync(value, { recursive: true });
    }
    return value;
  }

  /** As documented: only names getPath knows, and a folder that does not exist is an error. */
  setPath(name: string, value: string): void {
    if (!this.paths.has(name)) throw new Error(`Failed to set path`);
    if (!path.isAbsolute(value)) throw new Error(`Path must be absolute: ${value}`);
    if (!existsSync(value)) throw new Error(`Failed to set path: ${value} does not exist`);
    this.paths.set(name, value);
  }

  requestSingleInstanceLock(): boolean {
    return true;
  }

  hasSingleInstanceLock(): boolean {
    return true;
  }

  releaseSingleInstanceLock(): void {}

  isQuitting(): boolean {
    return this.quitting;
  }

  /**
   * Electron's order: before-quit (cancellable), every window closed (each may cancel), will-quit
   * (cancellable), quit, then the process exits.
   */
  quit(): boolean {
    if (this.quitting) return true;
    const beforeQuit = preventable({});
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return false;
    this.quitting = true;
    for (const window of BrowserWindowDouble.getAllWindows()) {
      window.close();
      if (!window.isDestroyed()) {
        this.quitting = false;
        return false;
      }
    }
    const willQuit = preventable({});
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return false;
    }
    this.emit('quit', preventable({}), 0);
    // As Electron: the process ends once the quit events have run, without waiting for pending work.
    setImmediate(() => process.exit(0));
    return true;
  }

  /** Exits at once, without the quit events. */
  exit(code = 0): void {
    process.exit(code);
  }

  /** Called by a window that closed: with no window left, Electron quits unless the app listens. */
  lastWindowClosed(): void {
    if (this.quitting) return;
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }

  pathsSnapshot(): Record<string, string> {
    return Object.fromEntries(this.paths);
  }
}

export const app = new AppDouble();

// ------------------------------------------------------------------------------ web contents, windows

let nextWebContentsId = 1;

interface LoadFileOptions {
  query?: Record<string, string>;
  search?: string;
  hash?: string;
}

/** The URL loadFile loads: the file's, with its query (or search) and hash. */
function fileUrl(file: string, options: LoadFileOptions): string {
  const url = pathToFileURL(path.resolve(file));
  if (options.query) url.search = new URLSearchParams(options.query).toString();
  else if (options.search) url.search = options.search;
  if (options.hash) url.hash = options.hash;
  return url.href;
}

/** A frame as ipc events and navigation events carry it (WebFrameMain), enough to say where it is. */
class FrameDouble {
  constructor(
    private readonly urlOf: () => string,
    readonly processId: number,
    readonly routingId: number,
  ) {}

  get url(): string {
    return this.urlOf();
  }

  get origin(): string {
    try {
      return new URL(this.url).origin;
    } catch {
      return 'null';
    }
  }

  readonly name = '';
  readonly parent = null;
}

class WebContentsDouble extends EventEmitter {
  readonly id = nextWebContentsId++;
  private url = '';
  private destroyed = false;
  private windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  readonly mainFrame = new FrameDouble(() => this.url, 1000 + this.id, 1);
  readonly session = defaultSession;

  constructor(readonly hostWindow: BrowserWindowDouble | undefined) {
    super();
    WebContentsDouble.all.add(this);
    app.emit('web-contents-created', preventable({}), this);
  }

  static readonly all = new Set<WebContentsDouble>();

  getURL(): string {
    return this.url;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    WebContentsDouble.all.delete(this);
    this.emit('destroyed');
  }

  /** To the page's ipcRenderer: the arguments are cloned as Electron does (a function or class instance fails). */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const sent = cloned(args, `webContents.send('${channel}')`);
    report({ kind: 'send', webContentsId: this.id, channel, args: sent });
  }

  /** Loads a URL; a file: URL must exist (else ERR_FILE_NOT_FOUND, as Electron rejects). */
  async loadURL(url: string): Promise<void> {
    if (this.destroyed) throw new Error('Object has been destroyed');
    if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
      this.emit('did-fail-load', preventable({}), -6, 'ERR_FILE_NOT_FOUND', url, true);
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    }
    this.url = url;
    report({ kind: 'load', webContentsId: this.id, url });
    await new Promise((resolve) => setImmediate(resolve));
    this.emit('dom-ready', preventable({}));
    this.emit('did-finish-load', preventable({}));
  }

  loadFile(file: string, options: LoadFileOptions = {}): Promise<void> {
    return this.loadURL(fileUrl(file, options));
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  openDevTools(): void {}

  isDevToolsOpened(): boolean {
    return false;
  }

  /** The page starts a navigation (or the server redirects one): listeners may prevent it, else it happens. */
  attemptNavigation(url: string, kind: 'will-navigate' | 'will-redirect'): { prevented: boolean; urlAfter: string } {
    const event = preventable({
      url,
      isSameDocument: false,
      isMainFrame: true,
      frame: this.mainFrame,
      initiator: null,
    });
    this.emit(kind, event, url, false, true, this.mainFrame.processId, this.mainFrame.routingId);
    if (!event.defaultPrevented) this.url = url;
    return { prevented: event.defaultPrevented, urlAfter: this.url };
  }

  /** An in-page navigation (the address's hash changes): no will-navigate, a did-navigate-in-page. */
  navigateInPage(url: string): { prevented: boolean; urlAfter: string } {
    this.url = url;
    this.emit('did-navigate-in-page', preventable({}), url, true, this.mainFrame.processId, this.mainFrame.routingId);
    return { prevented: false, urlAfter: this.url };
  }

  /** window.open from the page: the open handler decides (no handler: allowed, a new window). */
  attemptOpenWindow(url: string): { action: string } {
    const details: HandlerDetails = {
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: this.url, policy: 'strict-origin-when-cross-origin' },
    };
    const response = this.windowOpenHandler?.(details) ?? { action: 'allow' };
    if (response.action === 'allow') {
      const child = new BrowserWindowDouble(response.overrideBrowserWindowOptions ?? {});
      void child.loadURL(url);
      this.emit('did-create-window', child, details);
    }
    return { action: response.action };
  }

  /** A <webview> the page adds: listeners may prevent it, else a guest web contents is created. */
  attemptAttachWebview(src: string): { prevented: boolean } {
    const event = preventable({});
    this.emit('will-attach-webview', event, {}, { src });
    if (!event.defaultPrevented) this.emit('did-attach-webview', preventable({}), new WebContentsDouble(undefined));
    return { prevented: event.defaultPrevented };
  }
}

let nextWindowId = 1;

class BrowserWindowDouble extends EventEmitter {
  private static readonly windows: BrowserWindowDouble[] = [];
  readonly id = nextWindowId++;
  readonly webContents: WebContentsDouble;
  private shown: boolean;
  private destroyed = false;
  private title: string;
  private readyToShowSent = false;
  private bounds: { x: number; y: number; width: number; height: number };
  private maximized = false;
  private minimized = false;
  private fullScreen = false;

  constructor(public options: BrowserWindowConstructorOptions = {}) {
    super();
    this.shown = options.show !== false;
    this.title = options.title ?? app.name;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    BrowserWindowDouble.windows.push(this);
    this.webContents = new WebContentsDouble(this);
    app.emit('browser-window-created', preventable({}), this);
    report({ kind: 'window-created', id: this.id, webContentsId: this.webContents.id });
  }

  static getAllWindows(): BrowserWindowDouble[] {
    return BrowserWindowDouble.windows.filter((w) => !w.destroyed);
  }

  static fromWebContents(contents: unknown): BrowserWindowDouble | null {
    return BrowserWindowDouble.getAllWindows().find((w) => w.webContents === contents) ?? null;
  }

  static fromId(id: number): BrowserWindowDouble | null {
    return BrowserWindowDouble.getAllWindows().find((w) => w.id === id) ?? null;
  }

  static getFocusedWindow(): BrowserWindowDouble | null {
    return BrowserWindowDouble.getAllWindows().find((w) => w.shown) ?? null;
  }

  /** A page load; a window created with show: false says ready-to-show once its first page has loaded. */
  async loadURL(url: string): Promise<void> {
    const preload = this.options.webPreferences?.preload;
    if (preload && !existsSync(preload)) console.error(`Unable to load preload script: ${preload}`);
    await this.webContents.loadURL(url);
    if (!this.readyToShowSent && !this.destroyed) {
      this.readyToShowSent = true;
      this.emit('ready-to-show');
    }
  }

  loadFile(file: string, options: LoadFileOptions = {}): Promise<void> {
    return this.loadURL(fileUrl(file, options));
  }

  show(): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.shown = true;
    this.emit('show');
    report({ kind: 'window-shown', id: this.id });
  }

  hide(): void {
    this.shown = false;
    this.emit('hide');
  }

  isVisible(): boolean {
    return this.shown && !this.destroyed;
  }

  focus(): void {}

  isFocused(): boolean {
    return this.shown;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  getTitle(): string {
    return this.title;
  }

  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }

  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
    this.emit('move');
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }

  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  minimize(): void {
    this.minimized = true;
    this.emit('minimize');
  }

  restore(): void {
    this.minimized = false;
    this.emit('restore');
  }

  /** The bounds the window has when neither maximized nor full screen (this double never moves it for those). */
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.getBounds();
  }

  isFullScreen(): boolean {
    return this.fullScreen;
  }

  setFullScreen(flag: boolean): void {
    this.fullScreen = flag;
    this.emit(flag ? 'enter-full-screen' : 'leave-full-screen');
  }

  setMinimumSize(width: number, height: number): void {
    this.options = { ...this.options, minWidth: width, minHeight: height };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Asks to close: 'close' may be prevented; else the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable({});
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
    if (BrowserWindowDouble.getAllWindows().length === 0) app.lastWindowClosed();
  }

  state(): DoubleState['windows'][number] {
    return {
      id: this.id,
      webContentsId: this.webContents.id,
      url: this.webContents.getURL(),
      title: this.title,
      shown: this.shown,
      destroyed: this.destroyed,
      bounds: this.getBounds(),
      maximized: this.maximized,
      minimized: this.minimized,
      fullScreen: this.fullScreen,
      webPreferences: { ...this.options.webPreferences },
    };
  }
}

export const BrowserWindow = BrowserWindowDouble;
export const webContents = {
  getAllWebContents: () => [...WebContentsDouble.all],
  fromId: (id: number) => [...WebContentsDouble.all].find((c) => c.id === id),
};

// ------------------------------------------------------------------------------------------- ipcMain

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class IpcMainDouble extends EventEmitter {
  private readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
    report({ kind: 'ipc-handle', channel });
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * ipcRenderer.invoke from `sender`'s frame: arguments and result cloned as Electron does; a failing
   * handler is logged in main and rejects in the page with Electron's wrapped message.
   */
  async invoke(sender: WebContentsDouble, frame: FrameDouble, channel: string, args: unknown[]): Promise<unknown> {
    const fail = (error: unknown): never => {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    };
    const handler = this.handlers.get(channel);
    if (!handler) return fail(new Error(`No handler registered for '${channel}'`));
    const event = {
      type: 'frame',
      sender,
      senderFrame: frame,
      frameId: frame.routingId,
      processId: frame.processId,
      preventDefault: () => {},
      defaultPrevented: false,
    } as unknown as IpcMainInvokeEvent;
    let result: unknown;
    try {
      result = await handler(event, ...cloned(args, `ipcRenderer.invoke('${channel}')`));
    } catch (error) {
      console.error(`Error occurred in handler for '${channel}':`, error);
      return fail(error);
    }
    return cloned(result, `reply to '${channel}'`);
  }
}

export const ipcMain = new IpcMainDouble();

// --------------------------------------------------------------------------------- utilityProcess

/** The exit code Electron reports for a process ended by a signal (waitpid's status: the signal number). */
const signalNumber = (signal: NodeJS.Signals) => os.constants.signals[signal];

/**
 * Electron's UtilityProcess backed by a real Node child process running the same module: it gets
 * process.parentPort (parent-port.test-helpers.mjs) and no process.send, messages are structured
 * clones, its end is an `exit` with a code plus, when it did not end cleanly, app's child-process-gone.
 */
class UtilityProcessDouble extends EventEmitter {
  private static readonly all = new Set<UtilityProcessDouble>();
  pid: number | undefined;
  readonly stdout: ChildProcess['stdout'];
  readonly stderr: ChildProcess['stderr'];
  private readonly child: ChildProcess;
  private alive = true;
  readonly serviceName: string;

  constructor(
    readonly modulePath: string,
    args: string[] = [],
    options: ForkOptions = {},
  ) {
    super();
    this.serviceName = options.serviceName ?? 'Node Utility Process';
    const stdio: StdioOptions =
      options.stdio === 'pipe'
        ? ['ignore', 'pipe', 'pipe', 'ipc']
        : options.stdio === 'ignore'
          ? ['ignore', 'ignore', 'ignore', 'ipc']
          : Array.isArray(options.stdio)
            ? [...options.stdio, 'ipc']
            : ['ignore', 'inherit', 'inherit', 'ipc'];
    this.child = fork(modulePath, args, {
      env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      execArgv: ['--import', PARENT_PORT_BRIDGE, ...(options.execArgv ?? [])],
      stdio,
      serialization: 'advanced',
    });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    UtilityProcessDouble.all.add(this);
    this.child.on('spawn', () => {
      this.pid = this.child.pid;
      this.emit('spawn');
      report({ kind: 'utility-fork', pid: this.pid, serviceName: this.serviceName, modulePath });
    });
    this.child.on('message', (message: unknown) => this.emit('message', message));
    this.child.on('error', (error) => console.error(`utility process ${this.serviceName}:`, error));
    this.child.on('exit', (code, signal) => {
      const pid = this.pid;
      const exitCode = code ?? (signal ? signalNumber(signal) : 0);
      this.alive = false;
      this.pid = undefined;
      UtilityProcessDouble.all.delete(this);
      report({ kind: 'utility-exit', pid, serviceName: this.serviceName, code: exitCode });
      this.emit('exit', exitCode);
      if (signal || exitCode !== 0) {
        const reason =
          signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT'
            ? 'killed'
            : signal
              ? 'crashed'
              : 'abnormal-exit';
        const details = { type: 'Utility', reason, exitCode, serviceName: this.serviceName, name: this.serviceName };
        app.emit('child-process-gone', preventable({}), details);
      }
    });
  }

  static live(): UtilityProcessDouble[] {
    return [...UtilityProcessDouble.all];
  }

  postMessage(message: unknown): void {
    if (!this.alive || !this.child.connected) return;
    this.child.send(cloned(message, 'utilityProcess.postMessage') as object);
  }

  /** Terminates the process gracefully (SIGTERM on POSIX). */
  kill(): boolean {
    return this.alive && this.child.kill('SIGTERM');
  }

  /** Kills it from outside, as the OS or a user would. */
  killFromOutside(signal: NodeJS.Signals): number | undefined {
    const pid = this.child.pid;
    if (pid !== undefined) process.kill(pid, signal);
    return pid;
  }

  state(): DoubleState['utilityProcesses'][number] {
    return { pid: this.pid, serviceName: this.serviceName, modulePath: this.modulePath, alive: this.alive };
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args?: string[], options?: ForkOptions) =>
    new UtilityProcessDouble(modulePath, args, options),
};

// ------------------------------------------------------------------------------------- session, dialog

type PermissionRequestHandler = (
  contents: WebContentsDouble,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void;
type PermissionCheckHandler = (
  contents: WebContentsDouble | null,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl: string; isMainFrame: boolean },
) => boolean;

class SessionDouble {
  private requestHandler: PermissionRequestHandler | null = null;
  private checkHandler: PermissionCheckHandler | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler;
  }

  handlers(): DoubleState['permissionHandlers'] {
    return { request: this.requestHandler !== null, check: this.checkHandler !== null };
  }

  /** A page asks for a permission: the handler's answer (null: no handler, Electron's default applies). */
  async request(contents: WebContentsDouble, permission: string): Promise<boolean | null> {
    const handler = this.requestHandler;
    if (!handler) return null;
    const details = { requestingUrl: contents.getURL(), isMainFrame: true };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`permission request handler never answered '${permission}'`)),
        5000,
      );
      handler(
        contents,
        permission,
        (granted) => {
          clearTimeout(timer);
          resolve(granted);
        },
        details,
      );
    });
  }

  check(contents: WebContentsDouble, permission: string): boolean | null {
    if (!this.checkHandler) return null;
    const details = { requestingUrl: contents.getURL(), isMainFrame: true };
    return this.checkHandler(contents, permission, contents.mainFrame.origin, details);
  }
}

const defaultSession = new SessionDouble();
export const session = { defaultSession, fromPartition: () => defaultSession };

/** The dialogs answer what the test set (setDialogResults), once; else they are cancelled. */
const dialogResults: DialogResults = {};
type DialogArgs<O> = [window: BrowserWindowDouble, options: O] | [options: O];
const optionsOf = <O>(args: DialogArgs<O>): O => (args.length === 2 ? args[1] : args[0]);

export const dialog = {
  async showOpenDialog(...args: DialogArgs<OpenDialogOptions>): Promise<OpenDialogReturnValue> {
    report({ kind: 'dialog', method: 'showOpenDialog', options: cloned(optionsOf(args), 'dialog options') });
    const result = dialogResults.showOpenDialog ?? { canceled: true, filePaths: [] };
    delete dialogResults.showOpenDialog;
    return result;
  },
  async showSaveDialog(...args: DialogArgs<SaveDialogOptions>): Promise<SaveDialogReturnValue> {
    report({ kind: 'dialog', method: 'showSaveDialog', options: cloned(optionsOf(args), 'dialog options') });
    const result = dialogResults.showSaveDialog ?? { canceled: true, filePath: '' };
    delete dialogResults.showSaveDialog;
    return { filePath: '', ...result };
  },
  async showMessageBox(
    ...args: DialogArgs<{ message: string }>
  ): Promise<{ response: number; checkboxChecked: boolean }> {
    report({ kind: 'dialog', method: 'showMessageBox', options: cloned(optionsOf(args), 'dialog options') });
    return { response: 0, checkboxChecked: false };
  },
  showErrorBox(title: string, content: string): void {
    report({ kind: 'dialog', method: 'showErrorBox', options: { title, content } });
    console.error(`[error box] ${title}: ${content}`);
  },
};

// ------------------------------------------------------------------------------------------------ Menu

/** A menu item as Electron builds it from a template: what it shows and does. */
class MenuItemDouble {
  readonly label: string;
  readonly role: string | undefined;
  readonly type: string;
  readonly accelerator: string | undefined;
  readonly id: string | undefined;
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  readonly submenu: MenuDouble | undefined;
  readonly click: MenuItemConstructorOptions['click'];

  constructor(options: MenuItemConstructorOptions) {
    const submenu = options.submenu;
    // Electron's own check: a template item needs a label, a role, a type or a submenu.
    if (options.label === undefined && options.role === undefined && options.type === undefined && !submenu) {
      throw new Error('Invalid template for MenuItem: must have at least one of label, role or type');
    }
    this.label = options.label ?? options.role ?? '';
    this.role = options.role;
    this.type = options.type ?? (submenu ? 'submenu' : 'normal');
    this.accelerator = options.accelerator === undefined ? undefined : String(options.accelerator);
    this.id = options.id;
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.checked = options.checked ?? false;
    this.submenu =
      submenu instanceof MenuDouble
        ? submenu
        : Array.isArray(submenu)
          ? MenuDouble.buildFromTemplate(submenu)
          : undefined;
    this.click = options.click;
  }

  state(): MenuItemState {
    return {
      label: this.label,
      ...(this.role !== undefined ? { role: this.role } : {}),
      type: this.type,
      ...(this.accelerator !== undefined ? { accelerator: this.accelerator } : {}),
      enabled: this.enabled,
      visible: this.visible,
      ...(this.submenu ? { submenu: this.submenu.items.map((item) => item.state()) } : {}),
    };
  }
}

class MenuDouble {
  private static applicationMenu: MenuDouble | null = null;
  readonly items: MenuItemDouble[] = [];

  static buildFromTemplate(template: (MenuItemConstructorOptions | MenuItemDouble)[]): MenuDouble {
    const menu = new MenuDouble();
    for (const item of template) menu.append(item instanceof MenuItemDouble ? item : new MenuItemDouble(item));
    return menu;
  }

  static setApplicationMenu(menu: MenuDouble | null): void {
    MenuDouble.applicationMenu = menu;
  }

  static getApplicationMenu(): MenuDouble | null {
    return MenuDouble.applicationMenu;
  }

  append(item: MenuItemDouble): void {
    this.items.push(item);
  }

  getMenuItemById(id: string): MenuItemDouble | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }

  popup(): void {}

  /** The item at a path of labels (top menu first). */
  find(labels: string[]): MenuItemDouble {
    const [first, ...rest] = labels;
    const item = this.items.find((i) => i.label === first);
    if (!item) throw new Error(`no menu item "${first}" (there are: ${this.items.map((i) => i.label).join(', ')})`);
    if (rest.length === 0) return item;
    if (!item.submenu) throw new Error(`menu item "${first}" has no submenu`);
    return item.submenu.find(rest);
  }
}

export const Menu = MenuDouble;
export const MenuItem = MenuItemDouble;

// ----------------------------------------------------------------------- shell, crashReporter, screen, nativeTheme

/** Nothing is opened: what the main process asks for is reported. */
export const shell = {
  async openPath(target: string): Promise<string> {
    report({ kind: 'shell', method: 'openPath', target });
    return existsSync(target) ? '' : `Failed to open path: ${target}`;
  },
  async openExternal(url: string): Promise<void> {
    report({ kind: 'shell', method: 'openExternal', target: url });
  },
  showItemInFolder(target: string): void {
    report({ kind: 'shell', method: 'showItemInFolder', target });
  },
  async trashItem(target: string): Promise<void> {
    report({ kind: 'shell', method: 'trashItem', target });
  },
  beep(): void {},
};

let crashReporterOptions: CrashReporterStartOptions | undefined;
export const crashReporter = {
  start(options: CrashReporterStartOptions): void {
    crashReporterOptions = cloned(options, 'crashReporter.start');
  },
  getLastCrashReport: () => null,
  getUploadedReports: () => [],
  getUploadToServer: () => crashReporterOptions?.uploadToServer ?? true,
  setUploadToServer(upload: boolean): void {
    crashReporterOptions = { ...crashReporterOptions, uploadToServer: upload };
  },
};

interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** One 1920x1080 display with a 40-pixel task bar, or the displays in ELECTRON_DOUBLE_DISPLAYS (JSON work areas). */
function displays() {
  const workAreas = process.env.ELECTRON_DOUBLE_DISPLAYS
    ? (JSON.parse(process.env.ELECTRON_DOUBLE_DISPLAYS) as Rectangle[])
    : [{ x: 0, y: 0, width: 1920, height: 1040 }];
  return workAreas.map((workArea, i) => ({
    id: i + 1,
    label: `Display ${i + 1}`,
    bounds: { ...workArea, height: workArea.height + 40 },
    workArea,
    size: { width: workArea.width, height: workArea.height + 40 },
    workAreaSize: { width: workArea.width, height: workArea.height },
    scaleFactor: 1,
    rotation: 0,
    internal: i === 0,
    monochrome: false,
    touchSupport: 'unknown',
    accelerometerSupport: 'unknown',
    colorDepth: 24,
    colorSpace: '',
    depthPerComponent: 8,
    displayFrequency: 60,
    detected: true,
  }));
}
/** As Electron's, it cannot be used before the app is ready. */
function screenReady(): void {
  if (!app.isReady()) throw new Error("The 'screen' module can't be used before the app 'ready' event");
}
export const screen = Object.assign(new EventEmitter(), {
  getAllDisplays() {
    screenReady();
    return displays();
  },
  getPrimaryDisplay() {
    screenReady();
    return displays()[0]!;
  },
  getDisplayMatching(rect: Rectangle) {
    screenReady();
    const all = displays();
    const overlap = (a: Rectangle) =>
      Math.max(0, Math.min(a.x + a.width, rect.x + rect.width) - Math.max(a.x, rect.x)) *
      Math.max(0, Math.min(a.y + a.height, rect.y + rect.height) - Math.max(a.y, rect.y));
    return all.reduce((best, d) => (overlap(d.bounds) > overlap(best.bounds) ? d : best), all[0]!);
  },
  getCursorScreenPoint() {
    screenReady();
    return { x: 0, y: 0 };
  },
});

const theme: {
  themeSource: 'system' | 'light' | 'dark';
  shouldUseDarkColors: boolean;
  shouldUseHighContrastColors: boolean;
  shouldUseInvertedColorScheme: boolean;
} = {
  themeSource: 'system',
  shouldUseDarkColors: process.env.ELECTRON_DOUBLE_DARK === '1',
  shouldUseHighContrastColors: false,
  shouldUseInvertedColorScheme: false,
};
export const nativeTheme = Object.assign(new EventEmitter(), theme);

// ------------------------------------------------------------------------------------ control channel

/** The lab's window: the first window the main process created. */
function mainWindow(): BrowserWindowDouble {
  const window = BrowserWindowDouble.getAllWindows()[0];
  if (!window) throw new Error('the main process has no window');
  return window;
}

/** Another web contents showing the same page (a second window), made on first use. */
let otherWindow: BrowserWindowDouble | undefined;
async function callerContents(which: Caller['webContents']): Promise<WebContentsDouble> {
  const main = mainWindow();
  if (which === 'main') return main.webContents;
  if (!otherWindow || otherWindow.isDestroyed()) {
    otherWindow = new BrowserWindowDouble({ show: false });
    await otherWindow.loadURL(main.webContents.getURL());
  }
  return otherWindow.webContents;
}

type CommandHandler<K extends CommandName> = (args: CommandArgs<K>) => CommandResult<K> | Promise<CommandResult<K>>;

const COMMANDS: { [K in CommandName]: CommandHandler<K> } = {
  invoke: async ({ channel, args, from }) => {
    const sender = await callerContents(from.webContents);
    const frame =
      from.frameUrl === undefined
        ? sender.mainFrame
        : new FrameDouble(() => from.frameUrl!, sender.mainFrame.processId, 2);
    return ipcMain.invoke(sender, frame, channel, args);
  },
  navigate: async ({ url, kind, webContents: which }) => {
    const contents = await callerContents(which);
    return kind === 'in-page' ? contents.navigateInPage(url) : contents.attemptNavigation(url, kind);
  },
  openWindow: async ({ url, webContents: which }) => {
    const { action } = (await callerContents(which)).attemptOpenWindow(url);
    return { action, windows: BrowserWindowDouble.getAllWindows().length };
  },
  attachWebview: ({ src }) => mainWindow().webContents.attemptAttachWebview(src),
  permission: async ({ permission }) => {
    const contents = mainWindow().webContents;
    return {
      requestGranted: await defaultSession.request(contents, permission),
      checkGranted: defaultSession.check(contents, permission),
    };
  },
  killUtilityProcesses: ({ signal }) => ({
    pids: UtilityProcessDouble.live().flatMap((p) => p.killFromOutside(signal) ?? []),
  }),
  quit: () => ({ prevented: !app.quit() }),
  secondInstance: () => {
    app.emit('second-instance', preventable({}), [process.execPath, ...process.argv.slice(1)], process.cwd(), {});
    return null;
  },
  applicationMenu: () => MenuDouble.getApplicationMenu()?.items.map((item) => item.state()) ?? null,
  clickMenuItem: ({ labels }) => {
    const menu = MenuDouble.getApplicationMenu();
    if (!menu) throw new Error('no application menu is set');
    const item = menu.find(labels);
    if (!item.enabled) throw new Error(`menu item "${labels.join(' > ')}" is disabled`);
    if (!item.click) throw new Error(`menu item "${labels.join(' > ')}" has no click handler (role: ${item.role})`);
    const window = BrowserWindowDouble.getFocusedWindow() ?? undefined;
    (item.click as unknown as (item: MenuItemDouble, window: BrowserWindowDouble | undefined, event: object) => void)(
      item,
      window,
      { triggeredByAccelerator: false },
    );
    return null;
  },
  setWindow: ({ bounds, maximized, minimized }) => {
    const window = mainWindow();
    if (bounds) window.setBounds(bounds);
    if (maximized !== undefined) {
      if (maximized) window.maximize();
      else window.unmaximize();
    }
    if (minimized !== undefined) {
      if (minimized) window.minimize();
      else window.restore();
    }
    return window.state();
  },
  setDialogResults: (results) => {
    Object.assign(dialogResults, results);
    return null;
  },
  state: () => ({
    ready: app.isReady(),
    quitting: app.isQuitting(),
    windows: BrowserWindowDouble.getAllWindows().map((w) => w.state()),
    ipcHandlers: ipcMain.channels(),
    utilityProcesses: UtilityProcessDouble.live().map((p) => p.state()),
    paths: app.pathsSnapshot(),
    permissionHandlers: defaultSession.handlers(),
    crashReporter: crashReporterOptions ? { ...crashReporterOptions } : null,
    appListeners: Object.fromEntries(app.eventNames().map((name) => [String(name), app.listenerCount(name)])),
  }),
};

function isCommand(message: unknown): message is CommandMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Partial<CommandMessage>;
  return m.type === 'command' && typeof m.id === 'number' && typeof m.command === 'string' && m.command in COMMANDS;
}

async function runCommand<K extends CommandName>(message: CommandMessage<K>): Promise<void> {
  let reply: DoubleMessage;
  try {
    const value = await (COMMANDS[message.command] as CommandHandler<K>)(message.args);
    reply = { type: 'reply', id: message.id, ok: true, value };
  } catch (error) {
    reply = { type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (process.connected) process.send?.(reply);
}

if (process.send) {
  process.on('message', (message: unknown) => {
    if (isCommand(message)) void runCommand(message);
  });
  // The controlling test is gone: the app ends with it (its utility processes follow, see the bridge).
  process.on('disconnect', () => app.exit(0));
}

// Electron stands in for itself in process.versions (the main process logs and shows it).
if (process.versions.electron === undefined) {
  const electronPackage = path.join(appPackage().dir, 'node_modules', 'electron', 'package.json');
  const version = existsSync(electronPackage)
    ? (JSON.parse(readFileSync(electronPackage, 'utf8')) as { version: string }).version
    : '0.0.0';
  Object.defineProperty(process.versions, 'electron', { value: `${version}-double`, enumerable: true });
}

export default {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  MenuItem,
  nativeTheme,
  screen,
  session,
  shell,
  utilityProcess,
  webContents,
};

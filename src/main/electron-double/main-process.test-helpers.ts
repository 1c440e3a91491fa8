import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabApi, type RunEvent, runEventSchema } from '../../shared/api';
import { RUN_EVENT_CHANNEL, labCallChannel } from '../../shared/ipc-channels';
import type { LabCallName, LabCallResult } from '../../shared/lab-calls';
import type {
  Caller,
  CommandArgs,
  CommandName,
  CommandResult,
  DoubleEvent,
  DoubleMessage,
  DoubleState,
} from './protocol.test-helpers';

/**
 * The built Electron main process (out/main/index.js, `npm run build`) running under plain Node with
 * the Electron double in place of `electron`, driven from a test over the child's ipc: Electron calls
 * the main process makes arrive as events, commands play the page, the OS and the user.
 */

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
/** The build's main process; DLFS_BUILT_MAIN points at another build (a copy with a deliberate fault, say). */
export const BUILT_MAIN = process.env.DLFS_BUILT_MAIN ?? path.join(REPO, 'out', 'main', 'index.js');
/** The build's output folder (out/). */
export const BUILT_OUT = path.dirname(path.dirname(BUILT_MAIN));
const REGISTER = fileURLToPath(new URL('./register.test-helpers.mjs', import.meta.url));

/** The lab's page in its own window. */
export const PAGE: Caller = { webContents: 'main' };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class MainProcess {
  /** Everything the double reported, in order. */
  readonly events: DoubleEvent[] = [];
  /** The main process's (and its utility processes') stdout and stderr. */
  output = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.on('message', (message: DoubleMessage) => {
      if (message.type === 'event') {
        this.events.push(message.event);
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        for (const waiting of this.pending.values())
          waiting.reject(new Error(`the main process exited:\n${this.output}`));
        this.pending.clear();
        resolve(this.exit);
      });
    });
  }

  /** Starts out/main/index.js with its history and settings in `userData` (DLFS_USER_DATA). */
  static start(userData: string, env: NodeJS.ProcessEnv = {}): MainProcess {
    if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
    const child = fork(BUILT_MAIN, [], {
      cwd: REPO,
      execArgv: ['--import', 'tsx', '--import', REGISTER],
      env: { ...process.env, ...env, DLFS_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    return new MainProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  command<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    if (this.exit) return Promise.reject(new Error(`the main process has exited:\n${this.output}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'command', id, command, args });
    });
  }

  state(): Promise<DoubleState> {
    return this.command('state', {});
  }

  /** A LabApi call as the preload makes it (ipcRenderer.invoke on the call's channel), from `from`. */
  call<K extends LabCallName>(name: K, args: Parameters<LabApi[K]>, from: Caller = PAGE): Promise<LabCallResult<K>> {
    return this.command('invoke', { channel: labCallChannel(name), args, from }) as Promise<LabCallResult<K>>;
  }

  /** The web contents of the first window the main process created: the lab's. */
  labWindowContents(): number {
    for (const e of this.events) if (e.kind === 'window-created') return e.webContentsId;
    throw new Error('the main process has created no window');
  }

  /** The run events the main process sent to a web contents, each validated against the shared schema. */
  runEventsSentTo(webContentsId: number): RunEvent[] {
    return this.events.flatMap((e) =>
      e.kind === 'send' && e.webContentsId === webContentsId && e.channel === RUN_EVENT_CHANNEL
        ? [runEventSchema.parse(e.args[0])]
        : [],
    );
  }

  /** Polls until `predicate` holds; fails naming `what`, with the process's output. */
  async waitFor<T>(predicate: () => T | undefined | false, what: string, ms = 60_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== false) return value;
      if (this.exit) throw new Error(`the main process exited while waiting for ${what}:\n${this.output}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ends the process if it still runs (its utility processes follow it). */
  async stop(): Promise<Exit> {
    if (!this.exit) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Whether a process still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface RotatingLogOptions {
  /** Rotate when the current file would grow past this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept beside the current one: name.1.log (newest) .. name.K.log (default 3). */
  keep?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * A log file that rotates by size: `<name>.log`, then `<name>.1.log` .. `<name>.<keep>.log`, oldest
 * dropped. Each line is written synchronously with its time and level, so a crash right after a line
 * still leaves it on disk; a write that fails (disk full, folder gone) is dropped, never thrown.
 */
export class RotatingLog {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => Date;
  private size: number;

  constructor(
    readonly folder: string,
    private readonly name: string,
    options: RotatingLogOptions = {},
  ) {
    this.file = path.join(folder, `${name}.log`);
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 3;
    this.now = options.now ?? (() => new Date());
    this.size = sizeOf(this.file);
  }

  /** The rotated file number `n` (1 = newest). */
  rotated(n: number): string {
    return path.join(this.folder, `${this.name}.${n}.log`);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string, error?: unknown): void {
    this.write('error', error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  write(level: LogLevel, message: string): void {
    const line = `${this.now().toISOString()} [${level}] ${message.replace(/\r?\n/g, '\n    ')}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      mkdirSync(this.folder, { recursive: true });
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.file, line);
      this.size += bytes;
    } catch {
      // Logging must never take the lab down with it (a full disk, a deleted folder).
    }
  }

  private rotate(): void {
    rmSync(this.rotated(this.keep), { force: true });
    for (let n = this.keep - 1; n >= 1; n--) {
      if (sizeOf(this.rotated(n)) > 0) renameSync(this.rotated(n), this.rotated(n + 1));
    }
    if (this.keep > 0) renameSync(this.file, this.rotated(1));
    else rmSync(this.file, { force: true });
    this.size = 0;
  }
}

/** An error as one log entry: its stack where it has one, else its text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

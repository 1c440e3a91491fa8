/**
 * The progress of a run on the command line (stderr): percentage, step/total, elapsed time and an ETA
 * from the rate so far. On a terminal one line updated in place (\r, cleared at the end); otherwise a
 * plain line now and then (at most every `intervalMs` and every `fraction` of the run, whichever is
 * rarer) and one at the end. Pure apart from the stream it writes to and the clock it is given.
 */

/** Where the line goes: process.stderr, or a fake in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Put before the numbers, e.g. "optimizers-mnist" or "batch-norm 3/8". */
  label?: string;
  /** Milliseconds since some fixed point (Date.now by default). */
  now?: () => number;
  /** Plain output: at least this long between lines (default 5 s). */
  intervalMs?: number;
  /** Plain output: at least this fraction of the run between lines (default 0.1). */
  fraction?: number;
  /** Terminal output: at most one redraw per this many milliseconds (default 100). */
  redrawMs?: number;
}

/** A duration as "7s", "4m05s", "2h03m" or "3d04h". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${pad(total % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

/** Milliseconds left at the rate so far, or null before the first step (no rate yet). */
export function estimateRemaining(step: number, total: number, elapsedMs: number): number | null {
  if (total <= 0 || step >= total) return 0;
  if (step <= 0 || elapsedMs <= 0) return null;
  return (elapsedMs / step) * (total - step);
}

/** "label 45% 1350/3000, 12s elapsed, ETA 15s". */
export function formatProgress(label: string | undefined, step: number, total: number, elapsedMs: number): string {
  const clamped = Math.min(Math.max(step, 0), Math.max(total, 0));
  const percent = total > 0 ? Math.floor((100 * clamped) / total) : 100;
  const remaining = estimateRemaining(clamped, total, elapsedMs);
  const eta = remaining === null ? 'ETA --' : `ETA ${formatDuration(remaining)}`;
  const prefix = label ? `${label}: ` : '';
  return `${prefix}${percent}% ${clamped}/${total}, ${formatDuration(elapsedMs)} elapsed, ${eta}`;
}

export class ProgressLine {
  private readonly now: () => number;
  private readonly tty: boolean;
  private startedAt: number | null = null;
  private total = 0;
  private step = 0;
  /** Terminal: a line is on screen. */
  private shown = false;
  private lastDraw = -Infinity;
  /** Plain: when and at which step the last line was written. */
  private lastLineAt: number;
  private lastLineStep = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.tty = stream.isTTY === true;
    this.lastLineAt = -Infinity;
  }

  /** The run started: `total` steps, timed from now. */
  start(total: number): void {
    this.startedAt = this.now();
    this.total = total;
    this.step = 0;
    this.lastLineAt = this.startedAt;
    this.lastLineStep = 0;
  }

  /** `step` of `total` steps done. */
  update(step: number, total = this.total): void {
    if (this.startedAt === null) this.start(total);
    this.total = total;
    this.step = step;
    const now = this.now();
    if (this.tty) {
      if (now - this.lastDraw < (this.options.redrawMs ?? 100) && this.shown) return;
      this.draw(now);
      return;
    }
    const interval = this.options.intervalMs ?? 5000;
    const fraction = this.options.fraction ?? 0.1;
    const stepsDue = total > 0 ? (step - this.lastLineStep) / total >= fraction : true;
    if (now - this.lastLineAt >= interval && stepsDue && step < total) {
      this.stream.write(this.text(now) + '\n');
      this.lastLineAt = now;
      this.lastLineStep = step;
    }
  }

  /** Terminal: takes the line off the screen (before other output); the next update draws it again. */
  clear(): void {
    if (this.tty && this.shown) {
      this.stream.write('\r\x1b[K');
      this.shown = false;
    }
  }

  /** The run ended: a terminal's line is cleared; plain output ends with a line of where the run got to. */
  done(): void {
    if (this.startedAt === null) return;
    if (this.tty) this.clear();
    else this.stream.write(this.text(this.now()) + '\n');
    this.startedAt = null;
  }

  private text(now: number): string {
    return formatProgress(this.options.label, this.step, this.total, now - (this.startedAt ?? now));
  }

  private draw(now: number): void {
    let line = this.text(now);
    const columns = this.stream.columns;
    if (columns && columns > 1 && line.length >= columns) line = line.slice(0, columns - 1);
    this.stream.write(`\r${line}\x1b[K`);
    this.shown = true;
    this.lastDraw = now;
  }
}

import type { ProgressEvent } from '../shared/events';
import type { Points, Series } from '../shared/runs';

/** How often a running experiment reports: a few batched messages a second, never one per step. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Collects every point of a run (the run record's series) and hands the new ones to the host in
 * batches, at most every PROGRESS_INTERVAL_MS.
 */
export class ProgressReporter {
  private readonly series = new Map<string, Series>();
  private pending = new Map<string, Points>();
  private logLines: string[] = [];
  private step = 0;
  private lastFlush = 0;

  constructor(
    private readonly totalSteps: number,
    private readonly emit: (event: ProgressEvent) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Declares a series so that it appears in the record in this order, even if it never gets a point. */
  declare(name: string, metric: string): void {
    if (!this.series.has(name)) this.series.set(name, { name, metric, x: [], y: [] });
  }

  point(name: string, metric: string, x: number, y: number): void {
    this.declare(name, metric);
    const s = this.series.get(name)!;
    s.x.push(x);
    s.y.push(y);
    let p = this.pending.get(name);
    if (!p) this.pending.set(name, (p = { series: name, metric, x: [], y: [] }));
    p.x.push(x);
    p.y.push(y);
  }

  /** Marks a series as diverged (NaN or infinite) at x; it gets no more points. */
  diverged(name: string, x: number): void {
    const s = this.series.get(name);
    if (s) s.divergedAt = x;
    this.flush();
    this.emit({ type: 'diverged', series: name, at: x });
  }

  isDiverged(name: string): boolean {
    return this.series.get(name)?.divergedAt !== undefined;
  }

  log(line: string): void {
    this.logLines.push(line);
  }

  /** Records how far the run is; sends a batch when the interval has passed. */
  advance(step: number): void {
    this.step = step;
    if (this.now() - this.lastFlush >= PROGRESS_INTERVAL_MS) this.flush();
  }

  flush(): void {
    this.lastFlush = this.now();
    if (this.pending.size === 0 && this.logLines.length === 0) return;
    const points = [...this.pending.values()];
    const log = this.logLines;
    this.pending = new Map();
    this.logLines = [];
    this.emit({ type: 'progress', step: this.step, totalSteps: this.totalSteps, points, log });
  }

  allSeries(): Series[] {
    return [...this.series.values()];
  }
}

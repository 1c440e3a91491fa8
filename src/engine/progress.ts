import type { ProgressEvent } from '../shared/events';
import type { Points, Series } from '../shared/runs';
import type { SeriesId } from '../shared/series';

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
  private sentStep = 0;

  constructor(
    private readonly totalSteps: number,
    private readonly emit: (event: ProgressEvent) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Declares a series so that it appears in the record in this order, even if it never gets a point. */
  declare({ name, metric, key }: SeriesId): Series {
    let series = this.series.get(name);
    if (!series) this.series.set(name, (series = { name, metric, key, x: [], y: [] }));
    return series;
  }

  point(id: SeriesId, x: number, y: number): void {
    const s = this.declare(id);
    s.x.push(x);
    s.y.push(y);
    let p = this.pending.get(id.name);
    if (!p) this.pending.set(id.name, (p = { series: id.name, metric: id.metric, key: id.key, x: [], y: [] }));
    p.x.push(x);
    p.y.push(y);
  }

  /** Marks a series as diverged (NaN or infinite) at x; it gets no more points. */
  diverged(id: SeriesId, x: number): void {
    const s = this.series.get(id.name);
    if (s) s.divergedAt = x;
    this.flush();
    this.emit({ type: 'diverged', series: id.name, metric: id.metric, key: id.key, at: x });
  }

  isDiverged(id: SeriesId): boolean {
    return this.series.get(id.name)?.divergedAt !== undefined;
  }

  /** The series recorded so far under this identity. */
  seriesOf(id: SeriesId): Series | undefined {
    return this.series.get(id.name);
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
    // Progress alone (mini-batches of a long epoch, no point yet) is news too: the bar must not stall.
    if (this.pending.size === 0 && this.logLines.length === 0 && this.step === this.sentStep) return;
    this.sentStep = this.step;
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

import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type RunListEntry, runIdSchema } from '../shared/api';
import { upgradeRunRecord } from '../shared/record-upgrade';
import type { SeriesId, SeriesKey } from '../shared/series';
import {
  type Points,
  type RunRecord,
  type StoredPoints,
  type StoredSeries,
  storedPointsSchema,
  storedRunRecordSchema,
} from '../shared/runs';
import { writeFileAtomic } from './atomic-file';

const RECORD_FILE = 'record.json';
const POINTS_FILE = 'points.jsonl';

/** One line of points.jsonl: a batch of points, or the mark that a series diverged. */
type PointsLine = StoredPoints | DivergedLine;
/** Format 1 wrote the series' name only. */
type DivergedLine = { series: string; metric?: string; key?: SeriesKey; divergedAt: number };

/**
 * The experiment history on disk, one folder per run under `root`:
 * - record.json, the run record, always replaced atomically (temp file + rename);
 * - points.jsonl, the points as they stream in, one appended line per batch, so a kill at any moment
 *   loses at most the batch being written. A torn last line is skipped when read back.
 * A run folder that cannot be read is listed as damaged; it never stops the others from loading.
 */
export class HistoryStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  static newRunId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
  }

  private dir(runId: string): string {
    return path.join(this.root, runIdSchema.parse(runId));
  }

  /** Starts a run's folder with its record in status "running". */
  create(runId: string, record: RunRecord): void {
    const dir = this.dir(runId);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, RECORD_FILE), JSON.stringify({ ...record, id: runId }));
  }

  appendPoints(runId: string, points: Points[]): void {
    if (points.length === 0) return;
    appendFileSync(path.join(this.dir(runId), POINTS_FILE), points.map((p) => JSON.stringify(p)).join('\n') + '\n');
  }

  markDiverged(runId: string, { name, metric, key }: SeriesId, at: number): void {
    appendFileSync(
      path.join(this.dir(runId), POINTS_FILE),
      JSON.stringify({ series: name, metric, key, divergedAt: at }) + '\n',
    );
  }

  /** Replaces the record with the final one; the streamed points are then redundant and removed. */
  finish(runId: string, record: RunRecord): void {
    const dir = this.dir(runId);
    writeFileAtomic(path.join(dir, RECORD_FILE), JSON.stringify({ ...record, id: runId }));
    rmSync(path.join(dir, POINTS_FILE), { force: true });
  }

  /**
   * Ends a run whose worker stopped without a record (crash, kill, app closing): its stored record
   * gets the given status and error, and every point streamed so far.
   */
  finishFromPoints(runId: string, status: RunRecord['status'], error?: string): RunRecord {
    const record = this.get(runId);
    const ended: RunRecord = {
      ...record,
      status,
      finishedAt: new Date().toISOString(),
      ...(error !== undefined ? { error } : {}),
    };
    this.finish(runId, ended);
    return ended;
  }

  /** The run's record, with the streamed points merged in while it has no final series. */
  get(runId: string): RunRecord {
    const dir = this.dir(runId);
    const stored = storedRunRecordSchema.parse(JSON.parse(readFileSync(path.join(dir, RECORD_FILE), 'utf8')));
    const pointsFile = path.join(dir, POINTS_FILE);
    if (!existsSync(pointsFile)) return upgradeRunRecord(stored);
    return upgradeRunRecord({ ...stored, series: mergePoints(stored.series, readPointsLines(pointsFile)) });
  }

  list(): RunListEntry[] {
    const entries: RunListEntry[] = [];
    for (const name of readdirSync(this.root)) {
      if (!runIdSchema.safeParse(name).success) continue;
      try {
        const record = storedRunRecordSchema.parse(
          JSON.parse(readFileSync(path.join(this.root, name, RECORD_FILE), 'utf8')),
        );
        entries.push({
          id: name,
          experiment: record.experiment,
          status: record.status,
          startedAt: record.startedAt,
          finishedAt: record.finishedAt,
          backend: record.backend,
        });
      } catch (error) {
        entries.push({
          id: name,
          experiment: 'unknown',
          status: 'damaged',
          startedAt: '',
          problem: error instanceof Error ? error.message.split('\n')[0] : String(error),
        });
      }
    }
    return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  delete(runId: string): void {
    rmSync(this.dir(runId), { recursive: true, force: true });
  }

  /**
   * Runs left "running" by a process that died (killed app, power loss) become "cancelled" with their
   * points, so that History shows what they reached. Call once at start-up, before any run starts.
   */
  recoverInterrupted(): string[] {
    const recovered: string[] = [];
    for (const entry of this.list()) {
      if (entry.status !== 'running') continue;
      try {
        this.finishFromPoints(entry.id, 'cancelled', 'interrupted: the lab stopped while this run was going');
        recovered.push(entry.id);
      } catch {
        // Left as it is; list() shows it as damaged if it cannot be read.
      }
    }
    return recovered;
  }
}

function readPointsLines(file: string): PointsLine[] {
  const lines: PointsLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      const value: unknown = JSON.parse(text);
      const asPoints = storedPointsSchema.safeParse(value);
      if (asPoints.success) lines.push(asPoints.data);
      else if (isDivergedLine(value)) lines.push(value);
    } catch {
      // A torn line from a kill mid-write: everything before it is kept.
    }
  }
  return lines;
}

function isDivergedLine(value: unknown): value is DivergedLine {
  const v = value as { series?: unknown; divergedAt?: unknown };
  return typeof v?.series === 'string' && typeof v.divergedAt === 'number';
}

function mergePoints(existing: StoredSeries[], lines: PointsLine[]): StoredSeries[] {
  const byName = new Map(existing.map((s) => [s.name, { ...s, x: [...s.x], y: [...s.y] }]));
  for (const line of lines) {
    let series = byName.get(line.series);
    if (!series) {
      // A series can diverge before its first point; format 1 did not say what such a series measured.
      const { series: name, metric, key } = line;
      if (metric === undefined) continue;
      series = { name, metric, ...(key ? { key } : {}), x: [], y: [] };
      byName.set(name, series);
    }
    if ('divergedAt' in line) series.divergedAt = line.divergedAt;
    else {
      series.x.push(...line.x);
      series.y.push(...line.y);
    }
  }
  return [...byName.values()];
}

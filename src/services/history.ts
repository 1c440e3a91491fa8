import {
  appendFileSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type RunListEntry, runIdSchema, runListEntrySchema } from '../shared/api';
import { isExperimentId, slotOf } from '../shared/experiments';
import { upgradeRunRecord } from '../shared/record-upgrade';
import type { SeriesId, SeriesKey } from '../shared/series';
import {
  EMPTY_RUN_META,
  type Points,
  type RunMeta,
  type RunRecord,
  type StoredPoints,
  type StoredSeries,
  runMetaSchema,
  storedPointsSchema,
  storedRunRecordSchema,
} from '../shared/runs';
import { writeFileAtomic } from './atomic-file';
import { type TrainedNets, trainedNetsSchema } from '../shared/trained-nets';
import { type RunInside, runInsideSchema } from '../shared/inside';
import { type TestEvaluation, testEvaluationSchema } from '../shared/final-test';

const RECORD_FILE = 'record.json';
const POINTS_FILE = 'points.jsonl';
/** The nets a run trained, kept beside its record (shared/trained-nets.ts). */
const NETS_FILE = 'nets.json';
/** What a run recorded inside its nets, kept beside its record (shared/inside.ts). */
const INSIDE_FILE = 'inside.json';
/** Beside the run folders: every run's list entry (not a run id: it has a dot). */
export const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;
/** A run folder being deleted is first renamed to this prefix (not a run id), then removed. */
const DELETING_PREFIX = '.deleting-';

/** One line of points.jsonl: a batch of points, or the mark that a series diverged. */
type PointsLine = StoredPoints | DivergedLine;
/** Format 1 wrote the series' name only. */
type DivergedLine = { series: string; metric?: string; key?: SeriesKey; divergedAt: number };

/** Which version of a file is meant: a write (temp file + rename) changes at least one of these. */
const fileStampSchema = z.object({ mtimeMs: z.number(), size: z.number(), ino: z.number() });
type FileStamp = z.output<typeof fileStampSchema>;

/** One run in the index: its list entry, and the record.json it was read from (null: there was none). */
const indexedRunSchema = z.object({ record: fileStampSchema.nullable(), entry: runListEntrySchema });
type IndexedRun = z.output<typeof indexedRunSchema>;

const indexFileSchema = z.object({ version: z.literal(INDEX_VERSION), runs: z.array(z.unknown()) });

/**
 * The experiment history on disk, one folder per run under `root`:
 * - record.json, the run record, always replaced atomically (temp file + rename);
 * - points.jsonl, the points as they stream in, one appended line per batch, so a kill at any moment
 *   loses at most the batch being written. A torn last line is skipped when read back.
 * - index.json, beside the folders: every run's list entry with the size, mtime and inode of the
 *   record.json it came from, replaced atomically on every change, so that listing reads one file and
 *   stats each record instead of parsing every record. It is a cache: a missing or unreadable index,
 *   a run folder it does not know, or a record.json whose stamp differs from its entry (changed by
 *   another process, or a crash between the record's write and the index's) is read again from the
 *   record files, and the index rewritten.
 * A run folder that cannot be read is listed as damaged; it never stops the others from loading.
 * One process writes a history (the LabService); every method is synchronous.
 */
export class HistoryStore {
  /** The index as last read or written; undefined until first needed. */
  private index: Map<string, IndexedRun> | undefined;
  /** The stamp of index.json when `index` matched it; null when the file needs writing. */
  private indexStamp: FileStamp | null = null;

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

  private recordFile(runId: string): string {
    return path.join(this.dir(runId), RECORD_FILE);
  }

  /** Starts a run's folder with its record in status "running". */
  create(runId: string, record: RunRecord): void {
    const dir = this.dir(runId);
    makeFolder(dir);
    const saved: RunRecord = { ...record, id: runId };
    writeFileAtomic(path.join(dir, RECORD_FILE), JSON.stringify(saved));
    this.indexRun(runId, saved);
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

  /**
   * Replaces the record with the final one; the streamed points are then redundant and removed. The
   * notes, tags and star saved while the run went (updateMeta) are kept: the stored meta wins over the
   * one in `record` (a worker's final record has none).
   */
  finish(runId: string, record: RunRecord): void {
    const dir = this.dir(runId);
    const meta = this.storedMeta(runId) ?? record.meta;
    const saved: RunRecord = { ...record, id: runId, ...(meta ? { meta } : {}) };
    writeFileAtomic(path.join(dir, RECORD_FILE), JSON.stringify(saved));
    rmSync(path.join(dir, POINTS_FILE), { force: true });
    this.indexRun(runId, saved);
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

  /**
   * Replaces a run's notes, tags and star in its record (atomically: a crash leaves the old record or
   * the new one), also while it runs. Throws for a run that does not exist or cannot be read (a
   * damaged record is left as it is). Returns the run's list entry.
   */
  updateMeta(runId: string, meta: RunMeta): RunListEntry {
    const parsedMeta = runMetaSchema.parse(meta);
    return this.amend(runId, 'its notes cannot be saved', { meta: parsedMeta });
  }

  /**
   * Keeps step 4 of a search, its evaluation on the test data, in its record (atomically, as
   * updateMeta). Returns the run's list entry.
   */
  saveTestEvaluation(runId: string, evaluation: TestEvaluation): RunListEntry {
    const parsed = testEvaluationSchema.parse(evaluation);
    return this.amend(runId, 'its evaluation on the test data cannot be saved', { testEvaluation: parsed });
  }

  /** A run's record with `fields` replaced, written back as stored (its format, its other fields). */
  private amend(runId: string, consequence: string, fields: Partial<RunRecord>): RunListEntry {
    const file = this.recordFile(runId);
    let stored: unknown;
    let record: RunRecord;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
      record = upgradeRunRecord(stored);
    } catch (error) {
      if (isMissing(error)) throw new Error(`no run "${runId}" in the history`, { cause: error });
      throw new Error(`run "${runId}" cannot be read, so ${consequence}: ${problemOf(error)}`, { cause: error });
    }
    writeFileAtomic(file, JSON.stringify({ ...(stored as Record<string, unknown>), ...fields }));
    return this.indexRun(runId, { ...record, ...fields });
  }

  /** Keeps a run's trained nets beside its record, replaced atomically. */
  saveNets(runId: string, nets: TrainedNets): void {
    writeFileAtomic(path.join(this.dir(runId), NETS_FILE), JSON.stringify(nets));
  }

  /** A run's kept nets; null when it kept none (an older run, or one that trains no net). */
  nets(runId: string): TrainedNets | null {
    return this.readBeside(runId, NETS_FILE, trainedNetsSchema, 'nets');
  }

  /** Keeps what a run recorded inside its nets beside its record, replaced atomically. */
  saveInside(runId: string, inside: RunInside): void {
    writeFileAtomic(path.join(this.dir(runId), INSIDE_FILE), JSON.stringify(inside));
  }

  /** What a run recorded inside its nets; null when it recorded nothing (the default). */
  inside(runId: string): RunInside | null {
    return this.readBeside(runId, INSIDE_FILE, runInsideSchema, 'recording inside the nets');
  }

  /** A file kept beside a run's record, read and checked; null when there is none. */
  private readBeside<T>(runId: string, name: string, schema: z.ZodType<T>, what: string): T | null {
    const file = path.join(this.dir(runId), name);
    if (!existsSync(file)) return null;
    try {
      return schema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`the ${what} of run "${runId}" cannot be read: ${problemOf(error)}`, { cause: error });
    }
  }

  /** The run's record, with the streamed points merged in while it has no final series. */
  get(runId: string): RunRecord {
    const dir = this.dir(runId);
    let stored;
    try {
      stored = storedRunRecordSchema.parse(JSON.parse(readFileSync(path.join(dir, RECORD_FILE), 'utf8')));
    } catch (error) {
      // One line saying why (a zod error's text is its whole issue list as JSON; ENOENT names a path).
      if (isMissing(error) && !existsSync(dir)) throw new Error(`no run "${runId}" in the history`, { cause: error });
      throw new Error(`run "${runId}" cannot be read: ${problemOf(error)}`, { cause: error });
    }
    const pointsFile = path.join(dir, POINTS_FILE);
    if (!existsSync(pointsFile)) return upgradeRunRecord(stored);
    return upgradeRunRecord({ ...stored, series: mergePoints(stored.series, readPointsLines(pointsFile)) });
  }

  /**
   * Every run, newest first (started time, then id), from the index: each run folder's record.json is
   * stat-ed, and only those the index does not know, or whose stamp changed, are read.
   */
  list(): RunListEntry[] {
    const index = this.loadIndex();
    let changed = this.indexStamp === null;
    const present = new Set<string>();
    for (const name of readdirSync(this.root)) {
      if (!runIdSchema.safeParse(name).success) continue;
      present.add(name);
      const known = index.get(name);
      if (known && sameStamp(known.record, stampOf(path.join(this.root, name, RECORD_FILE)))) continue;
      index.set(name, this.readRun(name));
      changed = true;
    }
    for (const id of index.keys()) {
      if (present.has(id)) continue;
      index.delete(id);
      changed = true;
    }
    if (changed) this.saveIndex();
    const entries = Array.from(index.values(), (run) => ({ ...run.entry }));
    return entries.sort((a, b) => compareText(b.startedAt, a.startedAt) || compareText(b.id, a.id));
  }

  delete(runId: string): void {
    this.deleteMany([runId]);
  }

  /** Deletes each run's folder (an id with no folder is skipped) and its index entry, with one index write. */
  deleteMany(runIds: readonly string[]): void {
    const dirs = runIds.map((id) => this.dir(id));
    const index = this.loadIndex();
    for (const [i, dir] of dirs.entries()) {
      removeRunFolder(this.root, dir);
      index.delete(runIds[i]!);
    }
    this.saveIndex();
  }

  /**
   * Runs left "running" (or "queued") by a process that died (killed app, power loss) become "cancelled" with their
   * points, so that History shows what they reached. Call once at start-up, before any run starts.
   * Also removes what a crash may have left: folders halfway through deletion, temp files of the index.
   */
  recoverInterrupted(): string[] {
    for (const name of readdirSync(this.root)) {
      if (name.startsWith(DELETING_PREFIX) || (name.startsWith(`${INDEX_FILE}.`) && name.endsWith('.tmp')))
        rmSync(path.join(this.root, name), { recursive: true, force: true });
    }
    const recovered: string[] = [];
    for (const entry of this.list()) {
      if (entry.status !== 'running' && entry.status !== 'queued') continue;
      try {
        const why =
          entry.status === 'queued'
            ? 'cancelled before it started: the lab stopped while the run was queued'
            : 'interrupted: the lab stopped while this run was going';
        this.finishFromPoints(entry.id, 'cancelled', why);
        recovered.push(entry.id);
      } catch {
        // Left as it is; list() shows it as damaged if it cannot be read.
      }
    }
    return recovered;
  }

  /** The meta saved in the run's record, if it has one and the record can be read. */
  private storedMeta(runId: string): RunMeta | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.recordFile(runId), 'utf8')) as { meta?: unknown };
      const meta = runMetaSchema.safeParse(stored.meta);
      return meta.success ? meta.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** A run's entry as its record file says, or a damaged entry saying why it cannot be read. */
  private readRun(runId: string): IndexedRun {
    const file = path.join(this.root, runId, RECORD_FILE);
    let stamp: FileStamp | null = null;
    try {
      const fd = openSync(file, 'r');
      let text: string;
      try {
        stamp = stampFromStats(fstatSync(fd));
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
      return { record: stamp, entry: listEntryOf(runId, upgradeRunRecord(JSON.parse(text))) };
    } catch (error) {
      return {
        record: stamp,
        entry: { id: runId, experiment: 'unknown', status: 'damaged', startedAt: '', problem: problemOf(error) },
      };
    }
  }

  /** Puts a run just written into the index (and the index on disk); returns its entry. */
  private indexRun(runId: string, record: RunRecord): RunListEntry {
    const entry = listEntryOf(runId, record);
    this.loadIndex().set(runId, { record: stampOf(this.recordFile(runId)), entry });
    this.saveIndex();
    return { ...entry };
  }

  /**
   * The index: the one in memory while index.json is the file it was read from or written to, else
   * index.json read again (another store on this folder wrote it). Entries that fail their schema are
   * dropped (list() reads those runs again); a missing or unreadable file keeps what is in memory and
   * is written again.
   */
  private loadIndex(): Map<string, IndexedRun> {
    const file = path.join(this.root, INDEX_FILE);
    const stamp = stampOf(file);
    if (this.index && stamp !== null && sameStamp(stamp, this.indexStamp)) return this.index;
    if (stamp !== null) {
      const read = readIndexFile(file);
      if (read) {
        this.index = read.runs;
        this.indexStamp = read.complete ? read.stamp : null;
        return read.runs;
      }
    }
    this.index ??= new Map();
    this.indexStamp = null;
    return this.index;
  }

  /** Writes the index atomically. It is a cache: when it cannot be written the runs stay listed from their records. */
  private saveIndex(): void {
    const file = path.join(this.root, INDEX_FILE);
    const runs = [...(this.index ?? new Map<string, IndexedRun>()).values()];
    try {
      writeFileAtomic(file, JSON.stringify({ version: INDEX_VERSION, runs }));
      this.indexStamp = stampOf(file);
    } catch {
      this.indexStamp = null;
    }
  }
}

/** The list entry of a record: its header, its slot's key results once it has ended, its meta. */
function listEntryOf(runId: string, record: RunRecord): RunListEntry {
  return {
    id: runId,
    experiment: record.experiment,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.finishedAt !== undefined ? { finishedAt: record.finishedAt } : {}),
    backend: record.backend,
    ...(record.dataset !== undefined ? { dataset: record.dataset } : {}),
    seed: record.seed,
    params: record.params,
    keyResults: record.status === 'running' ? [] : keyResultsOf(record),
    meta: record.meta ?? EMPTY_RUN_META,
  };
}

/** The slot's key results; none for an experiment this version does not know, or a record its slot cannot sum up. */
function keyResultsOf(record: RunRecord): NonNullable<RunListEntry['keyResults']> {
  if (!isExperimentId(record.experiment)) return [];
  try {
    return slotOf(record.experiment)
      .keyResults(record)
      .map(({ label, value }) => ({ label, value: value !== null && Number.isFinite(value) ? value : null }));
  } catch {
    return [];
  }
}

function readIndexFile(file: string): { runs: Map<string, IndexedRun>; stamp: FileStamp; complete: boolean } | null {
  try {
    const fd = openSync(file, 'r');
    try {
      const stamp = stampFromStats(fstatSync(fd));
      const parsed = indexFileSchema.safeParse(JSON.parse(readFileSync(fd, 'utf8')));
      if (!parsed.success) return null;
      const runs = new Map<string, IndexedRun>();
      let complete = true;
      for (const value of parsed.data.runs) {
        const run = indexedRunSchema.safeParse(value);
        if (run.success && !runs.has(run.data.entry.id)) runs.set(run.data.entry.id, run.data);
        else complete = false;
      }
      return { runs, stamp, complete };
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Makes a run's folder (its parents too, if the history's folder went). Not `recursive` first: on a
 * read-only file system Node's recursive mkdir reports ENOENT, which would hide the real reason.
 */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
  }
}

/** Renames the folder out of the list first (one atomic step), then removes it. */
function removeRunFolder(root: string, dir: string): void {
  if (!existsSync(dir)) return;
  const doomed = path.join(root, `${DELETING_PREFIX}${path.basename(dir)}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    renameSync(dir, doomed);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  rmSync(doomed, { recursive: true, force: true });
}

function stampFromStats(stats: { mtimeMs: number; size: number; ino: number }): FileStamp {
  return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
}

/** The file's stamp; null when there is no file to read (missing, or its folder is not a folder). */
function stampOf(file: string): FileStamp | null {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? stampFromStats(stats) : null;
  } catch {
    return null;
  }
}

function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

/** One line saying why a record cannot be read. */
function problemOf(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `not a run record: ${where}${issue?.message ?? 'invalid'}`;
  }
  if (isMissing(error)) return `${RECORD_FILE} is missing`;
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
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

import { z } from 'zod';
import { queueUrlProblem } from './queue-url';
import { BACKEND_NAMES } from './backends';
import type { MemoryBudget } from './memory-budget';
import { progressEventSchema } from './events';
import { RUN_STATUSES, type RunMeta, type RunRecord, keyResultSchema, runMetaSchema, runRecordSchema } from './runs';
import type { TrainedNets } from './trained-nets';
import type { RunInside } from './inside';
import type { TestEvaluationReply } from './final-test';
import { LOCALES, type Locale } from './slots/slot';

/**
 * The LabApi: everything the renderer may ask of its host. The Electron preload and the web host's
 * WebSocket client both implement it; nothing else in the renderer knows which host it runs under.
 */

export const runIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id is 1-64 letters, digits, _ or -');

export const startRunRequestSchema = z.object({
  /**
   * An experiment id; which ids exist the service checks (startRun), so that this contract, and the
   * preload built from it, need not carry every experiment's slot.
   */
  experiment: z.string().regex(/^[a-z0-9-]{1,64}$/, 'an experiment id: 1-64 lower-case letters, digits or -'),
  params: z.record(z.string(), z.unknown()),
});
export type StartRunRequest = z.output<typeof startRunRequestSchema>;

/** A progress event of one run, as the host forwards it to the renderer. */
export const runEventSchema = z.union([
  z.object({ runId: runIdSchema, event: progressEventSchema }),
  /** The run could not start, or its worker died (then `record` holds what was saved). */
  z.object({
    runId: runIdSchema,
    event: z.object({ type: z.literal('failed'), error: z.string(), record: runRecordSchema.optional() }),
  }),
  /** The run waits for a free slot: `place` 1 is next in line (sent again whenever the place changes). */
  z.object({
    runId: runIdSchema,
    event: z.strictObject({ type: z.literal('queued'), place: z.int().min(1) }),
  }),
]);
export type RunEvent = z.output<typeof runEventSchema>;

/**
 * A run as the history lists it (from the history's index, without its series): enough for the
 * table's columns, filters and the compare button.
 */
export const runListEntrySchema = z.object({
  id: runIdSchema,
  experiment: z.string(),
  status: z.union([z.enum(RUN_STATUSES), z.literal('damaged')]),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  backend: z.enum(BACKEND_NAMES).optional(),
  dataset: z.string().optional(),
  seed: z.number().optional(),
  /** The run's parameters (the table shows those that differ from the book's). */
  params: z.record(z.string(), z.unknown()).optional(),
  /** The slot's key results of the run as stored (empty while it runs). */
  keyResults: z.array(keyResultSchema).optional(),
  meta: runMetaSchema.optional(),
  /** Why the stored run could not be read, for a damaged one. */
  problem: z.string().optional(),
});
export type RunListEntry = z.output<typeof runListEntrySchema>;

export interface LabInfo {
  /** The backend the worker reported for its last run, or the one forced in settings. */
  backend: string | null;
  datasetDir: string;
  datasetIsDefault: boolean;
  host: 'electron' | 'web';
  historyDir: string;
  version: string;
  /** How many run slots train at once (the "runs at once" setting, 1..cores); a search takes them all. */
  maxConcurrentRuns: number;
  /** The machine's core count: the largest `maxConcurrentRuns`. */
  cores: number;
  /** What one run may take in memory on this machine and backend (the form checks its estimate against it). */
  memory: MemoryBudget;
  /** The Redis whose lab workers train the searches' trials (issue #20), or null: in the lab's own worker. */
  trialQueue: string | null;
}

export const localeSchema = z.enum(LOCALES);

/**
 * What the Electron application menu asks the window to do: the actions of the renderer's keyboard
 * shortcuts (run, cancel, the n-th experiment), exporting the chart in view and choosing the dataset
 * folder (through the renderer, so that its view of the lab stays current).
 */
export const menuActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run') }),
  z.object({ kind: z.literal('cancel') }),
  z.object({ kind: z.literal('experiment'), index: z.number().int().min(0).max(63) }),
  z.object({ kind: z.literal('export-chart') }),
  z.object({ kind: z.literal('choose-dataset') }),
]);
export type MenuAction = z.output<typeof menuActionSchema>;

/** The "runs at once" setting as a call carries it (the service clamps it to the core count). */
export const concurrentRunsSchema = z.number().int().min(1).max(1024);

export const datasetDirSchema = z.string().min(1).max(4096);

/** A search queue's Redis URL as the setting carries it (null: none). */
export const trialQueueSchema = z
  .string()
  .max(2048)
  .refine((url) => queueUrlProblem(url) === null, { error: (issue) => queueUrlProblem(String(issue.input)) ?? '' })
  .nullable();

/** What a chart exports: its image (PNG, SVG) or the data it draws (CSV, JSON); a kept net: NumPy's .npz. */
export const SAVE_FILE_TYPES = ['png', 'svg', 'csv', 'json', 'npz'] as const;
export type SaveFileType = (typeof SAVE_FILE_TYPES)[number];
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';
export const NPZ_DATA_URL_PREFIX = 'data:application/octet-stream;base64,';
/** The binary types travel as base64 data: URLs with these prefixes, the others as their text. */
export const DATA_URL_PREFIXES: Partial<Record<SaveFileType, string>> = {
  png: PNG_DATA_URL_PREFIX,
  npz: NPZ_DATA_URL_PREFIX,
};

/** The type of a file name the saveFile call accepts (its extension). */
export const saveFileTypeOf = (name: string): SaveFileType => name.slice(name.lastIndexOf('.') + 1) as SaveFileType;

const isDataUrl = (content: string) => Object.values(DATA_URL_PREFIXES).some((prefix) => content.startsWith(prefix));

export const saveFileRequestSchema = z
  .object({
    suggestedName: z
      .string()
      .regex(/^[\w .,()+=-]{1,120}\.(png|svg|csv|json|npz)$/, 'a file name ending in .png, .svg, .csv, .json or .npz'),
    /** PNG, NPZ: a base64 data: URL (PNG as ECharts' getDataURL returns it); SVG, CSV, JSON: the text. */
    content: z.string().max(64 * 1024 * 1024),
  })
  .refine(
    (request) => {
      const prefix = DATA_URL_PREFIXES[saveFileTypeOf(request.suggestedName)];
      return prefix ? request.content.startsWith(prefix) : !isDataUrl(request.content);
    },
    { message: 'a .png or .npz takes a base64 data: URL of its type, other files their text', path: ['content'] },
  );
export type SaveFileRequest = z.output<typeof saveFileRequestSchema>;

/**
 * Fig. 6-22: the dropout masks the engine would draw for one input at training step `step` (seeded,
 * net 0's mask stream), one per hidden layer of `sizes`. Small on purpose: a figure, not a run.
 */
export const DROPOUT_FIGURE_LIMITS = { layers: 8, units: 64, step: 10_000 } as const;
export const dropoutMasksRequestSchema = z.object({
  ratio: z.number().min(0).lt(1),
  seed: z.int().min(0).max(4294967295),
  step: z.int().min(0).max(DROPOUT_FIGURE_LIMITS.step),
  sizes: z.array(z.int().min(1).max(DROPOUT_FIGURE_LIMITS.units)).min(1).max(DROPOUT_FIGURE_LIMITS.layers),
});
export type DropoutMasksRequest = z.output<typeof dropoutMasksRequestSchema>;

export interface LabApi {
  info(): Promise<LabInfo>;
  startRun(request: StartRunRequest): Promise<{ runId: string }>;
  cancelRun(runId: string): Promise<void>;
  /** Progress of every run; returns the function that unsubscribes. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  listRuns(): Promise<RunListEntry[]>;
  getRun(runId: string): Promise<RunRecord>;
  /** The nets a run trained and kept (with what each learned), or null when it kept none. */
  getRunNets(runId: string): Promise<TrainedNets | null>;
  /** What a run recorded inside its nets (inside.json beside its record); null when it recorded nothing. */
  getRunInside(runId: string): Promise<RunInside | null>;
  /**
   * Step 4 of a completed search: its trial `trial` trained again on all its images and measured on the
   * test data once; a second request gets the first result back (`repeated`).
   */
  evaluateOnTest(runId: string, trial: number): Promise<TestEvaluationReply>;
  deleteRun(runId: string): Promise<void>;
  /** Deletes several runs at once (the history table's selection). */
  deleteRuns(runIds: string[]): Promise<void>;
  /** Replaces a run's notes, tags and star (saved in its record atomically); returns its list entry. */
  updateRunMeta(runId: string, meta: RunMeta): Promise<RunListEntry>;
  /** Electron: a folder picker; web host: takes the folder path typed in. Null when cancelled. */
  chooseDatasetDir(typedPath?: string): Promise<LabInfo | null>;
  resetDatasetDir(): Promise<LabInfo>;
  /** Sets how many run slots train at once (clamped to 1..cores, remembered); queued runs start if slots free. */
  setMaxConcurrentRuns(count: number): Promise<LabInfo>;
  /** The UI language, remembered by the host (Electron's menu follows it). */
  setLocale(locale: Locale): Promise<void>;
  /**
   * Sends the trials of the searches started from now on to the lab workers of this Redis (`lab worker
   * --queue URL`), or back to the lab's own worker (null); remembered.
   */
  setTrialQueue(url: string | null): Promise<LabInfo>;
  /** Electron: a native save dialog; web host: the renderer downloads instead (returns saved: false). */
  saveFile(request: SaveFileRequest): Promise<{ saved: boolean; path?: string }>;
  /** Fig. 6-22: which hidden neurons the engine's dropout drops at a step (true: dropped), per layer. */
  dropoutMasks(request: DropoutMasksRequest): Promise<boolean[][]>;
}

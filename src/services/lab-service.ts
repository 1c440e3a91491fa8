import { existsSync } from 'node:fs';
import os from 'node:os';
import type { DropoutMasksRequest, LabInfo, RunEvent, RunListEntry, StartRunRequest } from '../shared/api';
import { LOCALES, type Locale } from '../shared/slots/slot';
import { BACKEND_NAMES } from '../shared/backends';
import {
  EXPERIMENT_IDS,
  type ExperimentId,
  ParamError,
  isExperimentId,
  parseParams,
  slotOf,
} from '../shared/experiments';
import {
  OUT_OF_MEMORY_PREFIX,
  assertFitsMemory,
  isOutOfMemory,
  memoryBudget,
  outOfMemoryMessage,
  serviceThreads,
} from '../shared/memory-budget';
import type { TrainedNets } from '../shared/trained-nets';
import type { RunInside } from '../shared/inside';
import type { TestEvaluationReply } from '../shared/final-test';
import { FinalTests } from './final-tests';
import type { WorkerProcess } from './worker-process';
import { RUN_RECORD_VERSION, type RunMeta, type RunRecord } from '../shared/runs';
import { type WorkerToHost, workerToHostSchema } from '../shared/worker-protocol';
import { HistoryStore } from './history';
import type { SettingsStore } from './settings';

export type { WorkerProcess } from './worker-process';

export interface LabServiceOptions {
  history: HistoryStore;
  settings: SettingsStore;
  launchWorker: () => WorkerProcess;
  defaultDataDir: string;
  host: LabInfo['host'];
  version: string;
  /**
   * The engine's dropout mask sampling for Fig. 6-22 (engine/nn/dropout-masks.ts, sampleDropoutMasks),
   * handed in by the host: the service itself does not import the engine.
   */
  dropoutMasks?: (request: DropoutMasksRequest) => boolean[][];
  /**
   * How many run slots train at once (default: the setting of that name, else 1; at most the machine's
   * core count). A run takes one slot, a search all of them (its slot's `runSlots`); further runs wait in
   * the queue with status `queued` and start in order as slots free.
   */
  maxConcurrentRuns?: number;
  /** The core count the slots share (default: the machine's). */
  cores?: number;
  /** The machine's memory, of which a run may take half (default: os.totalmem()). */
  totalMemory?: number;
}

/** The concurrency the service uses for a requested one: a whole number from 1 to the core count. */
export function clampConcurrentRuns(requested: number | undefined, cores = os.availableParallelism()): number {
  const wanted = requested === undefined || !Number.isFinite(requested) ? 1 : Math.floor(requested);
  return Math.max(1, Math.min(wanted, Math.max(1, cores)));
}

/** A run waiting for a slot: its record exists in the history with status `queued`. */
interface QueuedRun {
  runId: string;
  experiment: ExperimentId;
  params: Record<string, unknown>;
}

interface Worker {
  process: WorkerProcess;
  runId: string | undefined;
  /** The run slots its run holds (0 while idle). */
  slots: number;
  alive: boolean;
}

/**
 * The lab's run supervisor, without Electron: starts runs in worker processes, writes their progress
 * to the history store as it arrives, forwards it to subscribers, and turns a crashed worker or a
 * closing app into a failed or cancelled run that keeps every point already streamed.
 */
export class LabService {
  private readonly workers = new Set<Worker>();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly localeListeners = new Set<(locale: Locale) => void>();
  /** Runs whose record exists in the history (their worker said "started"). */
  private readonly recorded = new Set<string>();
  /** Runs that were queued: their record exists (status `queued`) though their worker has not said "started". */
  private readonly queuedRecords = new Set<string>();
  /** Runs waiting for a slot, in the order they were started. */
  private readonly queue: QueuedRun[] = [];
  private backend: string | null = null;
  private readonly finalTests: FinalTests;
  private readonly cores: number;
  private concurrentRuns: number;

  constructor(private readonly options: LabServiceOptions) {
    this.finalTests = new FinalTests(options.history, options.launchWorker, () => this.dataDir());
    this.cores = Math.max(1, options.cores ?? os.availableParallelism());
    this.concurrentRuns = clampConcurrentRuns(
      options.maxConcurrentRuns ?? options.settings.get().maxConcurrentRuns,
      this.cores,
    );
    options.history.recoverInterrupted();
  }

  /** How many run slots train at once. */
  get maxConcurrentRuns(): number {
    return this.concurrentRuns;
  }

  /**
   * Changes how many run slots train at once (clamped to 1..cores) and remembers it; queued runs start
   * if slots are now free. Runs already training keep their slots when it is lowered.
   */
  setMaxConcurrentRuns(count: number): LabInfo {
    this.concurrentRuns = clampConcurrentRuns(count, this.cores);
    this.options.settings.update({ maxConcurrentRuns: this.concurrentRuns });
    this.pump();
    return this.info();
  }

  /** Where the searches started from now on train their trials (a Redis URL), or null: here. */
  setTrialQueue(url: string | null): LabInfo {
    this.options.settings.update({ trialQueue: url ?? undefined });
    return this.info();
  }

  /** The UI language the renderer last chose, if it is one the lab has. */
  locale(): Locale | undefined {
    const saved = this.options.settings.get().locale;
    return LOCALES.find((locale) => locale === saved);
  }

  /** Remembers the UI language and tells the host (Electron rebuilds its menu in it). */
  setLocale(locale: Locale): void {
    if (this.locale() === locale) return;
    this.options.settings.update({ locale });
    for (const listener of this.localeListeners) listener(locale);
  }

  onLocaleChange(listener: (locale: Locale) => void): () => void {
    this.localeListeners.add(listener);
    return () => this.localeListeners.delete(listener);
  }

  /** How many runs hold a worker now (training, or handed to a worker that has not said "started" yet). */
  trainingCount(): number {
    return [...this.workers].filter((w) => w.alive && w.runId).length;
  }

  /** How many run slots the runs holding a worker take (a search takes every slot). */
  slotsInUse(): number {
    return [...this.workers].reduce((sum, w) => sum + (w.alive && w.runId ? w.slots : 0), 0);
  }

  /** The ids of the runs waiting for a slot, first in line first. */
  queuedRuns(): string[] {
    return this.queue.map((q) => q.runId);
  }

  /** Starts a worker ahead of the first run so that tfjs and the dataset are loaded by then. */
  warmUp(): void {
    if (![...this.workers].some((w) => w.alive && !w.runId)) this.launch();
  }

  info(): LabInfo {
    const chosen = this.options.settings.get().datasetDir;
    return {
      backend: this.backend,
      datasetDir: this.dataDir(),
      datasetIsDefault: chosen === undefined,
      host: this.options.host,
      historyDir: this.options.history.root,
      version: this.options.version,
      maxConcurrentRuns: this.concurrentRuns,
      cores: this.cores,
      memory: this.memoryBudget(),
      trialQueue: this.options.settings.get().trialQueue ?? null,
    };
  }

  /** What a run may take: the backend's limits, WASM's too while the worker has not said which backend it runs. */
  private memoryBudget() {
    const backend = BACKEND_NAMES.find((name) => name === this.backend) ?? null;
    return memoryBudget(backend, this.options.totalMemory ?? os.totalmem());
  }

  dataDir(): string {
    return this.options.settings.get().datasetDir ?? this.options.defaultDataDir;
  }

  setDataDir(dir: string | undefined): LabInfo {
    if (dir !== undefined && !existsSync(dir)) throw new Error(`dataset folder not found: ${dir}`);
    this.options.settings.update({ datasetDir: dir });
    return this.info();
  }

  /** Fig. 6-22's masks, from the engine's dropout (the host hands the sampler in). */
  dropoutMasks(request: DropoutMasksRequest): boolean[][] {
    if (!this.options.dropoutMasks) throw new Error('this host does not sample dropout masks');
    return this.options.dropoutMasks(request);
  }

  onRunEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates the parameters and the memory they need (a ParamError, a MemoryBudgetError with the
   * estimate, starts nothing) and hands the run to an idle worker, or,
   * when maxConcurrentRuns runs already train, queues it: its record is saved as `queued` and a
   * `queued` event gives its place in line.
   */
  startRun(request: StartRunRequest): { runId: string } {
    if (!isExperimentId(request.experiment)) {
      const message = `unknown experiment "${request.experiment}" (one of: ${EXPERIMENT_IDS.join(', ')})`;
      throw new ParamError(request.experiment, [{ path: 'experiment', message }]);
    }
    const params = parseParams(request.experiment, request.params);
    const threads = serviceThreads(request.experiment, this.cores, this.concurrentRuns);
    assertFitsMemory(request.experiment, params, threads, this.memoryBudget());
    const runId = HistoryStore.newRunId();
    const run = { runId, experiment: request.experiment, params };
    if (this.queue.length === 0 && this.hasSlotsFor(run)) {
      this.dispatch(run);
      return { runId };
    }
    const backend = BACKEND_NAMES.find((name) => name === this.backend) ?? 'cpu';
    this.options.history.create(runId, {
      formatVersion: RUN_RECORD_VERSION,
      experiment: request.experiment,
      params,
      seed: Number(params.seed ?? 0),
      backend,
      dataset: this.dataDir(),
      status: 'queued',
      startedAt: new Date().toISOString(),
      series: [],
      summary: {},
    });
    this.queuedRecords.add(runId);
    this.queue.push(run);
    this.emit({ runId, event: { type: 'queued', place: this.queue.length } });
    return { runId };
  }

  /** Cancels a running run (it ends `cancelled` with its points) or removes a queued one from the queue. */
  cancelRun(runId: string): void {
    const at = this.queue.findIndex((q) => q.runId === runId);
    if (at >= 0) {
      this.queue.splice(at, 1);
      this.endQueued(runId, 'cancelled before it started: the run was still queued');
      this.announcePlaces(at);
      return;
    }
    for (const worker of this.workers) if (worker.runId === runId) worker.process.send({ type: 'cancel', runId });
  }

  listRuns(): RunListEntry[] {
    return this.options.history.list();
  }

  getRunNets(runId: string): TrainedNets | null {
    return this.options.history.nets(runId);
  }

  getRunInside(runId: string): RunInside | null {
    return this.options.history.inside(runId);
  }

  /** Step 4 of the search `runId` on its trial `trial` (final-tests.ts). */
  evaluateOnTest(runId: string, trial: number): Promise<TestEvaluationReply> {
    return this.finalTests.evaluate(runId, trial);
  }

  getRun(runId: string): RunRecord {
    return this.options.history.get(runId);
  }

  deleteRun(runId: string): void {
    this.deleteRuns([runId]);
  }

  /**
   * Deletes the runs (folders and index entries); ids with no run are skipped. A running one among
   * them deletes nothing: it must be cancelled first.
   */
  deleteRuns(runIds: string[]): void {
    const running = runIds.filter(
      (id) => [...this.workers].some((w) => w.runId === id) || this.queue.some((q) => q.runId === id),
    );
    if (running.length > 0) {
      const which = running.length === 1 ? '' : ` (${running.join(', ')})`;
      throw new Error(`a running run cannot be deleted; cancel it first${which}`);
    }
    this.options.history.deleteMany(runIds);
  }

  /** Saves a run's notes, tags and star in its record (also while it runs); returns its list entry. */
  updateRunMeta(runId: string, meta: RunMeta): RunListEntry {
    return this.options.history.updateMeta(runId, meta);
  }

  /**
   * The app is closing: running runs are saved as cancelled with their points, queued ones as
   * cancelled (never started), workers stopped.
   */
  shutdown(): void {
    this.finalTests.shutdown();
    for (const queued of this.queue.splice(0)) {
      this.endQueued(queued.runId, 'cancelled before it started: the lab was closed while the run was queued');
    }
    for (const worker of this.workers) {
      // Handed to its worker from the queue but not started yet: its record still says queued.
      if (worker.runId && !this.recorded.has(worker.runId) && this.queuedRecords.has(worker.runId)) {
        this.endQueued(worker.runId, 'cancelled before it started: the lab was closed while the run was starting');
      }
      if (worker.runId && this.recorded.has(worker.runId)) {
        try {
          this.options.history.finishFromPoints(
            worker.runId,
            'cancelled',
            'interrupted: the lab was closed during the run',
          );
        } catch (error) {
          // The run's folder is gone (deleted, or its disk): nothing left to save; closing goes on.
          console.error(
            `could not save run ${worker.runId} on closing:`,
            error instanceof Error ? error.message : error,
          );
        }
      }
      worker.alive = false;
      worker.process.kill();
    }
    this.workers.clear();
  }

  /** The run slots a run takes: one, or every slot for a run whose members are parallel runs (a search). */
  private slotsFor(run: QueuedRun): number {
    return slotOf(run.experiment).runSlots === 'all' ? this.concurrentRuns : 1;
  }

  private hasSlotsFor(run: QueuedRun): boolean {
    return this.slotsInUse() + this.slotsFor(run) <= this.concurrentRuns;
  }

  /**
   * Hands a run to an idle worker (or a new one): the caller has checked that its slots are free. Each
   * slot is worth an equal share of the cores, so runs training side by side never ask for more threads
   * than the machine has.
   */
  private dispatch(run: QueuedRun): void {
    const worker = [...this.workers].find((w) => w.alive && !w.runId) ?? this.launch();
    worker.runId = run.runId;
    worker.slots = this.slotsFor(run);
    worker.process.send({
      type: 'start',
      runId: run.runId,
      experiment: run.experiment,
      params: run.params,
      dataDir: this.dataDir(),
      threads: serviceThreads(run.experiment, this.cores, this.concurrentRuns),
      ...this.trialQueueFor(run.experiment),
    });
  }

  /** A search goes to the trial queue of the settings, if any; other runs train here. */
  private trialQueueFor(experiment: ExperimentId): { trialQueue?: string } {
    const trialQueue = this.options.settings.get().trialQueue;
    return experiment === 'hyperparameter-search' && trialQueue ? { trialQueue } : {};
  }

  /** Starts queued runs, in order, while slots are free; tells those still waiting their new place. */
  private pump(): void {
    let started = 0;
    while (this.queue.length > 0 && this.hasSlotsFor(this.queue[0]!)) {
      this.dispatch(this.queue.shift()!);
      started++;
    }
    if (started > 0) this.announcePlaces(0);
  }

  /** Sends a `queued` event with its place to every queued run from index `from` on. */
  private announcePlaces(from: number): void {
    for (let i = from; i < this.queue.length; i++) {
      this.emit({ runId: this.queue[i]!.runId, event: { type: 'queued', place: i + 1 } });
    }
  }

  /** A queued run that will never start: its record says cancelled with why. */
  private endQueued(runId: string, notice: string): void {
    this.queuedRecords.delete(runId);
    let record;
    try {
      record = this.options.history.finishFromPoints(runId, 'cancelled', notice);
    } catch (error) {
      console.error(`could not save queued run ${runId}:`, error instanceof Error ? error.message : error);
    }
    this.emit({ runId, event: { type: 'failed', error: notice, ...(record ? { record } : {}) } });
  }

  private launch(): Worker {
    const worker: Worker = { process: this.options.launchWorker(), runId: undefined, slots: 0, alive: true };
    this.workers.add(worker);
    worker.process.onMessage((raw) => {
      const parsed = workerToHostSchema.safeParse(raw);
      if (!parsed.success) return;
      try {
        this.handle(worker, parsed.data);
      } catch (error) {
        // The history could not be written (read-only folder, full disk): the run stops, failed, saying
        // why. Thrown out of a message listener, it would end the whole host.
        if (parsed.data.type !== 'ready') this.unsaved(worker, parsed.data.runId, error);
      }
    });
    worker.process.onExit((reason) => this.lost(worker, reason));
    worker.process.send({ type: 'warmup', dataDir: this.dataDir() });
    return worker;
  }

  private handle(worker: Worker, message: WorkerToHost): void {
    if (message.type === 'ready') {
      this.backend = message.backend;
      return;
    }
    // Step 4's answers come from a worker of its own (final-tests.ts), never from these.
    if (message.type === 'final-tested' || message.type === 'final-test-failed') return;
    const { runId } = message;
    if (message.type === 'rejected') {
      worker.runId = undefined;
      worker.slots = 0;
      // A queued run's record exists already: it ends failed with the reason.
      let record;
      if (this.queuedRecords.delete(runId)) {
        try {
          record = this.options.history.finishFromPoints(runId, 'failed', message.error);
        } catch {
          // Nothing readable to save; the event still says why.
        }
      }
      this.emit({ runId, event: { type: 'failed', error: message.error, ...(record ? { record } : {}) } });
      this.pump();
      return;
    }
    const { event } = message;
    const history = this.options.history;
    switch (event.type) {
      case 'started': {
        this.backend = event.backend;
        // A run that was queued may have been given notes, tags or a star while it waited.
        let meta;
        if (this.queuedRecords.delete(runId)) {
          try {
            meta = history.get(runId).meta;
          } catch {
            meta = undefined;
          }
        }
        history.create(runId, {
          formatVersion: RUN_RECORD_VERSION,
          experiment: event.experiment,
          params: event.params,
          seed: Number(event.params.seed ?? 0),
          backend: event.backend,
          dataset: this.dataDir(),
          status: 'running',
          startedAt: event.startedAt,
          series: [],
          summary: {},
          ...(meta ? { meta } : {}),
        });
        this.recorded.add(runId);
        break;
      }
      case 'progress':
        history.appendPoints(runId, event.points);
        break;
      case 'diverged':
        history.markDiverged(runId, { name: event.series, metric: event.metric, key: event.key }, event.at);
        break;
      case 'nets':
        // Kept beside the record and read on request (getRunNets): too large to send to every window.
        this.saveBeside(
          runId,
          'the trained nets',
          () => history.saveNets(runId, event.nets),
          (why) => history.saveNets(runId, { nets: [], notKept: why }),
        );
        return;
      case 'inside':
        this.saveBeside(
          runId,
          'the recording inside the nets',
          () => history.saveInside(runId, event.inside),
          (why) => history.saveInside(runId, { every: event.inside.every, nets: [], notRecorded: why }),
        );
        return;
      case 'finished':
        history.finish(runId, event.record);
        this.recorded.delete(runId);
        worker.runId = undefined;
        worker.slots = 0;
        // A WASM heap that ran out stays broken (Emscripten aborted it): the next run gets a fresh worker.
        if (event.record.error?.startsWith(OUT_OF_MEMORY_PREFIX)) this.retire(worker);
        this.retireSpareIdle();
        this.emit({ runId, event });
        this.pump();
        return;
    }
    this.emit({ runId, event });
  }

  /**
   * The nets and the recording inside them are extras of the run: a disk too full for one loses it
   * (saying so where it can: `instead`), never the run, whose record is written next.
   */
  private saveBeside(runId: string, what: string, save: () => void, instead: (why: string) => void): void {
    try {
      save();
    } catch (error) {
      const why = `${what} could not be saved: ${error instanceof Error ? error.message : String(error)}`;
      console.error(`run ${runId}: ${why}`);
      try {
        instead(why);
      } catch {
        // No room for the sentence either; the run goes on without it.
      }
    }
  }

  /** A run whose progress could not be saved: its worker is stopped, and it ends failed with why. */
  private unsaved(worker: Worker, runId: string, cause: unknown): void {
    const error = `the run could not be saved in the history: ${cause instanceof Error ? cause.message : String(cause)}`;
    console.error(`run ${runId}: ${error}`);
    if (worker.runId === runId) {
      worker.alive = false;
      this.workers.delete(worker);
      worker.process.kill();
    }
    this.recorded.delete(runId);
    this.queuedRecords.delete(runId);
    let record;
    try {
      record = this.options.history.finishFromPoints(runId, 'failed', error);
    } catch {
      // The history cannot take it either: the event still says why; a restart recovers the run.
    }
    this.emit({ runId, event: { type: 'failed', error, ...(record ? { record } : {}) } });
    this.pump();
  }

  /** A worker died: its run fails with the reason and keeps what was streamed. */
  private lost(worker: Worker, reason: string): void {
    if (!worker.alive) return;
    worker.alive = false;
    this.workers.delete(worker);
    const runId = worker.runId;
    if (!runId) return;
    worker.runId = undefined;
    const backend = BACKEND_NAMES.find((name) => name === this.backend) ?? null;
    // Electron says `oom` when the process ran out of memory.
    const error =
      isOutOfMemory(reason) || /^oom\b/.test(reason)
        ? outOfMemoryMessage(backend)
        : `the training worker stopped: ${reason}`;
    if (this.recorded.has(runId) || this.queuedRecords.has(runId)) {
      this.recorded.delete(runId);
      this.queuedRecords.delete(runId);
      let record;
      try {
        record = this.options.history.finishFromPoints(runId, 'failed', error);
      } catch (saveError) {
        console.error(`could not save run ${runId}:`, saveError instanceof Error ? saveError.message : saveError);
      }
      this.emit({ runId, event: { type: 'failed', error, ...(record ? { record } : {}) } });
    } else {
      this.emit({ runId, event: { type: 'failed', error } });
    }
    this.pump();
  }

  private retireSpareIdle(): void {
    const idle = [...this.workers].filter((w) => w.alive && !w.runId);
    for (const spare of idle.slice(1)) this.retire(spare);
  }

  private retire(worker: Worker): void {
    worker.alive = false;
    this.workers.delete(worker);
    worker.process.kill();
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

import { existsSync } from 'node:fs';
import type { DropoutMasksRequest, LabInfo, RunEvent, RunListEntry, StartRunRequest } from '../shared/api';
import { EXPERIMENT_IDS, ParamError, isExperimentId, parseParams } from '../shared/experiments';
import { RUN_RECORD_VERSION, type RunMeta, type RunRecord } from '../shared/runs';
import { type HostToWorker, type WorkerToHost, workerToHostSchema } from '../shared/worker-protocol';
import { HistoryStore } from './history';
import type { SettingsStore } from './settings';

/** A training worker process as the service sees it, whichever host started it. */
export interface WorkerProcess {
  send(message: HostToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends for any reason, with a human-readable reason. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
  /** The OS process id, where the host knows it. */
  readonly pid?: number;
}

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
}

interface Worker {
  process: WorkerProcess;
  runId: string | undefined;
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
  /** Runs whose record exists in the history (their worker said "started"). */
  private readonly recorded = new Set<string>();
  private backend: string | null = null;

  constructor(private readonly options: LabServiceOptions) {
    options.history.recoverInterrupted();
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
    };
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

  /** Validates the parameters (a ParamError starts nothing) and hands the run to an idle worker. */
  startRun(request: StartRunRequest): { runId: string } {
    if (!isExperimentId(request.experiment)) {
      const message = `unknown experiment "${request.experiment}" (one of: ${EXPERIMENT_IDS.join(', ')})`;
      throw new ParamError(request.experiment, [{ path: 'experiment', message }]);
    }
    const params = parseParams(request.experiment, request.params);
    const runId = HistoryStore.newRunId();
    const worker = [...this.workers].find((w) => w.alive && !w.runId) ?? this.launch();
    worker.runId = runId;
    worker.process.send({ type: 'start', runId, experiment: request.experiment, params, dataDir: this.dataDir() });
    return { runId };
  }

  cancelRun(runId: string): void {
    for (const worker of this.workers) if (worker.runId === runId) worker.process.send({ type: 'cancel', runId });
  }

  listRuns(): RunListEntry[] {
    return this.options.history.list();
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
    const running = runIds.filter((id) => [...this.workers].some((w) => w.runId === id));
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

  /** The app is closing: running runs are saved as cancelled with their points, workers stopped. */
  shutdown(): void {
    for (const worker of this.workers) {
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

  private launch(): Worker {
    const worker: Worker = { process: this.options.launchWorker(), runId: undefined, alive: true };
    this.workers.add(worker);
    worker.process.onMessage((raw) => {
      const parsed = workerToHostSchema.safeParse(raw);
      if (parsed.success) this.handle(worker, parsed.data);
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
    const { runId } = message;
    if (message.type === 'rejected') {
      worker.runId = undefined;
      this.emit({ runId, event: { type: 'failed', error: message.error } });
      return;
    }
    const { event } = message;
    const history = this.options.history;
    switch (event.type) {
      case 'started':
        this.backend = event.backend;
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
        });
        this.recorded.add(runId);
        break;
      case 'progress':
        history.appendPoints(runId, event.points);
        break;
      case 'diverged':
        history.markDiverged(runId, { name: event.series, metric: event.metric, key: event.key }, event.at);
        break;
      case 'finished':
        history.finish(runId, event.record);
        this.recorded.delete(runId);
        worker.runId = undefined;
        this.retireSpareIdle();
        break;
    }
    this.emit({ runId, event });
  }

  /** A worker died: its run fails with the reason and keeps what was streamed. */
  private lost(worker: Worker, reason: string): void {
    if (!worker.alive) return;
    worker.alive = false;
    this.workers.delete(worker);
    const runId = worker.runId;
    if (!runId) return;
    const error = `the training worker stopped: ${reason}`;
    if (this.recorded.has(runId)) {
      this.recorded.delete(runId);
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
  }

  private retireSpareIdle(): void {
    const idle = [...this.workers].filter((w) => w.alive && !w.runId);
    for (const spare of idle.slice(1)) {
      spare.alive = false;
      this.workers.delete(spare);
      spare.process.kill();
    }
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

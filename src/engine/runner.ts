import { availableParallelism, totalmem } from 'node:os';
import type { BackendName } from '../shared/backends';
import type { ProgressEvent } from '../shared/events';
import { type ExperimentId, parseParams } from '../shared/experiments';
import { assertFitsMemory, isOutOfMemory, memoryBudget, outOfMemoryMessage } from '../shared/memory-budget';
import { checkClaims, claimOutcomes } from '../shared/run-claims';
import { RUN_RECORD_VERSION, type RunRecord, type RunStatus } from '../shared/runs';
import { initBackend } from './backend';
import { defaultDataDir, loadDataset } from './data/mnist';
import type { ExperimentContext, ExperimentResult } from './experiments/context';
import { EXPERIMENT_MODULES } from './experiments/registry';
import { ProgressReporter } from './progress';
import { KeptNets } from './trained-nets';
import { RecordedInside } from './inside';
import { insideSpread } from '../shared/inside';
import type { TrainedNets } from '../shared/trained-nets';
import type { TrialQueue } from './search/trial-queue';

export interface RunOptions {
  dataDir?: string;
  backend?: BackendName;
  signal?: AbortSignal;
  /** Worker threads for independent members; default: every core. */
  threads?: number;
  onEvent?: (event: ProgressEvent) => void;
  /** A hyper-parameter search's trials go to this queue's workers (the caller opens and closes it). */
  trialQueue?: TrialQueue;
}

/**
 * Runs one experiment to its run record: validates the parameters and picks the backend (throws
 * ParamError before anything starts, MemoryBudgetError when the run would not fit in memory there),
 * streams batched progress, and always ends in a record whose status says how it ended (completed,
 * cancelled, failed, diverged) with every point gathered so far; a run that ran out of memory anyway
 * fails with a plain "out of memory" rather than the runtime's abort text.
 */
export async function runExperiment(
  id: ExperimentId,
  rawParams: unknown,
  options: RunOptions = {},
): Promise<RunRecord> {
  const params = parseParams(id, rawParams);
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const dataDir = options.dataDir ?? defaultDataDir();
  const backend = (await initBackend(options.backend)).name;
  const threads = options.threads ?? availableParallelism();
  assertFitsMemory(id, params, threads, memoryBudget(backend, totalmem()));
  const startedAt = new Date().toISOString();
  const module = EXPERIMENT_MODULES[id];
  const steps = module.totalSteps(params as never);
  emit({ type: 'started', experiment: id, backend, params, totalSteps: steps, startedAt });

  const reporter = new ProgressReporter(steps, emit);
  const context: ExperimentContext = {
    dataset: () => loadDataset(dataDir),
    dataDir,
    backend,
    reporter,
    signal,
    threads,
    nets: new KeptNets(),
    inside: new RecordedInside(insideEveryOf(params)),
    ...(options.trialQueue ? { trialQueue: options.trialQueue } : {}),
  };
  let result: ExperimentResult = { summary: {} };
  let error: string | undefined;
  try {
    result = await module.run(params as never, context);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    if (isOutOfMemory(error)) error = outOfMemoryMessage(backend);
  }
  reporter.flush();
  const nets = error === undefined ? keptNetsFile(context) : null;
  if (nets) emit({ type: 'nets', nets });
  const inside = context.inside.file();
  if (inside) emit({ type: 'inside', inside });
  const series = reporter.allSeries();
  const record: RunRecord = {
    formatVersion: RUN_RECORD_VERSION,
    experiment: id,
    params,
    seed: params.seed,
    backend,
    dataset: dataDir,
    status: finalStatus(error, signal.aborted, series.length > 0 && series.every((s) => s.divergedAt !== undefined)),
    startedAt,
    finishedAt: new Date().toISOString(),
    series,
    summary: result.summary,
    // The book's claims, checked on whatever the run gathered (a claim the run cannot say is left out).
    ...(inside ? { inside: insideSpread(inside) } : {}),
    claims: claimOutcomes(
      checkClaims({ experiment: id, series, summary: result.summary, params, inside: inside && insideSpread(inside) }),
    ),
    ...(error !== undefined ? { error } : {}),
  };
  emit({ type: 'finished', record });
  return record;
}

/** The interval the run's parameters ask to record inside its nets at (0: not at all). */
function insideEveryOf(params: object): number {
  return 'insideEvery' in params && typeof params.insideEvery === 'number' ? params.insideEvery : 0;
}

/** The run's kept nets with their reports (null when it kept none); a report that fails leaves them out. */
function keptNetsFile(context: ExperimentContext): TrainedNets | null {
  try {
    return context.nets.file();
  } catch (caught) {
    const why = caught instanceof Error ? caught.message : String(caught);
    return { nets: [], notKept: `the trained nets could not be kept: ${why}` };
  }
}

function finalStatus(error: string | undefined, cancelled: boolean, allDiverged: boolean): RunStatus {
  if (error !== undefined) return 'failed';
  if (cancelled) return 'cancelled';
  return allDiverged ? 'diverged' : 'completed';
}

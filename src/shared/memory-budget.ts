import type { BackendName } from './backends';
import { type ExperimentId, type ExperimentParams, ParamError, slotOf } from './experiments';
import {
  DATASET_BYTES,
  type MemoryFactor,
  type MemoryPart,
  type MemoryWorkload,
  RUNTIME,
  type ThreadMemory,
  threadTotals,
  trainingThreadMemory,
  trainingThreads,
} from './memory-model';

/*
 * A run's memory before it starts: the estimate from its parameters (memory-model.ts, with each
 * experiment's workload from its slot's `memory`), what the backend can hold, and the verdict. The
 * service, `lab run` (through the runner) and the form check it alike; a run that does not fit is
 * refused at once with the estimate and the parameters that drive it.
 */

export type { MemoryFactor, MemoryPart } from './memory-model';

/** A run's estimated peak memory. */
export interface MemoryEstimate {
  experiment: ExperimentId;
  /** Threads that train (1: the worker process' own thread). */
  threads: number;
  /** The busiest training thread: its parts, its tensor heap (the WASM heap on WASM) and all it holds. */
  thread: ThreadMemory;
  /** The worker process: every training thread, the process' runtime and the recorded points. */
  totalBytes: number;
  /** The parameters that drive it, most memory first. */
  drivers: MemoryFactor[];
}

/** What the experiment `id` trains with these (validated) parameters, as memory sees it: its slot's `memory`. */
export function memoryWorkload<Id extends ExperimentId>(id: Id, params: ExperimentParams<Id>): MemoryWorkload {
  return slotOf(id).memory(params);
}

/** How many worker threads a run gets: its run slots' share of the cores (services/lab-service.ts dispatch). */
export function runThreads(runSlots: 'one' | 'all', cores: number, maxConcurrentRuns: number): number {
  const slots = runSlots === 'all' ? maxConcurrentRuns : 1;
  return slots * Math.max(1, Math.floor(cores / maxConcurrentRuns));
}

/** The estimate for an experiment's validated parameters, trained on up to `threads` worker threads. */
export function estimateRunMemory<Id extends ExperimentId>(
  id: Id,
  params: ExperimentParams<Id>,
  threads: number,
): MemoryEstimate {
  const workload = memoryWorkload(id, params);
  const points: MemoryPart = {
    kind: 'points',
    place: 'js',
    bytes: workload.points * RUNTIME.pointBytes,
    factors: [workload.length],
  };
  if (workload.kind === 'direct') {
    // Plain JS in the worker's own thread: no tensors.
    const thread = threadTotals([...workload.parts], false);
    return finish(id, 1, thread, RUNTIME.processBytes + thread.bytes - RUNTIME.threadBytes, points);
  }
  const shards = trainingThreads(workload.nets.length, Math.max(1, threads));
  const thread = trainingThreadMemory(workload, Math.ceil(workload.nets.length / shards));
  // One shard trains in the worker's own thread; more run in threads of their own beside it, each
  // reading the dataset again (the main thread read it too).
  const total =
    shards === 1
      ? RUNTIME.processBytes + thread.bytes - RUNTIME.threadBytes
      : RUNTIME.processBytes + DATASET_BYTES + shards * thread.bytes;
  return finish(id, shards, thread, total, points);
}

/** The estimate for parameters not yet typed (a form's): validated here; null when they are not valid. */
export function estimateMemoryOf(id: ExperimentId, params: unknown, threads: number): MemoryEstimate | null {
  const parsed = slotOf(id).params.safeParse(params ?? {});
  return parsed.success ? estimateRunMemory(id, parsed.data as ExperimentParams<ExperimentId>, threads) : null;
}

function finish(
  experiment: ExperimentId,
  threads: number,
  thread: ThreadMemory,
  processBytes: number,
  points: MemoryPart,
): MemoryEstimate {
  const parts = [...thread.parts, points].sort((a, b) => b.bytes - a.bytes);
  const drivers: MemoryFactor[] = [];
  for (const { factors } of parts) {
    for (const factor of factors) if (!drivers.some((d) => d.param === factor.param)) drivers.push(factor);
  }
  return { experiment, threads, thread, totalBytes: processBytes + points.bytes, drivers };
}

/** WASM's largest heap, per thread: 4 GiB less a 64 KiB page (tfjs-backend-wasm's getHeapMax). */
export const WASM_HEAP_MAX_BYTES = 4 * 2 ** 30 - 2 ** 16;
/** The share of the machine's memory one run may take. */
export const MACHINE_SHARE = 0.5;

/** What a run may take on the lab's backend. Plain data: the host works it out, the renderer shows it. */
export interface MemoryBudget {
  /** The backend it applies to; null while the worker has not said which it runs (then both limits apply). */
  backend: BackendName | null;
  /** One thread's tensor heap: WASM's 4 GiB; null where tensors are not in a WASM heap. */
  threadHeapBytes: number | null;
  /** The whole run: a share of the machine's memory. */
  totalBytes: number;
}

/** The budget on `backend` (null: not known yet, so WASM's limit too) on a machine with `machineBytes` of memory. */
export function memoryBudget(backend: BackendName | null, machineBytes: number): MemoryBudget {
  const wasm = backend === null || backend === 'wasm';
  return {
    backend,
    threadHeapBytes: wasm ? WASM_HEAP_MAX_BYTES : null,
    totalBytes: Math.floor(machineBytes * MACHINE_SHARE),
  };
}

/** An estimate held against a budget. */
export interface MemoryCheck {
  estimate: MemoryEstimate;
  budget: MemoryBudget;
  /** Null when it fits; else the limit it exceeds (a thread's WASM heap first). */
  exceeds: null | { limit: 'threadHeap' | 'total'; neededBytes: number; limitBytes: number };
}

export function checkMemory(estimate: MemoryEstimate, budget: MemoryBudget): MemoryCheck {
  if (budget.threadHeapBytes !== null && estimate.thread.heapBytes > budget.threadHeapBytes) {
    const exceeds = {
      limit: 'threadHeap' as const,
      neededBytes: estimate.thread.heapBytes,
      limitBytes: budget.threadHeapBytes,
    };
    return { estimate, budget, exceeds };
  }
  if (estimate.totalBytes > budget.totalBytes) {
    return {
      estimate,
      budget,
      exceeds: { limit: 'total', neededBytes: estimate.totalBytes, limitBytes: budget.totalBytes },
    };
  }
  return { estimate, budget, exceeds: null };
}

/** Binary units, three significant digits: 310 MiB, 61.2 GiB, 4 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}

/** A factor as the messages show it: `batchSize 60000`, `hidden 16 × 4096`, `hidden [100, 50]`. */
export function formatFactor({ param, value }: MemoryFactor): string {
  if (typeof value === 'number') return `${param} ${value}`;
  if (value.length > 1 && value.every((v) => v === value[0])) return `${param} ${value.length} × ${value[0]}`;
  return `${param} [${value.join(', ')}]`;
}

/** The parameters that drive most of the estimate (the parts that make up 90% of it). */
export function mainDrivers(estimate: MemoryEstimate): MemoryFactor[] {
  const parts = [...estimate.thread.parts].filter((p) => p.factors.length > 0).sort((a, b) => b.bytes - a.bytes);
  const total = parts.reduce((sum, p) => sum + p.bytes, 0);
  const drivers: MemoryFactor[] = [];
  let covered = 0;
  for (const p of parts) {
    if (covered >= 0.9 * total && drivers.length > 0) break;
    covered += p.bytes;
    for (const factor of p.factors) if (!drivers.some((d) => d.param === factor.param)) drivers.push(factor);
  }
  return drivers;
}

/** The verdict in words: the estimate, the limit it exceeds and the parameters to lower (or the peak, when it fits). */
export function memoryMessage(check: MemoryCheck): string {
  const { estimate, exceeds } = check;
  const drivers = mainDrivers(estimate).map(formatFactor).join(', ');
  if (!exceeds) return `≈ ${formatBytes(estimate.totalBytes)} peak (${drivers})`;
  const need = formatBytes(exceeds.neededBytes);
  const limit = formatBytes(exceeds.limitBytes);
  const where =
    exceeds.limit === 'threadHeap'
      ? `≈ ${need} of WASM heap in one worker thread, more than the ${limit} a WASM thread can hold`
      : `≈ ${need} in all (${estimate.threads} training thread${estimate.threads === 1 ? '' : 's'}), more than the ${limit} a run may take (half of this machine's memory)`;
  return `too large for memory: the run needs ${where}. Driven by ${drivers}: lower them.`;
}

/** A run refused before it starts because it would not fit in memory: a bad parameter, with its estimate. */
export class MemoryBudgetError extends ParamError {
  constructor(readonly check: MemoryCheck) {
    const message = memoryMessage(check);
    super(check.estimate.experiment, [{ path: mainDrivers(check.estimate)[0]?.param ?? '', message }]);
    this.name = 'MemoryBudgetError';
    this.message = message;
  }
}

/** Throws MemoryBudgetError when the run would not fit: the one check the service, the runner and the CLI make. */
export function assertFitsMemory<Id extends ExperimentId>(
  id: Id,
  params: ExperimentParams<Id>,
  threads: number,
  budget: MemoryBudget,
): MemoryEstimate {
  const check = checkMemory(estimateRunMemory(id, params, threads), budget);
  if (check.exceeds) throw new MemoryBudgetError(check);
  return check.estimate;
}

/** The threads a run of `id` gets from the service with these settings. */
export const serviceThreads = (id: ExperimentId, cores: number, maxConcurrentRuns: number): number =>
  runThreads(slotOf(id).runSlots, cores, maxConcurrentRuns);

/**
 * What the WASM runtime (Emscripten), V8 and Node say when memory runs out: an Emscripten abort
 * ("Aborted()", "Aborted(OOM)", "Cannot enlarge memory"), a failed allocation, a thread at its heap limit.
 */
const OUT_OF_MEMORY = [
  /\bAborted\(/,
  /Cannot enlarge memory/i,
  /out of memory/i,
  /\bOOM\b/,
  /Array buffer allocation failed/i,
  /WebAssembly\.Memory/,
  /could not allocate memory/i,
  /Reached heap limit/i,
  /ERR_WORKER_OUT_OF_MEMORY|reaching memory limit/i,
];

export const OUT_OF_MEMORY_PREFIX = 'out of memory';

export function isOutOfMemory(text: string): boolean {
  return OUT_OF_MEMORY.some((pattern) => pattern.test(text));
}

/** The plain message of a run that ran out of memory anyway, instead of the runtime's abort text. */
export function outOfMemoryMessage(backend: BackendName | null): string {
  const holds =
    backend === 'wasm'
      ? `the WASM backend holds ${formatBytes(WASM_HEAP_MAX_BYTES)} per worker thread`
      : 'the machine had no more memory to give';
  return `${OUT_OF_MEMORY_PREFIX}: the run needed more memory than it could get (${holds}); lower batchSize, the hidden layer sizes, trainSize or the number of nets`;
}

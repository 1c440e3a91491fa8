import type { TrialHyperparameters } from '../../shared/book-format';
import type { HyperparameterSearchParams } from '../../shared/slots/hyperparameter-search';
import type { ShardCallbacks } from '../experiments/types';
import type { TrialOutcome, TrialProgress } from './trial-job';
import type { PruneRule } from './median-pruning';

/*
 * A search's trials trained by workers elsewhere (issue #20): the search hands each round to a queue
 * (engine/queue/redis-trial-queue.ts puts it on Redis with BullMQ) instead of its own threads, and
 * records what comes back exactly as it records its own trials' values.
 */

export interface QueuedRound {
  /** The searching run's id on the queue (one per run). */
  search: string;
  params: HyperparameterSearchParams;
  /** The round's trials: `trial` is its number in the search (1-based); its place here is its member. */
  trials: { trial: number; hyperparameters: TrialHyperparameters }[];
  /** The searcher's dataset (`datasetFingerprint`). */
  dataset: string;
  /** The round's median pruning, with pruning on. */
  prune?: PruneRule;
}

export interface QueuedTrialCallbacks extends ShardCallbacks {
  /** A worker took the member's trial (again, after a worker that had it stopped). */
  onWorker: (member: number, worker: string) => void;
}

export interface TrialQueue {
  /** Where the trials go, for the run's log: `redis://127.0.0.1:6379`. */
  readonly where: string;
  /**
   * Trains the round's trials on the queue's workers: resolves when every trial has ended, rejects when
   * one fails (why: the worker's message); when `signal` aborts, trials not started are taken back.
   */
  trainRound(round: QueuedRound, callbacks: QueuedTrialCallbacks, signal: AbortSignal): Promise<void>;
}

/**
 * What a round's workers report, recorded once per trial: a trial a killed worker had started runs
 * again from its first epoch on another worker, and its values (the same: a trial depends only on
 * the seed and its number) are passed on only past where the first attempt got to; its progress counts
 * only the batches beyond any earlier attempt's.
 */
export class RoundRecorder {
  private readonly seen: Set<string>[];
  private readonly batches: number[];
  private readonly workers: (string | undefined)[];

  constructor(
    members: number,
    private readonly callbacks: QueuedTrialCallbacks,
  ) {
    this.seen = Array.from({ length: members }, () => new Set<string>());
    this.batches = new Array<number>(members).fill(0);
    this.workers = new Array<string | undefined>(members);
  }

  progress(member: number, { worker, batches, values }: TrialProgress): void {
    this.workerIs(member, worker);
    this.record(member, values);
    const more = batches - this.batches[member]!;
    if (more > 0) {
      this.batches[member] = batches;
      this.callbacks.onBatches?.(more);
    }
  }

  /** The trial's full list of values at its end: anything its progress reports missed is recorded now. */
  finished(member: number, { worker, values }: TrialOutcome): void {
    this.workerIs(member, worker);
    this.record(member, values);
  }

  private workerIs(member: number, worker: string): void {
    if (this.workers[member] === worker) return;
    this.workers[member] = worker;
    this.callbacks.onWorker(member, worker);
  }

  private record(member: number, values: TrialProgress['values']): void {
    const seen = this.seen[member]!;
    for (const value of values) {
      const key = `${value.metric}@${value.step}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.callbacks.onValue({ ...value, member });
    }
  }
}

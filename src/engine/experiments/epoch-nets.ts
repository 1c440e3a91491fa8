import type { OptimizerSpec } from '../../shared/optimizers';
import type { Activation, WeightInit } from '../../shared/params';
import { type Dataset, NUM_CLASSES, type Split } from '../data/mnist';
import { PrunedBatchCache, withPrunedBatch } from '../data/pruned-batch';
import type { Batch } from '../nn/multi-layer-net';
import { MultiLayerNetExtend } from '../nn/multi-layer-net-extend';
import { type Optimizer, createOptimizer } from '../optim';
import { Random } from '../random';
import { Yielder } from '../yielder';
import { type AccuracyMeasure, AccuracySet, type RowSelection, SpanAccuracySet, selectRows } from './accuracy-set';
import type { MemberValue } from './members';
import { SpanProjection } from './span-projection';

export type { RowSelection } from './accuracy-set';

/** One net of an epoch-based experiment (Fig. 6-19 to 6-24): architecture, regularisation, optimizer. */
export interface EpochNetMember {
  hidden: number[];
  activation: Activation;
  init: WeightInit;
  /** Weight decay λ. */
  lambda: number;
  useBatchNorm: boolean;
  /** 0 for no dropout. */
  dropoutRatio: number;
  optimizer: OptimizerSpec;
}

export const TRAIN_ACCURACY = 'train accuracy';
export type EvaluationMetric = 'test accuracy' | 'validation accuracy';

/**
 * How mini-batches are drawn: 'random' takes batchSize training rows with replacement every
 * iteration (the book's batch_norm_test.py, overfit_weight_decay.py); 'shuffle' walks a fresh
 * permutation of the training rows each epoch (the Trainer of dropout and the hyper-parameter search).
 */
export type BatchOrder = 'random' | 'shuffle';

export interface EpochJob {
  epochs: number;
  batchSize: number;
  batches: BatchOrder;
  seed: number;
  /** The training images the nets learn from, and on which their train accuracy is measured. */
  train: RowSelection;
  /**
   * The second accuracy of every epoch: the test images (weight decay, dropout) or held-out training
   * images (the search's validation set); none for Batch Norm.
   */
  evaluation?: { split: 'train' | 'test'; rows: RowSelection; metric: EvaluationMetric };
  members: EpochNetMember[];
  /**
   * How many of a thread's nets train side by side at a time, group after group (default: all of them
   * at once). The search trains its trials a few at a time so that they finish in turn. Every net sees
   * the same batches whatever the grouping, so its values do not depend on it.
   */
  groupSize?: number;
}

/** A net as the chapter's scripts build it (ReLU, He init, no regularisation, SGD), with `settings` applied. */
export function sgdNetMember(hidden: number[], lr: number, settings: Partial<EpochNetMember> = {}): EpochNetMember {
  return { hidden, activation: 'relu', init: 'he', lambda: 0, useBatchNorm: false, dropoutRatio: 0, optimizer: { name: 'SGD', lr }, ...settings };
}

/** A job on the first `trainSize` training images, from an experiment's common parameters. */
export function firstImagesJob(
  params: { epochs: number; batchSize: number; seed: number; trainSize: number },
  rest: Pick<EpochJob, 'batches' | 'members' | 'evaluation' | 'groupSize'>,
): EpochJob {
  return { epochs: params.epochs, batchSize: params.batchSize, seed: params.seed, train: { first: params.trainSize }, ...rest };
}

/**
 * Random streams: 0 draws the shared batches, 1 + i initialises net i (as shared-batch-nets does),
 * MASK_STREAM_BASE + i draws net i's dropout masks; so any split of nets over threads agrees.
 */
const BATCH_STREAM = 0;
const MASK_STREAM_BASE = 1_000_000;

/** The book's iter_per_epoch, max(train_size / batch_size, 1), rounded up so that an epoch sees every row. */
export function iterationsPerEpoch(trainSize: number, batchSize: number): number {
  return Math.max(Math.ceil(trainSize / batchSize), 1);
}

interface TrainedNet {
  index: number;
  net: MultiLayerNetExtend;
  optimizer: Optimizer;
  alive: boolean;
}

export function createMemberNet(job: EpochJob, index: number, inputSize: number): MultiLayerNetExtend {
  const member = job.members[index]!;
  return new MultiLayerNetExtend(
    { inputSize, outputSize: NUM_CLASSES, ...member },
    new Random(job.seed, 1 + index),
    new Random(job.seed, MASK_STREAM_BASE + index),
  );
}

/**
 * Trains the nets `memberIndices` of `job` side by side (in groups of `groupSize`), in this thread, on the same batches, and
 * reports per member and epoch its train accuracy and the evaluation accuracy: at epoch 0 before any
 * training, then after every epoch. A net whose loss becomes NaN or infinite reports NaN for that
 * epoch and stops. members.ts spreads the other nets over other threads.
 */
export async function trainEpochNets(
  job: EpochJob,
  dataset: Dataset,
  memberIndices: readonly number[],
  onValue: (value: MemberValue) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const trainRows = selectRows(dataset.train, job.train);
  const sets: [string, AccuracyMeasure][] = [[TRAIN_ACCURACY, new AccuracySet(trainRows)]];
  try {
    if (job.evaluation) {
      const rows = selectRows(dataset[job.evaluation.split], job.evaluation.rows);
      sets.push([job.evaluation.metric, evaluationSet(rows, trainRows)]);
    }
    const trainedNet = (index: number): TrainedNet => ({
      index,
      net: createMemberNet(job, index, trainRows.pixels),
      optimizer: createOptimizer(job.members[index]!.optimizer),
      alive: true,
    });
    const groupSize = Math.max(1, job.groupSize ?? memberIndices.length);
    const schedule = batchSchedule(job, trainRows.count);
    const iterations = iterationsPerEpoch(trainRows.count, job.batchSize);
    const reused = memberIndices.length > groupSize && cachedBatchBytes(job.epochs * iterations, job.batchSize, trainRows.pixels) <= BATCH_CACHE_BYTES;
    const cache = reused ? new PrunedBatchCache(trainRows) : undefined;
    const runOnBatch: BatchRunner = (epoch, i, use) => {
      const indices = schedule[epoch - 1]![i]!;
      return cache ? cache.use((epoch - 1) * iterations + i, indices, use) : withPrunedBatch(trainRows, indices, use);
    };
    try {
      for (let start = 0; start < memberIndices.length; start += groupSize) {
        if (shouldStop()) return;
        await trainEpochs(job, iterations, memberIndices.slice(start, start + groupSize).map(trainedNet), sets, runOnBatch, onValue, shouldStop);
      }
    } finally {
      cache?.dispose();
    }
  } finally {
    for (const [, set] of sets) set.dispose();
  }
}

/** Runs `use` on mini-batch `i` of epoch `epoch` (1-based) of the schedule. */
type BatchRunner = (epoch: number, i: number, use: (batch: Batch) => void) => void;

/** Upper bound on the memory of the mini-batches kept for reuse by later groups of nets. */
const BATCH_CACHE_BYTES = 512 * 2 ** 20;

/** The memory of every mini-batch of the run kept at once (x and its transpose at full width, one-hot targets). */
function cachedBatchBytes(batches: number, batchSize: number, pixels: number): number {
  return batches * batchSize * (2 * pixels + NUM_CLASSES) * Float32Array.BYTES_PER_ELEMENT;
}

async function trainEpochs(
  job: EpochJob,
  iterations: number,
  nets: TrainedNet[],
  sets: [string, AccuracyMeasure][],
  runOnBatch: BatchRunner,
  onValue: (value: MemberValue) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const yielder = new Yielder();
  const report = async (epoch: number) => {
    for (const member of nets) {
      if (!member.alive || shouldStop()) continue;
      for (const [metric, set] of sets) onValue({ member: member.index, step: epoch, metric, value: set.accuracy(member.net) });
      await yielder.maybeYield();
    }
  };
  await report(0);
  for (let epoch = 1; epoch <= job.epochs; epoch++) {
    for (let i = 0; i < iterations; i++) {
      if (shouldStop()) return;
      runOnBatch(epoch, i, (batch) => {
        for (const member of nets) {
          if (!member.alive) continue;
          const { loss, grads } = member.net.gradient(batch);
          member.optimizer.update(member.net.params, grads);
          if (Number.isFinite(loss)) continue;
          member.alive = false;
          for (const [metric] of sets) onValue({ member: member.index, step: epoch, metric, value: loss });
        }
      });
      if (nets.every((member) => !member.alive)) return;
      await yielder.maybeYield();
    }
    await report(epoch);
  }
}

/**
 * The evaluation images, measured through the span of the training images when that is much cheaper:
 * few training images (at most half as many as pixels) and many more evaluation images.
 */
function evaluationSet(rows: Split, trainRows: Split): AccuracyMeasure {
  const cheaper = trainRows.count <= trainRows.pixels / 2 && rows.count >= 4 * trainRows.count;
  return cheaper ? new SpanAccuracySet(rows, new SpanProjection(trainRows)) : new AccuracySet(rows);
}

/** Every epoch's mini-batches (row indices into the training rows), drawn up front: the same in every thread and group. */
export function batchSchedule(job: Pick<EpochJob, 'batches' | 'batchSize' | 'seed' | 'epochs'>, trainSize: number): Int32Array[][] {
  const nextEpoch = epochBatches(job, trainSize);
  return Array.from({ length: job.epochs }, () => nextEpoch());
}

/** Each call gives one epoch's mini-batches (row indices into the training rows), the same in every thread. */
export function epochBatches(job: Pick<EpochJob, 'batches' | 'batchSize' | 'seed'>, trainSize: number): () => Int32Array[] {
  const random = new Random(job.seed, BATCH_STREAM);
  const iterations = iterationsPerEpoch(trainSize, job.batchSize);
  if (job.batches === 'random') {
    return () => Array.from({ length: iterations }, () => random.choice(trainSize, job.batchSize));
  }
  return () => {
    const order = random.permutation(trainSize);
    return Array.from({ length: iterations }, (_, i) => order.subarray(i * job.batchSize, (i + 1) * job.batchSize));
  };
}

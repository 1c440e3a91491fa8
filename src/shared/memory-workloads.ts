import { type AccuracySetLoad, MNIST, type MemoryFactor, type NetLoad, type TrainingWorkload } from './memory-model';
import type { OptimizerName } from './optimizers';
import type { Activation } from './params';

/*
 * The building blocks of what an experiment's parameters make the engine train, as memory sees it:
 * its nets, mini-batch, accuracy sets and how many nets a thread trains side by side. Each slot's
 * `memory` (src/shared/slots/<id>.ts) builds its workload from these, following its engine module
 * (src/engine/experiments/<id>.ts), or gives the arrays of an experiment that trains none;
 * memory-model.ts turns a workload into bytes.
 */

/** A net without Batch Norm or Dropout (the chapter's MultiLayerNet), trained by `optimizer`. */
export const plainNet = (
  hidden: readonly number[],
  optimizer: OptimizerName = 'SGD',
  activation: Activation = 'relu',
): NetLoad => ({ hidden, activation, batchNorm: false, dropout: false, optimizer });

/** The book's iter_per_epoch, rounded up (engine/experiments/epoch-nets.ts iterationsPerEpoch). */
const iterationsPerEpoch = (trainSize: number, batchSize: number) => Math.max(Math.ceil(trainSize / batchSize), 1);

/**
 * Fig. 6-9 and 6-15: nets side by side on the same random batches (epoch-nets.ts's iterationJob), a loss per
 * iteration; `netCount`: the parameter that sets how many, if one does.
 */
export function sharedBatch(
  p: { iterations: number; batchSize: number },
  nets: NetLoad[],
  netCount?: MemoryFactor,
): TrainingWorkload {
  return {
    kind: 'training',
    trainer: 'shared-batch',
    nets,
    ...(netCount ? { netCount } : {}),
    batchRows: p.batchSize,
    sets: [],
    runBatches: p.iterations,
    length: { param: 'iterations', value: p.iterations },
    points: nets.length * p.iterations,
  };
}

export interface EpochParams {
  epochs: number;
  batchSize: number;
  trainSize: number;
}

/** The first `trainSize` training images (epoch-nets.ts firstImagesJob): copied as floats, measured every epoch. */
export const firstImages = (trainSize: number): AccuracySetLoad => ({
  rows: trainSize,
  factor: { param: 'trainSize', value: trainSize },
  copied: true,
});

/**
 * All 10,000 test images as the evaluation set of nets that learn from `trainRows` images: measured
 * through the span of the training images when that is cheaper (accuracy-set.ts evaluationSet).
 */
export function testImages(trainRows: number): AccuracySetLoad {
  const span = trainRows <= MNIST.pixels / 2 && MNIST.testImages >= 4 * trainRows;
  return { rows: MNIST.testImages, copied: false, ...(span ? { spanRank: trainRows } : {}) };
}

/**
 * `rows` of the training images beside the `trainRows` a net learns from (the search's validation
 * images): copied, and measured through the span of the training images when that is cheaper.
 */
export function heldOutImages(rows: number, trainRows: number, factor: MemoryFactor): AccuracySetLoad {
  const span = trainRows <= MNIST.pixels / 2 && rows >= 4 * trainRows;
  return { rows, factor, copied: true, ...(span ? { spanRank: trainRows } : {}) };
}

/** Fig. 6-19 to 6-24: nets trained epoch by epoch (epoch-nets.ts), their accuracies after every epoch. */
export function epochNets(
  p: EpochParams,
  options: {
    nets: NetLoad[];
    netCount?: MemoryFactor;
    shuffle: boolean;
    train: AccuracySetLoad;
    evaluation?: AccuracySetLoad;
    groupSize?: number;
    seriesPerNet: number;
  },
): TrainingWorkload {
  const trainRows = options.train.rows;
  return {
    kind: 'training',
    trainer: 'epoch',
    nets: options.nets,
    ...(options.netCount ? { netCount: options.netCount } : {}),
    // A shuffled epoch's batches never hold more rows than there are; random ones draw with replacement.
    batchRows: options.shuffle ? Math.min(p.batchSize, trainRows) : p.batchSize,
    ...(options.groupSize !== undefined ? { groupSize: options.groupSize } : {}),
    sets: options.evaluation ? [options.train, options.evaluation] : [options.train],
    runBatches: p.epochs * iterationsPerEpoch(trainRows, p.batchSize),
    length: { param: 'epochs', value: p.epochs },
    points: options.nets.length * options.seriesPerNet * (p.epochs + 1),
  };
}

/** The two nets of a train/test comparison (weight decay, dropout): just the first when the setting is 0. */
export const comparedNets = (setting: number, net: (value: number) => NetLoad): NetLoad[] =>
  setting === 0 ? [net(0)] : [net(0), net(setting)];

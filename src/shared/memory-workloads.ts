import type { ExperimentId, ExperimentParams } from './experiments';
import {
  type AccuracySetLoad,
  FLOAT64,
  MNIST,
  type MemoryFactor,
  type MemoryWorkload,
  type NetLoad,
  type TrainingWorkload,
} from './memory-model';
import type { OptimizerName } from './optimizers';
import type { Activation } from './params';
import { batchNorm } from './slots/batch-norm';
import { dropout } from './slots/dropout';
import { hyperparameterSearch, validationSplitSizes } from './slots/hyperparameter-search';
import { GRID_ACTIVATIONS, GRID_INITS, initActivations } from './slots/init-activations';
import { initMnist } from './slots/init-mnist';
import { optimizerPaths } from './slots/optimizer-paths';
import { optimizersMnist } from './slots/optimizers-mnist';
import { weightDecay } from './slots/weight-decay';

/*
 * What each experiment's parameters make the engine train, as memory sees it: its nets, mini-batch,
 * accuracy sets and how many nets a thread trains side by side (src/engine/experiments/<id>.ts), or
 * the arrays of an experiment that trains none. A table over ExperimentId, like the network shapes:
 * an experiment missing from it does not compile.
 */

const plainNet = (
  hidden: readonly number[],
  optimizer: OptimizerName = 'SGD',
  activation: Activation = 'relu',
): NetLoad => ({ hidden, activation, batchNorm: false, dropout: false, optimizer });

/** The book's iter_per_epoch, rounded up (engine/experiments/epoch-nets.ts iterationsPerEpoch). */
const iterationsPerEpoch = (trainSize: number, batchSize: number) => Math.max(Math.ceil(trainSize / batchSize), 1);

/** Fig. 6-9 and 6-15: nets side by side on the same random batches (shared-batch-nets.ts), a loss per iteration. */
function sharedBatch(
  p: { iterations: number; batchSize: number },
  nets: NetLoad[],
  netCount: MemoryFactor,
): TrainingWorkload {
  return {
    kind: 'training',
    trainer: 'shared-batch',
    nets,
    netCount,
    batchRows: p.batchSize,
    sets: [],
    runBatches: p.iterations,
    length: { param: 'iterations', value: p.iterations },
    points: nets.length * p.iterations,
  };
}

interface EpochParams {
  epochs: number;
  batchSize: number;
  trainSize: number;
}

/** The first `trainSize` training images (epoch-nets.ts firstImagesJob): copied as floats, measured every epoch. */
const firstImages = (trainSize: number): AccuracySetLoad => ({
  rows: trainSize,
  factor: { param: 'trainSize', value: trainSize },
  copied: true,
});

/**
 * All 10,000 test images as the evaluation set of nets that learn from `trainRows` images: measured
 * through the span of the training images when that is cheaper (accuracy-set.ts evaluationSet).
 */
function testImages(trainRows: number): AccuracySetLoad {
  const span = trainRows <= MNIST.pixels / 2 && MNIST.testImages >= 4 * trainRows;
  return { rows: MNIST.testImages, copied: false, ...(span ? { spanRank: trainRows } : {}) };
}

/** Fig. 6-19 to 6-24: nets trained epoch by epoch (epoch-nets.ts), their accuracies after every epoch. */
function epochNets(
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
const comparedNets = (setting: number, net: (value: number) => NetLoad) =>
  setting === 0 ? [net(0)] : [net(0), net(setting)];

/** engine/experiments/batch-norm.ts PAIR: the two nets of a scale train side by side. */
const BATCH_NORM_SIDE_BY_SIDE = 2;
/** engine/experiments/hyperparameter-search.ts TRIALS_SIDE_BY_SIDE. */
const TRIALS_SIDE_BY_SIDE = 5;

/** A recorded step of a toy-function path (position, gradient, optimizer state), in the summary and its JSON. */
const TRACE_STEP_BYTES = 512;

const WORKLOADS: { [Id in ExperimentId]: (params: ExperimentParams<Id>) => MemoryWorkload } = {
  [optimizerPaths.id]: (p) => ({
    kind: 'direct',
    parts: [
      {
        kind: 'arrays',
        place: 'js',
        bytes: p.optimizers.length * (p.steps + 1) * TRACE_STEP_BYTES,
        factors: [
          { param: 'steps', value: p.steps },
          { param: 'optimizers', value: p.optimizers.length },
        ],
      },
    ],
    points: p.optimizers.length * (p.steps + 1),
    length: { param: 'steps', value: p.steps },
  }),
  [optimizersMnist.id]: (p) =>
    sharedBatch(
      p,
      p.optimizers.map((o) => plainNet(p.hidden, o.name, p.activation)),
      { param: 'optimizers', value: p.optimizers.length },
    ),
  [initActivations.id]: (p) => {
    // Plain JS in float64 (engine/experiments/init-activations.ts): the inputs, every layer's weights,
    // and a layer's input and output at once; the combinations run one after another.
    const combinations = p.grid ? GRID_ACTIVATIONS.length * GRID_INITS.length : 1;
    const rows: MemoryFactor[] = [
      { param: 'samples', value: p.samples },
      { param: 'nodes', value: p.nodes },
    ];
    return {
      kind: 'direct',
      parts: [
        { kind: 'arrays', place: 'js', bytes: 3 * p.samples * p.nodes * FLOAT64, factors: rows },
        {
          kind: 'weights',
          place: 'js',
          bytes: p.layers * p.nodes * p.nodes * FLOAT64,
          factors: [
            { param: 'layers', value: p.layers },
            { param: 'nodes', value: p.nodes },
          ],
        },
      ],
      points: combinations * p.layers * p.bins,
      length: { param: 'bins', value: p.bins },
    };
  },
  [initMnist.id]: (p) =>
    sharedBatch(
      p,
      p.inits.map(() => plainNet(p.hidden, 'SGD', p.activation)),
      { param: 'inits', value: p.inits.length },
    ),
  [batchNorm.id]: (p) => {
    const net = (withNorm: boolean): NetLoad => ({ ...plainNet(p.hidden), batchNorm: withNorm });
    return epochNets(p, {
      nets: Array.from({ length: p.scales }, () => [net(true), net(false)]).flat(),
      netCount: { param: 'scales', value: p.scales },
      shuffle: false,
      train: firstImages(p.trainSize),
      groupSize: BATCH_NORM_SIDE_BY_SIDE,
      seriesPerNet: 1,
    });
  },
  [weightDecay.id]: (p) =>
    epochNets(p, {
      nets: comparedNets(p.lambda, () => plainNet(p.hidden)),
      shuffle: false,
      train: firstImages(p.trainSize),
      evaluation: testImages(p.trainSize),
      seriesPerNet: 2,
    }),
  [dropout.id]: (p) =>
    epochNets(p, {
      nets: comparedNets(p.dropoutRatio, (ratio) => ({ ...plainNet(p.hidden), dropout: ratio > 0 })),
      shuffle: true,
      train: firstImages(p.trainSize),
      evaluation: testImages(p.trainSize),
      seriesPerNet: 2,
    }),
  [hyperparameterSearch.id]: (p) => {
    const sizes = validationSplitSizes(p.trainSize, p.validationSplit);
    const trainSize: MemoryFactor = { param: 'trainSize', value: p.trainSize };
    const train: AccuracySetLoad = { rows: sizes.train, factor: trainSize, copied: true };
    // The validation images are training images: copied, and measured through the span when cheaper.
    const span = sizes.train <= MNIST.pixels / 2 && sizes.validation >= 4 * sizes.train;
    const validation: AccuracySetLoad = {
      rows: sizes.validation,
      factor: trainSize,
      copied: true,
      ...(span ? { spanRank: sizes.train } : {}),
    };
    return epochNets(
      { ...p, trainSize: sizes.train },
      {
        nets: Array.from({ length: p.trials }, () => plainNet(p.hidden)),
        netCount: { param: 'trials', value: p.trials },
        shuffle: true,
        train,
        evaluation: validation,
        groupSize: TRIALS_SIDE_BY_SIDE,
        seriesPerNet: 2,
      },
    );
  },
};

/** What the experiment `id` trains with these (validated) parameters, as memory sees it. */
export function memoryWorkload<Id extends ExperimentId>(id: Id, params: ExperimentParams<Id>): MemoryWorkload {
  return (WORKLOADS[id] as (p: ExperimentParams<Id>) => MemoryWorkload)(params);
}

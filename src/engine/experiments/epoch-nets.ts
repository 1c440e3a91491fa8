import { type Dataset, NUM_CLASSES } from '../data/mnist';
import { selectRows } from '../data/row-selection';
import { type AccuracyMeasure, AccuracySet, evaluationSet } from '../fast/accuracy-set';
import { PrunedBatches } from '../fast/pruned-batch';
import { MultiLayerNetExtend } from '../nn/multi-layer-net-extend';
import { createOptimizer } from '../optim';
import { profiled } from '../profile';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import { type FinishedNet, finishedNet, netArraysOf } from '../trained-nets';
import { type ScheduledNet, scheduledNet, scheduledStep } from '../train-step';
import { Yielder } from '../yielder';
import { type PruneRule, isPruned } from '../search/median-pruning';
import { type InsideMoment, isInsideMoment } from '../../shared/inside';
import { type EpochJob, type EpochNetMember, type IterationJob, type MemberValue, TRAIN_ACCURACY } from './types';

// The job types live in types.ts; the experiment modules take them from here, with the helpers below.
export {
  TRAIN_ACCURACY,
  type BatchOrder,
  type EpochJob,
  type EpochNetMember,
  type EvaluationMetric,
  type IterationJob,
} from './types';

/** A net as the chapter's scripts build it (ReLU, He init, no regularisation, SGD), with `settings` applied. */
export function sgdNetMember(hidden: number[], lr: number, settings: Partial<EpochNetMember> = {}): EpochNetMember {
  return {
    hidden,
    activation: 'relu',
    init: 'he',
    lambda: 0,
    useBatchNorm: false,
    dropoutRatio: 0,
    optimizer: { name: 'SGD', lr },
    ...settings,
  };
}

/** A job on the first `trainSize` training images, from an experiment's common parameters. */
export function firstImagesJob(
  params: { epochs: number; batchSize: number; seed: number; trainSize: number },
  rest: Pick<EpochJob, 'batches' | 'members' | 'evaluation' | 'groupSize'>,
): EpochJob {
  return {
    epochs: params.epochs,
    batchSize: params.batchSize,
    seed: params.seed,
    train: { first: params.trainSize },
    ...rest,
  };
}

/** The book's iter_per_epoch, max(train_size / batch_size, 1), rounded up so that an epoch sees every row. */
export function iterationsPerEpoch(trainSize: number, batchSize: number): number {
  return Math.max(Math.ceil(trainSize / batchSize), 1);
}

interface TrainedNet extends ScheduledNet {
  index: number;
  net: MultiLayerNetExtend;
  alive: boolean;
  /** Whether it reports accuracies (a member of the dropout experiment's ensemble does not). */
  measured: boolean;
  /** The moments recorded inside it so far (jobs with `insideEvery`). */
  moments: InsideMoment[];
}

export function createMemberNet(job: EpochJob, index: number, inputSize: number): MultiLayerNetExtend {
  const member = job.members[index]!;
  return new MultiLayerNetExtend(
    { inputSize, outputSize: NUM_CLASSES, ...member },
    new Random(job.seed, RandomStream.memberInit(member.weightsFrom ?? index)),
    new Random(job.seed, RandomStream.dropoutMasks(index)),
  );
}

/**
 * The book's epoch-based training (ch06/batch_norm_test.py, overfit_weight_decay.py, and the Trainer of
 * overfit_dropout.py and hyperparameter_optimization.py), and with `job.iterations` its iteration-based
 * comparisons (`iterationJob`). Trains the nets `members` of `job` in groups of `groupSize`, each
 * group's nets side by side, in this thread, on the same batches. Reports per member and epoch its
 * train accuracy and the evaluation accuracy (at epoch 0 before any training, then after every epoch),
 * and with `job.reportLoss` every update's loss. A net whose loss becomes NaN or infinite reports it
 * and stops. With `job.keepNets`, hands each net's final arrays and its report on the test images to
 * `onNet` (measured here, so that the threads measure their nets side by side); with `job.insideEvery`,
 * the moments recorded inside it to `onInside` (a diverged or cancelled net's too, as far as it got).
 * members.ts spreads the other nets over other threads.
 */
export async function trainEpochNets(
  job: EpochJob,
  dataset: Dataset,
  members: readonly number[],
  onValue: (value: MemberValue) => void,
  shouldStop: () => boolean,
  onBatches: (count: number) => void = () => {},
  onNet: (member: number, net: FinishedNet) => void = () => {},
  onInside: (member: number, moments: InsideMoment[]) => void = () => {},
): Promise<void> {
  const trainRows = selectRows(dataset.train, job.train);
  const measured = job.measureAccuracy ?? true;
  const sets: [string, AccuracyMeasure][] = measured ? [[TRAIN_ACCURACY, new AccuracySet(trainRows)]] : [];
  let batches: PrunedBatches | undefined;
  try {
    if (job.evaluation && measured) {
      const rows = selectRows(dataset[job.evaluation.split], job.evaluation.rows);
      sets.push([job.evaluation.metric, evaluationSet(rows, trainRows)]);
    }
    const groupSize = Math.max(1, job.groupSize ?? members.length);
    const schedule = batchSchedule(job, trainRows.count);
    const updates = totalUpdates(job, trainRows.count);
    const keep =
      members.length > groupSize && cachedBatchBytes(updates, job.batchSize, trainRows.pixels) <= BATCH_CACHE_BYTES;
    batches = new PrunedBatches(trainRows, keep);
    for (let start = 0; start < members.length && !shouldStop(); start += groupSize) {
      const nets = members.slice(start, start + groupSize).map((index): TrainedNet => {
        const member = job.members[index]!;
        const net = createMemberNet(job, index, trainRows.pixels);
        const optimizer = createOptimizer(member.optimizer);
        const measuredNet = member.measureAccuracy ?? true;
        const scheduled = scheduledNet(net, optimizer, member.schedule, updates);
        return { index, alive: true, measured: measuredNet, moments: [], ...scheduled };
      });
      const reportLoss = job.reportLoss ?? false;
      const callbacks = { onValue, onBatches, shouldStop, reportLoss, insideEvery: job.insideEvery, prune: job.prune };
      await trainEpochs(updates, schedule, nets, sets, batches, callbacks);
      // A net that diverged has nothing to keep; a cancelled run keeps its nets as far as they got.
      if (job.keepNets)
        for (const net of nets) if (net.alive) onNet(net.index, finishedNetOf(job.members[net.index]!, net, dataset));
      if (job.insideEvery) for (const net of nets) onInside(net.index, net.moments);
    }
  } finally {
    batches?.dispose();
    for (const [, set] of sets) set.dispose();
  }
}

/** A trained member's arrays and its report on the test images. */
function finishedNetOf(member: EpochNetMember, trained: TrainedNet, dataset: Dataset): FinishedNet {
  const shape = {
    hidden: member.hidden,
    activation: member.activation,
    batchNorm: member.useBatchNorm,
    dropoutRatio: member.dropoutRatio,
  };
  return profiled('accuracy', () => finishedNet(shape, netArraysOf(trained.net), dataset));
}

/** Upper bound on the memory of the mini-batches kept for reuse by later groups of nets. */
const BATCH_CACHE_BYTES = 512 * 2 ** 20;

/** The memory of every mini-batch of the run kept at once (x and its transpose at full width, one-hot targets). */
function cachedBatchBytes(batches: number, batchSize: number, pixels: number): number {
  return batches * batchSize * (2 * pixels + NUM_CLASSES) * Float32Array.BYTES_PER_ELEMENT;
}

/** The updates each net makes: `job.iterations`, or every batch of every epoch. */
export function totalUpdates(job: Pick<EpochJob, 'epochs' | 'batchSize' | 'iterations'>, trainSize: number): number {
  return job.iterations ?? job.epochs * iterationsPerEpoch(trainSize, job.batchSize);
}

/** The epochs a job's updates span, the last one maybe cut short. */
function epochCount(job: Pick<EpochJob, 'epochs' | 'batchSize' | 'iterations'>, trainSize: number): number {
  return Math.ceil(totalUpdates(job, trainSize) / iterationsPerEpoch(trainSize, job.batchSize));
}

/**
 * The book's iteration-based scripts (ch06/optimizer_compare_mnist.py, weight_init_compare.py) as an epoch
 * job: every net trains on the same random mini-batch of all training images each iteration (drawn with
 * replacement) and reports that batch's loss (before the update: see train-step.ts); no accuracy.
 */
export function iterationJob(job: IterationJob): EpochJob {
  return {
    epochs: 1,
    iterations: job.iterations,
    batchSize: job.batchSize,
    batches: 'random',
    seed: job.seed,
    train: 'all',
    members: job.members.map((member) => ({ ...member, useBatchNorm: false, dropoutRatio: 0 })),
    reportLoss: true,
    measureAccuracy: false,
  };
}

interface EpochCallbacks {
  onValue: (value: MemberValue) => void;
  /** Report every update's loss (metric 'loss'). */
  reportLoss: boolean;
  /** Member-batches done since the last call (a diverged net's remaining ones included): the progress bar. */
  onBatches: (count: number) => void;
  shouldStop: () => boolean;
  /** Record inside the nets every this many updates (and at the last). */
  insideEvery: number | undefined;
  /** Stop a member whose accuracy falls behind (a search's median pruning). */
  prune: PruneRule | undefined;
}

/**
 * One group of nets, side by side: an accuracy report before training, then an epoch of steps and a report,
 * epoch after epoch, `updates` steps in all (a last epoch cut short gets no report). With `reportLoss`,
 * every step's loss too.
 */
async function trainEpochs(
  updates: number,
  schedule: Int32Array[][],
  nets: TrainedNet[],
  sets: [string, AccuracyMeasure][],
  batches: PrunedBatches,
  { onValue, onBatches, shouldStop, reportLoss, insideEvery, prune }: EpochCallbacks,
): Promise<void> {
  const yielder = new Yielder();
  /** Measures every member after `epoch`; returns how many it pruned. */
  const report = async (epoch: number, step: number) => {
    for (const member of nets) {
      if (!member.alive || !member.measured || shouldStop()) continue;
      for (const [metric, set] of sets) {
        const value = profiled('accuracy', () => set.accuracy(member.net));
        onValue({ member: member.index, step: epoch, metric, value });
        if (prune?.metric !== metric || !isPruned(prune, epoch, value)) continue;
        member.alive = false;
        // The batches it will not train count as done, so that the progress bar still ends full.
        onBatches(updates - step);
      }
      await yielder.maybeYield();
    }
  };
  await report(0, 0);
  for (let epoch = 1, step = 0; step < updates; epoch++) {
    const epochBatches = schedule[epoch - 1]!;
    for (let i = 0; i < epochBatches.length && step < updates; i++, step++) {
      if (shouldStop()) return;
      const batch = profiled('batches', () => batches.get(step, epochBatches[i]!));
      let done = 0;
      const recorded = insideEvery !== undefined && isInsideMoment(step, updates, insideEvery);
      try {
        for (const member of nets) {
          if (!member.alive) continue;
          const record = recorded ? (moment: InsideMoment) => member.moments.push(moment) : undefined;
          const loss = scheduledStep(member, batch, step, record);
          done++;
          if (reportLoss) onValue({ member: member.index, step, metric: 'loss', value: loss });
          if (Number.isFinite(loss)) continue;
          member.alive = false;
          // The batches it will not train count as done, so that the progress bar still ends full.
          done += updates - 1 - step;
          if (member.measured)
            for (const [metric] of sets) onValue({ member: member.index, step: epoch, metric, value: loss });
        }
      } finally {
        batches.release(batch);
      }
      onBatches(done);
      if (nets.every((member) => !member.alive)) return;
      await yielder.maybeYield();
    }
    if (step % epochBatches.length === 0) await report(epoch, step);
    if (nets.every((member) => !member.alive)) return;
  }
}

/**
 * Every epoch's mini-batches (row indices into the training rows), drawn up front: the same in every thread
 * and group.
 */
export function batchSchedule(
  job: Pick<EpochJob, 'batches' | 'batchSize' | 'seed' | 'epochs' | 'iterations'>,
  trainSize: number,
): Int32Array[][] {
  const nextEpoch = epochBatches(job, trainSize);
  return Array.from({ length: epochCount(job, trainSize) }, () => nextEpoch());
}

/** Each call gives one epoch's mini-batches (row indices into the training rows), the same in every thread. */
export function epochBatches(
  job: Pick<EpochJob, 'batches' | 'batchSize' | 'seed'>,
  trainSize: number,
): () => Int32Array[] {
  const random = new Random(job.seed, RandomStream.batches);
  const iterations = iterationsPerEpoch(trainSize, job.batchSize);
  if (job.batches === 'random') {
    return () => Array.from({ length: iterations }, () => random.choice(trainSize, job.batchSize));
  }
  return () => {
    const order = random.permutation(trainSize);
    return Array.from({ length: iterations }, (_, i) => order.subarray(i * job.batchSize, (i + 1) * job.batchSize));
  };
}

import type { OptimizerSpec } from '../../shared/optimizers';
import type { Activation, WeightInit } from '../../shared/params';
import { withPrunedBatch } from '../data/pruned-batch';
import { type Dataset, NUM_CLASSES } from '../data/mnist';
import { MultiLayerNet } from '../nn/multi-layer-net';
import { createOptimizer } from '../optim';
import { Random } from '../random';
import { Yielder } from '../yielder';
import type { MemberValue } from './members';

/** One net of an iteration-based comparison (Fig. 6-9, 6-15): its architecture, init and optimizer. */
export interface NetMember {
  hidden: number[];
  activation: Activation;
  init: WeightInit;
  lambda: number;
  optimizer: OptimizerSpec;
}

export interface SharedBatchJob {
  iterations: number;
  batchSize: number;
  seed: number;
  members: NetMember[];
}

/** Random streams: 0 draws the shared mini-batches, 1 + i initialises net i (so any split of nets across threads agrees). */
const BATCH_STREAM = 0;

/**
 * The book's iteration-based comparisons: every net trains on the same random mini-batch each
 * iteration (drawn with replacement), and reports the loss of that batch. Trains only the nets
 * `memberIndices`, in this thread; members.ts spreads the rest over other threads.
 */
export async function trainSharedBatchNets(
  job: SharedBatchJob,
  dataset: Dataset,
  memberIndices: readonly number[],
  onValue: (value: MemberValue) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const { train } = dataset;
  const batchRandom = new Random(job.seed, BATCH_STREAM);
  const yielder = new Yielder();
  const nets = memberIndices.map((index) => {
    const member = job.members[index]!;
    return {
      index,
      net: new MultiLayerNet(
        {
          inputSize: train.pixels,
          hidden: member.hidden,
          outputSize: NUM_CLASSES,
          activation: member.activation,
          init: member.init,
          lambda: member.lambda,
        },
        new Random(job.seed, 1 + index),
      ),
      optimizer: createOptimizer(member.optimizer),
      alive: true,
    };
  });
  for (let iteration = 0; iteration < job.iterations && !shouldStop(); iteration++) {
    const indices = batchRandom.choice(train.count, job.batchSize);
    withPrunedBatch(train, indices, (batch) => {
      for (const member of nets) {
        if (!member.alive) continue;
        const { loss, grads } = member.net.gradient(batch);
        member.optimizer.update(member.net.params, grads);
        member.alive = Number.isFinite(loss);
        onValue({ member: member.index, step: iteration, metric: 'loss', value: loss });
      }
    });
    if (nets.every((m) => !m.alive)) break;
    await yielder.maybeYield();
  }
}

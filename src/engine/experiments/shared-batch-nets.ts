import { disposeBatch } from '../data/batch';
import { type Dataset, NUM_CLASSES } from '../data/mnist';
import { makePrunedBatch } from '../fast/pruned-batch';
import { MultiLayerNet } from '../nn/multi-layer-net';
import { profiled } from '../profile';
import { createOptimizer } from '../optim';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import { scheduledNet, scheduledStep } from '../train-step';
import { Yielder } from '../yielder';
import type { MemberValue, SharedBatchJob } from './types';

export type { SharedBatchJob } from './types';

/**
 * The book's iteration-based comparisons (ch06/optimizer_compare_mnist.py, weight_init_compare.py):
 * every net trains on the same random mini-batch each iteration (drawn with replacement), and reports
 * the loss of that batch (before the update: see train-step.ts). Trains only the nets
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
  const batchRandom = new Random(job.seed, RandomStream.batches);
  const yielder = new Yielder();
  const nets = memberIndices.map((index) => {
    const member = job.members[index]!;
    const net = new MultiLayerNet(
      {
        inputSize: train.pixels,
        hidden: member.hidden,
        outputSize: NUM_CLASSES,
        activation: member.activation,
        init: member.init,
        lambda: member.lambda,
      },
      new Random(job.seed, RandomStream.memberInit(member.weightsFrom ?? index)),
    );
    const optimizer = createOptimizer(member.optimizer);
    return { index, alive: true, ...scheduledNet(net, optimizer, member.schedule, job.iterations) };
  });
  for (let iteration = 0; iteration < job.iterations && !shouldStop(); iteration++) {
    const batch = profiled('batches', () => makePrunedBatch(train, batchRandom.choice(train.count, job.batchSize)));
    try {
      for (const member of nets) {
        if (!member.alive) continue;
        const loss = scheduledStep(member, batch, iteration);
        member.alive = Number.isFinite(loss);
        onValue({ member: member.index, step: iteration, metric: 'loss', value: loss });
      }
    } finally {
      disposeBatch(batch);
    }
    if (nets.every((m) => !m.alive)) break;
    await yielder.maybeYield();
  }
}

import type { OptimizersMnistParams } from '../../shared/experiments';
import { tf } from '../backend';
import { type Dataset, NUM_CLASSES, gatherRows, gatherRowsTransposed, oneHot } from '../data/mnist';
import { type Batch, MultiLayerNet } from '../nn/multi-layer-net';
import { createOptimizer } from '../optim';
import { Random } from '../random';
import { Yielder } from '../yielder';
import type { MemberLoss } from './members';

/** Random streams: 0 draws the shared mini-batches, 1 + i initialises net i (so any split of nets across threads agrees). */
const BATCH_STREAM = 0;

/**
 * Trains the nets `members` (indices into params.optimizers) on the same random mini-batch each
 * iteration (drawn with replacement, as the book does), reporting each net's loss of that batch.
 * Synchronous: it runs in the caller's thread, or in a worker thread per share of the nets.
 */
export async function trainOptimizerNets(
  params: OptimizersMnistParams,
  dataset: Dataset,
  members: readonly number[],
  onLoss: (loss: MemberLoss) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const { train } = dataset;
  const yielder = new Yielder();
  const batchRandom = new Random(params.seed, BATCH_STREAM);
  const nets = members.map((index) => ({
    index,
    net: new MultiLayerNet(
      {
        inputSize: train.pixels,
        hidden: params.hidden,
        outputSize: NUM_CLASSES,
        activation: params.activation,
        init: params.init,
        lambda: params.lambda,
      },
      new Random(params.seed, 1 + index),
    ),
    optimizer: createOptimizer(params.optimizers[index]!),
    alive: true,
  }));
  try {
    for (let iteration = 0; iteration < params.iterations && !shouldStop(); iteration++) {
      const indices = batchRandom.choice(train.count, params.batchSize);
      const batch: Batch = {
        x: tf.tensor2d(gatherRows(train.images, train.pixels, indices), [indices.length, train.pixels]),
        xT: tf.tensor2d(gatherRowsTransposed(train.images, train.pixels, indices), [train.pixels, indices.length]),
        t: tf.tensor2d(oneHot(train.labels, indices), [indices.length, NUM_CLASSES]),
      };
      for (const member of nets) {
        if (!member.alive) continue;
        const { loss, grads } = member.net.gradient(batch);
        member.optimizer.update(member.net.params, grads);
        member.alive = Number.isFinite(loss);
        onLoss({ member: member.index, step: iteration, value: loss });
      }
      tf.dispose([batch.x, batch.xT!, batch.t]);
      if (nets.every((m) => !m.alive)) break;
      await yielder.maybeYield();
    }
  } finally {
    tf.dispose([]);
  }
}

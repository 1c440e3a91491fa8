import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend';
import { type Batch, disposeBatch, makeBatch } from '../data/batch';
import { type Split, firstItems, loadDataset } from '../data/mnist';
import { expectNoTensorsLeftBehind } from '../nn/gradient-check.test-helpers';
import { MultiLayerNetExtend, type MultiLayerNetExtendOptions } from '../nn/multi-layer-net-extend';
import type { ParamSet } from '../nn/params';
import { createOptimizer } from '../optim';
import { Random } from '../random';
import { trainStep } from '../train-step';
import { type FastBatch, fastGradient, fastPredict } from './fast-net';
import { makePrunedBatch } from './pruned-batch';

/*
 * The fast path (pruned pixel columns, fused Affine -> ReLU, transposed operands, Batch Norm folded at
 * test time) against the plain one (nn/: the book's layers, MultiLayerNet.gradient and .predict) on
 * real MNIST batches. They compute the same sums in another order, so they agree to float32 rounding:
 * losses to 1e-5 (relative), every gradient entry to 1e-5 of its array's largest entry.
 *
 * Each comparison uses twin nets (same seed and streams): a training pass changes a net's state
 * (Batch Norm's running statistics, the dropout stream), so the plain and the fast pass each get a
 * net in the same state.
 */
expectNoTensorsLeftBehind();

let train: Split;
beforeAll(() => {
  train = firstItems(loadDataset().train, 1000);
});

const NETS: [string, Partial<MultiLayerNetExtendOptions>][] = [
  ['ReLU (fused)', {}],
  ['ReLU, weight decay', { lambda: 0.1 }],
  ['sigmoid', { activation: 'sigmoid' }],
  ['tanh, weight decay', { activation: 'tanh', lambda: 0.01 }],
  ['Batch Norm', { useBatchNorm: true }],
  ['dropout', { dropoutRatio: 0.2 }],
  ['Batch Norm, dropout, weight decay', { useBatchNorm: true, dropoutRatio: 0.2, lambda: 0.1 }],
];

const twin = (options: Partial<MultiLayerNetExtendOptions>) =>
  new MultiLayerNetExtend(
    { inputSize: 784, hidden: [50, 40], outputSize: 10, ...options },
    new Random(5, 1),
    new Random(5, 2),
  );

/**
 * Every entry of b within `tolerance` of a's largest entry, per array (at least 1e-3: the hidden
 * biases before a Batch Norm have a zero gradient, the batch mean being subtracted right after, and
 * both paths leave float32 noise of ~1e-9 there).
 */
function expectCloseParams(a: ParamSet, b: ParamSet, tolerance = 1e-5): void {
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const key of Object.keys(a)) {
    const x = a[key]!;
    const y = b[key]!;
    expect(y, key).toHaveLength(x.length);
    const scale = Math.max(1e-3, ...Array.from(x, Math.abs));
    let worst = 0;
    x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y[i]!))));
    expect(worst, `${key}: largest difference (scale ${scale})`).toBeLessThanOrEqual(tolerance * scale);
  }
}

function withBatches<T>(indices: Int32Array, use: (plain: Batch, pruned: FastBatch) => T): T {
  const plain = makeBatch(train, indices);
  const pruned = makePrunedBatch(train, indices);
  try {
    return use(plain, pruned);
  } finally {
    disposeBatch(plain);
    disposeBatch(pruned);
  }
}

describe('fastGradient equals MultiLayerNet.gradient on an MNIST batch of 100', () => {
  it.each(NETS)('%s', (_, options) => {
    const indices = new Random(5, 0).choice(train.count, 100);
    withBatches(indices, (plainBatch, prunedBatch) => {
      expect(prunedBatch.columns!.length).toBeLessThan(700); // some pixels were left out
      const plainNet = twin(options);
      const fastNet = twin(options);
      const fullNet = twin(options);
      const plain = plainNet.gradient(plainBatch.x, plainBatch.t);
      const fast = fastGradient(fastNet, prunedBatch);
      // The fast path on a batch with every column and no transpose at hand.
      const full = fastGradient(fullNet, plainBatch);
      for (const other of [fast, full]) {
        expect(Math.abs(other.loss - plain.loss)).toBeLessThanOrEqual(1e-5 * plain.loss);
        expectCloseParams(plain.grads, other.grads);
      }
      // W1's rows for the pixels left out get exactly 0 (weight decay aside).
      if (!options.lambda) {
        const kept = new Set(prunedBatch.columns);
        for (let row = 0; row < 784; row++)
          if (!kept.has(row))
            expect(fast.grads.W1!.subarray(row * 50, (row + 1) * 50).every((g) => g === 0)).toBe(true);
      }
      // Batch Norm's running statistics moved the same way.
      plainNet.runningStats.forEach((stats, i) => {
        expectCloseParams({ mean: stats.mean, variance: stats.variance }, { ...fastNet.runningStats[i]! });
      });
    });
  });
});

describe('training through trainStep (fast) and through the plain gradient', () => {
  it.each(NETS)('%s: 20 SGD steps give the same losses and weights', (_, options) => {
    const plainNet = twin(options);
    const fastNet = twin(options);
    const plainSgd = createOptimizer({ name: 'SGD', lr: 0.1 });
    const fastSgd = createOptimizer({ name: 'SGD', lr: 0.1 });
    const batches = new Random(6, 0);
    for (let step = 0; step < 20; step++) {
      withBatches(batches.choice(train.count, 100), (plainBatch, prunedBatch) => {
        const { loss, grads } = plainNet.gradient(plainBatch.x, plainBatch.t);
        plainSgd.update(plainNet.params, grads);
        const fastLoss = trainStep(fastNet, fastSgd, prunedBatch);
        expect(Math.abs(fastLoss - loss), `step ${step}`).toBeLessThanOrEqual(1e-4 * loss);
      });
    }
    expectCloseParams(plainNet.params, fastNet.params, 1e-4);
  });
});

describe('fastPredict (test mode: Batch Norm folded, dropout scaled) equals MultiLayerNet.predict', () => {
  it.each(NETS)('%s', (_, options) => {
    const net = twin(options);
    // A few training steps: Batch Norm's running statistics and gamma, beta away from their start.
    const sgd = createOptimizer({ name: 'SGD', lr: 0.1 });
    const batches = new Random(7, 0);
    for (let step = 0; step < 5; step++) {
      withBatches(batches.choice(train.count, 100), (_plain, pruned) => trainStep(net, sgd, pruned));
    }
    const indices = Int32Array.from({ length: 200 }, (_, i) => 800 + i);
    withBatches(indices, (plainBatch, prunedBatch) => {
      const plain = tf.tidy(() => net.predict(plainBatch.x).dataSync());
      const scores = fastPredict(net, { x: prunedBatch.x, columns: prunedBatch.columns });
      const fast = scores.dataSync();
      scores.dispose();
      expectCloseParams({ scores: Float32Array.from(plain) }, { scores: Float32Array.from(fast) }, 1e-5);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../shared/optimizers';
import { initBackend, tf } from '../backend';
import { withBatch } from '../data/batch';
import { type Split, firstItems, loadDataset } from '../data/mnist';
import { selectRows } from '../data/row-selection';
import { MultiLayerNetExtend, type MultiLayerNetExtendOptions } from '../nn/multi-layer-net-extend';
import { createOptimizer } from '../optim';
import { Random } from '../random';
import { AccuracySet, SpanAccuracySet } from './accuracy-set';
import { SpanProjection, orthonormalBasis, proportion } from './span-projection';

/*
 * The accuracy sets against the plain measure (net.accuracy on the whole set): the pruned columns and
 * the span of the training images only change the order of float32 sums, so at most an image or two
 * out of thousands may flip.
 */
let train: Split;
let test: Split;
let before = 0;
beforeAll(async () => {
  await initBackend();
  const dataset = loadDataset();
  train = firstItems(dataset.train, 200);
  test = firstItems(dataset.test, 3000);
  before = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(before);
});

const newNet = (options: Partial<MultiLayerNetExtendOptions>) =>
  new MultiLayerNetExtend(
    { inputSize: 784, hidden: [50, 50], outputSize: 10, ...options },
    new Random(2, 1),
    new Random(2, 9),
  );

/** 40 steps on batches of the 200 training images. */
function trainInPlace(net: MultiLayerNetExtend, optimizer: OptimizerSpec): void {
  const update = createOptimizer(optimizer);
  const batches = new Random(2, 0);
  for (let step = 0; step < 40; step++) {
    withBatch(train, batches.choice(train.count, 50), (batch) =>
      update.update(net.params, net.gradient(batch.x, batch.t).grads),
    );
  }
}

function plainAccuracy(net: MultiLayerNetExtend, split: Split): number {
  const x = tf.tensor2d(split.images, [split.count, split.pixels]);
  const accuracy = net.accuracy(x, split.labels);
  x.dispose();
  return accuracy;
}

const sgd: OptimizerSpec = { name: 'SGD', lr: 0.1 };
const adam: OptimizerSpec = { name: 'Adam', lr: 0.01, beta1: 0.9, beta2: 0.999 };
const nets: [string, Partial<MultiLayerNetExtendOptions>, OptimizerSpec][] = [
  ['SGD with weight decay', { lambda: 0.1 }, sgd],
  ['SGD with dropout', { dropoutRatio: 0.3 }, sgd],
  ['SGD with Batch Norm', { useBatchNorm: true }, sgd],
  ['Momentum', {}, { name: 'Momentum', lr: 0.05, momentum: 0.9 }],
  ['Adam', {}, adam],
];

describe('accuracy sets agree with the plain measure, before and after training', () => {
  it.each(nets)('%s', (_, options, optimizer) => {
    const span = new SpanAccuracySet(test, new SpanProjection(train));
    const direct = new AccuracySet(test, 700);
    const net = newNet(options);
    const agree = () => {
      const expected = plainAccuracy(net, test);
      expect(Math.abs(direct.accuracy(net) - expected)).toBeLessThanOrEqual(2 / test.count);
      expect(Math.abs(span.accuracy(net) - expected)).toBeLessThanOrEqual(2 / test.count);
      return expected;
    };
    agree(); // the span set remembers each net's start
    trainInPlace(net, optimizer);
    expect(agree()).toBeGreaterThan(0.5);
    span.dispose();
    direct.dispose();
  });
});

describe('SpanProjection', () => {
  /** x W1 through the span and directly, after training the net with `optimizer`. */
  function products(
    optimizer: OptimizerSpec,
    options: Partial<MultiLayerNetExtendOptions> = {},
  ): { viaSpan: number[]; direct: number[] } {
    const span = new SpanProjection(train);
    const x = tf.tensor2d(test.images.subarray(0, 500 * 784), [500, 784]);
    const chunk = { x, xBasis: span.project(x) };
    const net = newNet(options);
    span.firstProducts(net, [chunk], () => {});
    trainInPlace(net, optimizer);
    let viaSpan: number[] = [];
    span.firstProducts(net, [chunk], (_, xW1) => (viaSpan = Array.from(xW1.dataSync())));
    const W1 = tf.tensor2d(net.params.W1!, [784, 50]);
    const direct = tf.tidy(() => Array.from(tf.matMul(x, W1).dataSync()));
    tf.dispose([x, chunk.xBasis, W1]);
    span.dispose();
    return { viaSpan, direct };
  }

  it('after SGD with weight decay, x W1 through the span matches the direct product (to float32 rounding)', () => {
    const { viaSpan, direct } = products(sgd, { lambda: 0.1 });
    expect(viaSpan).not.toEqual(direct); // computed another way ...
    const scale = Math.max(...direct.map(Math.abs));
    viaSpan.forEach((v, i) => expect(Math.abs(v - direct[i]!)).toBeLessThan(1e-4 * scale)); // ... to the same values
  });

  it('after Adam it falls back to the direct product', () => {
    const { viaSpan, direct } = products(adam);
    expect(viaSpan).toEqual(direct);
  });
});

describe('pieces', () => {
  it('orthonormalBasis spans the rows with orthonormal vectors, skipping rows already in the span', () => {
    const images = Float32Array.from([1, 1, 0, 0, /**/ 2, 2, 0, 0, /**/ 1, 0, 1, 0, /**/ 0, 0, 0, 0]);
    const basis = orthonormalBasis({ images, labels: new Uint8Array(4), count: 4, pixels: 4 });
    expect(basis).toHaveLength(2);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);
    expect(dot(basis[0]!, basis[0]!)).toBeCloseTo(1, 12);
    expect(dot(basis[0]!, basis[1]!)).toBeCloseTo(0, 12);
    // Each row is its projection onto the basis.
    for (let r = 0; r < 3; r++) {
      const row = images.subarray(r * 4, r * 4 + 4);
      const back = basis.reduce((acc, q) => acc.map((v, i) => v + dot(q, row) * q[i]!), [0, 0, 0, 0]);
      back.forEach((v, i) => expect(v).toBeCloseTo(row[i]!, 6));
    }
    expect(orthonormalBasis(train).length).toBe(200);
  });

  it('proportion finds a with v = a v0, and nothing when v is not a multiple of v0', () => {
    expect(proportion([2, 4, -6], [1, 2, -3])).toBeCloseTo(2, 12);
    expect(proportion([2, 4.00001, -6], [1, 2, -3])).toBeCloseTo(2, 4);
    expect(proportion([2, 5, -6], [1, 2, -3])).toBeUndefined();
    expect(proportion([0, 0], [0, 0])).toBe(0);
  });

  it('selectRows takes all rows, the first n or a list', () => {
    expect(selectRows(test, 'all')).toBe(test);
    expect(selectRows(test, { first: 10 }).count).toBe(10);
    const picked = selectRows(test, { indices: [5, 2] });
    expect(Array.from(picked.labels)).toEqual([test.labels[5], test.labels[2]]);
    expect(picked.images.subarray(784, 1568)).toEqual(test.images.subarray(2 * 784, 3 * 784));
    expect(() => selectRows(test, { indices: [test.count] })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import type { Activation } from '../../shared/params';
import { tf } from '../backend';
import { type Batch, disposeBatch } from '../data/batch';
import { Random } from '../random';
import { BATCH_NORM_EPSILON, RunningStats } from './batch-norm';
import { type MaskSource, randomMasks } from './dropout';
import {
  GRADIENT_STEP,
  expectGradientMatches,
  expectNoTensorsLeftBehind,
  norm,
  numericalGradient,
  randomBatch,
} from './gradient-check.test-helpers';
import { MultiLayerNetExtend, type MultiLayerNetExtendOptions } from './multi-layer-net-extend';

/*
 * MultiLayerNetExtend (Batch Norm, Dropout) against the book's gradient_check (tolerances: see
 * gradient-check.test-helpers.ts) on a small net (6-[5,4]-3). Batch Norm is checked in training mode, where the
 * loss depends on the batch statistics; the batch has 8 rows so that they are not degenerate. Dropout
 * is checked with fixed masks: the loss of a pass is then a smooth function of the parameters (between
 * ReLU kinks), and its gradient is what backward returns.
 */
const INPUT = 6;
const HIDDEN = [5, 4];
const OUTPUT = 3;
const ROWS = 8;

expectNoTensorsLeftBehind();

const makeBatch = (seed: number): Batch => randomBatch(seed, ROWS, INPUT, OUTPUT);

/** The same masks on every pass: one per hidden layer, handed out in layer order. */
function fixedMasks(ratio: number, seed: number): MaskSource {
  const draw = randomMasks(ratio, new Random(seed, 5));
  const masks = HIDDEN.map((units) => draw(ROWS, units));
  let next = 0;
  return (rows, units) => {
    const mask = masks[next++ % masks.length]!;
    expect(mask.length).toBe(rows * units);
    return mask;
  };
}

function smallNet(options: Partial<MultiLayerNetExtendOptions>, masks?: MaskSource): MultiLayerNetExtend {
  const net = new MultiLayerNetExtend(
    { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, ...options },
    new Random(3, 1),
    masks,
  );
  // Small random biases keep ReLU pre-activations off the kink at 0 (see multi-layer-net.test.ts).
  const biasRandom = new Random(3, 7);
  for (const key of ['b1', 'b2', 'b3']) net.params[key]!.set(biasRandom.normalArray(net.params[key]!.length, 0.1));
  return net;
}

interface GradientCase {
  activation: Activation;
  lambda: number;
  useBatchNorm: boolean;
  dropoutRatio: number;
}

const cases: GradientCase[] = [
  { activation: 'relu', lambda: 0, useBatchNorm: true, dropoutRatio: 0 },
  { activation: 'relu', lambda: 0.1, useBatchNorm: true, dropoutRatio: 0 },
  { activation: 'tanh', lambda: 0, useBatchNorm: true, dropoutRatio: 0 },
  { activation: 'sigmoid', lambda: 0.1, useBatchNorm: true, dropoutRatio: 0 },
  { activation: 'relu', lambda: 0, useBatchNorm: false, dropoutRatio: 0.3 },
  { activation: 'tanh', lambda: 0.1, useBatchNorm: false, dropoutRatio: 0.3 },
  { activation: 'relu', lambda: 0, useBatchNorm: true, dropoutRatio: 0.3 },
];

describe('MultiLayerNetExtend backward pass vs numerical gradient (6-[5,4]-3, batch 8, training mode)', () => {
  it.each(cases)('$activation, lambda $lambda, batch norm $useBatchNorm, dropout $dropoutRatio', (c) => {
    const masks = c.dropoutRatio > 0 ? fixedMasks(c.dropoutRatio, 17) : undefined;
    const net = smallNet(c, masks);
    const batch = makeBatch(11);
    const { loss, grads } = net.gradient(batch.x, batch.t);
    const numerical = numericalGradient(
      net.params,
      () => net.loss(batch.x, batch.t, true),
      GRADIENT_STEP[c.activation],
    );
    disposeBatch(batch);

    const normKeys = c.useBatchNorm ? ['gamma1', 'beta1', 'gamma2', 'beta2'] : [];
    expect(Object.keys(grads)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3', ...normKeys]);
    expect(Number.isFinite(loss)).toBe(true);
    for (const key of Object.keys(net.params)) {
      const analytic = grads[key]!;
      expect(analytic, key).toHaveLength(net.params[key]!.length);
      // Batch Norm subtracts the batch mean right after the hidden Affines: their biases cannot change the loss.
      if (c.useBatchNorm && (key === 'b1' || key === 'b2')) {
        expect(norm(analytic), `${key} gradient norm`).toBeLessThan(1e-5);
        expect(norm(numerical[key]!), `${key} numerical gradient norm`).toBeLessThan(1e-2);
        continue;
      }
      expectGradientMatches(key, analytic, numerical[key]!);
    }
  });
});

describe('Batch Normalization', () => {
  it('adds gamma (1) and beta (0) per hidden layer after W and b, as the book does', () => {
    const net = new MultiLayerNetExtend(
      { inputSize: 784, hidden: [100, 50], outputSize: 10, useBatchNorm: true },
      new Random(1, 1),
    );
    expect(Object.keys(net.params)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'gamma1', 'beta1', 'gamma2', 'beta2']);
    expect(net.shapes.gamma2).toEqual([50]);
    expect(Array.from(net.params.gamma1!).every((g) => g === 1)).toBe(true);
    expect(Array.from(net.params.beta2!).every((b) => b === 0)).toBe(true);
    expect(net.runningStats.map((s) => s.mean.length)).toEqual([100, 50]);
    const plain = new MultiLayerNetExtend({ inputSize: 784, hidden: [100, 50], outputSize: 10 }, new Random(1, 1));
    expect(Object.keys(plain.params)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    // The same stream gives the same weights with or without Batch Norm.
    expect(plain.params.W2).toEqual(net.params.W2);
  });

  it('a training pass folds the batch statistics into the running ones with momentum 0.9', () => {
    const net = smallNet({ useBatchNorm: true });
    const batch = makeBatch(12);
    const x = batch.x.arraySync();
    net.gradient(batch.x, batch.t);
    disposeBatch(batch);
    // The first layer's pre-activations by hand, their per-unit batch mean and (population) variance.
    const W = net.params.W1!;
    const b = net.params.b1!;
    for (let j = 0; j < HIDDEN[0]!; j++) {
      const a = x.map((row) => row.reduce((sum, v, i) => sum + v * W[i * HIDDEN[0]! + j]!, b[j]!));
      const mean = a.reduce((s, v) => s + v, 0) / ROWS;
      const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / ROWS;
      expect(net.runningStats[0]!.mean[j]).toBeCloseTo(0.1 * mean, 5);
      expect(net.runningStats[0]!.variance[j]).toBeCloseTo(0.1 * variance, 4);
    }
  });

  it('test passes use the running statistics: once they have converged to a batch, both modes agree on it', () => {
    const net = smallNet({ useBatchNorm: true });
    const batch = makeBatch(13);
    const trainLoss = net.loss(batch.x, batch.t, true);
    const testBefore = net.loss(batch.x, batch.t);
    // Each training pass moves the running statistics 10% of the way to this batch's.
    for (let i = 0; i < 150; i++) net.loss(batch.x, batch.t, true);
    const testAfter = net.loss(batch.x, batch.t);
    disposeBatch(batch);
    expect(Math.abs(testBefore - trainLoss)).toBeGreaterThan(1e-2);
    expect(testAfter).toBeCloseTo(trainLoss, 4);
  });

  it('a test pass is Affine -> BatchNormalization with the running statistics -> ReLU, layer by layer', () => {
    const net = smallNet({ useBatchNorm: true });
    const batch = makeBatch(16);
    for (let i = 0; i < 3; i++) net.gradient(batch.x, batch.t); // running statistics away from 0
    const random = new Random(8, 1);
    for (const key of ['gamma1', 'beta1', 'gamma2', 'beta2'])
      net.params[key]!.set(random.normalArray(net.params[key]!.length, 1));
    const expected = tf.tidy(() => {
      let h = batch.x;
      for (let i = 1; i <= 2; i++) {
        const a = tf.add(
          tf.matMul(h, tf.tensor2d(net.params[`W${i}`]!, net.shapes[`W${i}`] as [number, number])),
          net.params[`b${i}`]!,
        );
        // gamma (a - running mean) / sqrt(running var + eps) + beta
        const { mean, variance } = net.runningStats[i - 1]!;
        const xn = tf.div(tf.sub(a, tf.tensor1d(mean)), tf.sqrt(tf.add(tf.tensor1d(variance), BATCH_NORM_EPSILON)));
        h = tf.relu(
          tf.add<tf.Tensor2D>(tf.mul(tf.tensor1d(net.params[`gamma${i}`]!), xn), tf.tensor1d(net.params[`beta${i}`]!)),
        );
      }
      return tf.add(tf.matMul(h, tf.tensor2d(net.params.W3!, [4, 3])), net.params.b3!).arraySync() as number[][];
    });
    const actual = tf.tidy(() => net.predict(batch.x).arraySync());
    disposeBatch(batch);
    expected.flat().forEach((v, i) => expect(actual.flat()[i]).toBeCloseTo(v, 4));
  });

  it('RunningStats.update is running = 0.9 running + 0.1 batch', () => {
    const stats = new RunningStats(2);
    stats.update([1, 2], [4, 8]);
    stats.update([1, 2], [4, 8]);
    expect(Array.from(stats.mean)).toEqual([expect.closeTo(0.19, 6), expect.closeTo(0.38, 6)]);
    expect(Array.from(stats.variance)).toEqual([expect.closeTo(0.76, 6), expect.closeTo(1.52, 6)]);
    expect(BATCH_NORM_EPSILON).toBe(1e-6);
  });
});

describe('Dropout', () => {
  it('test passes scale every hidden output by 1 - ratio (no units dropped)', () => {
    const ratio = 0.25;
    const dropped = smallNet({ dropoutRatio: ratio }, fixedMasks(ratio, 1));
    const scaled = smallNet({});
    // Scaling each hidden layer's output by 1 - ratio is scaling the next layer's weights by it.
    for (const key of ['W2', 'W3']) scaled.params[key]!.forEach((w, i, W) => (W[i] = w * (1 - ratio)));
    const batch = makeBatch(14);
    const a = tf.tidy(() => dropped.predict(batch.x).arraySync());
    const b = tf.tidy(() => scaled.predict(batch.x).arraySync());
    disposeBatch(batch);
    a.flat().forEach((v, i) => expect(v).toBeCloseTo(b.flat()[i]!, 5));
  });

  it('randomMasks keeps a unit where uniform > ratio: about 1 - ratio of them, the same for the same stream', () => {
    const a = randomMasks(0.2, new Random(9, 40))(100, 100);
    const b = randomMasks(0.2, new Random(9, 40))(100, 100);
    const c = randomMasks(0.2, new Random(9, 41))(100, 100);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(Array.from(a).every((v) => v === 0 || v === 1)).toBe(true);
    const kept = a.reduce((s, v) => s + v, 0) / a.length;
    expect(kept).toBeGreaterThan(0.78);
    expect(kept).toBeLessThan(0.82);
  });

  it('each training pass draws new masks from the stream', () => {
    const net = new MultiLayerNetExtend(
      { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, dropoutRatio: 0.5 },
      new Random(3, 1),
      new Random(3, 50),
    );
    const batch = makeBatch(15);
    const first = net.gradient(batch.x, batch.t).loss;
    const second = net.gradient(batch.x, batch.t).loss;
    disposeBatch(batch);
    expect(second).not.toBe(first);
  });

  it('a net with dropout needs a source for its masks, and a ratio in [0, 1)', () => {
    const options = { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT };
    expect(() => new MultiLayerNetExtend({ ...options, dropoutRatio: 0.2 }, new Random(1, 1))).toThrow(/random stream/);
    expect(() => new MultiLayerNetExtend({ ...options, dropoutRatio: 1 }, new Random(1, 1), new Random(1, 2))).toThrow(
      RangeError,
    );
  });
});

describe('tensors', () => {
  it('training and test passes leave no tensor behind', () => {
    const net = new MultiLayerNetExtend(
      { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, useBatchNorm: true, dropoutRatio: 0.2, lambda: 0.1 },
      new Random(3, 1),
      new Random(3, 50),
    );
    const batch = makeBatch(16);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      net.gradient(batch.x, batch.t);
      net.loss(batch.x, batch.t, true);
      net.loss(batch.x, batch.t);
      net.accuracy(batch.x, [0, 1, 2, 0, 1, 2, 0, 1]);
      tf.tidy(() => {
        net.predict(batch.x);
      });
      expect(tf.memory().numTensors).toBe(count);
    }
    disposeBatch(batch);
  });
});

import { describe, expect, it } from 'vitest';
import type { Activation } from '../../shared/params';
import { type Batch, disposeBatch } from '../data/batch';
import { Random } from '../random';
import {
  GRADIENT_STEP,
  expectGradientMatches,
  expectNoTensorsLeftBehind,
  numericalGradient,
  randomBatch,
} from './gradient-check.test-helpers';
import { MultiLayerNet } from './multi-layer-net';

/*
 * The backward pass against the book's gradient_check (tolerances: see gradient-check.test-helpers.ts) on a small
 * net (6-[5,4]-3, batch 4). The biases get small random values: with the book's zero biases, a sample
 * whose previous layer is all dead (ReLU) has a pre-activation of exactly 0, right on the kink.
 */
const INPUT = 6;
const HIDDEN = [5, 4];
const OUTPUT = 3;
const BATCH = 4;

expectNoTensorsLeftBehind();

function makeBatch(seed: number): Batch {
  return randomBatch(seed, BATCH, INPUT, OUTPUT);
}

const ACTIVATIONS: Record<Activation, (a: number) => number> = {
  relu: (a) => Math.max(0, a),
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  tanh: Math.tanh,
};

/** The net's class scores for one input row, computed from its parameters in float64. */
function scoresByHand(net: MultiLayerNet, row: readonly number[], activation: Activation): number[] {
  const layers = Object.keys(net.params).length / 2;
  let h = [...row];
  for (let l = 1; l <= layers; l++) {
    const [fanIn, fanOut] = net.shapes[`W${l}`] as [number, number];
    const W = net.params[`W${l}`]!;
    const b = net.params[`b${l}`]!;
    const a = Array.from({ length: fanOut }, (_, j) => {
      let sum = b[j]!;
      for (let i = 0; i < fanIn; i++) sum += h[i]! * W[i * fanOut + j]!;
      return sum;
    });
    h = l < layers ? a.map(ACTIVATIONS[activation]) : a;
  }
  return h;
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const configs: { activation: Activation; lambda: number }[] = [];
for (const activation of ['relu', 'sigmoid', 'tanh'] as const)
  for (const lambda of [0, 0.1]) configs.push({ activation, lambda });

describe('MultiLayerNet backward pass vs numerical gradient (6-[5,4]-3, batch 4)', () => {
  it.each(configs)('$activation, lambda $lambda', ({ activation, lambda }) => {
    const net = new MultiLayerNet(
      { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, activation, lambda },
      new Random(3, 1),
    );
    const biasRandom = new Random(3, 7);
    for (const key of ['b1', 'b2', 'b3']) net.params[key]!.set(biasRandom.normalArray(net.params[key]!.length, 0.1));
    const batch = makeBatch(11);
    const { loss, grads } = net.gradient(batch.x, batch.t);
    const numerical = numericalGradient(net.params, () => net.loss(batch.x, batch.t), GRADIENT_STEP[activation]);
    disposeBatch(batch);

    expect(Object.keys(grads)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(Number.isFinite(loss)).toBe(true);
    for (const key of Object.keys(net.params)) {
      const analytic = grads[key]!;
      expect(analytic, key).toHaveLength(net.params[key]!.length);
      expectGradientMatches(key, analytic, numerical[key]!);
    }
  });
});

describe('MultiLayerNet', () => {
  it('has the book layout: W of fan_in x fan_out, zero biases, He / Xavier / fixed-std init', () => {
    const sizes = [784, 100, 100, 10];
    const he = new MultiLayerNet({ inputSize: 784, hidden: [100, 100], outputSize: 10 }, new Random(1, 1));
    expect(he.shapes).toEqual({ W1: [784, 100], b1: [100], W2: [100, 100], b2: [100], W3: [100, 10], b3: [10] });
    const std = (values: Float32Array) => Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
    for (let i = 1; i <= 3; i++) {
      expect(he.params[`W${i}`]).toHaveLength(sizes[i - 1]! * sizes[i]!);
      expect(Array.from(he.params[`b${i}`]!).every((b) => b === 0)).toBe(true);
    }
    // He for ReLU by default: sqrt(2 / fan_in) (10,000+ samples estimate a std to ~1%; checked to 5%).
    expect(std(he.params.W1!) / Math.sqrt(2 / 784)).toBeCloseTo(1, 1);
    expect(std(he.params.W2!) / Math.sqrt(2 / 100)).toBeCloseTo(1, 1);
    // Xavier for sigmoid by default: sqrt(1 / fan_in)
    const xavier = new MultiLayerNet(
      { inputSize: 784, hidden: [100], outputSize: 10, activation: 'sigmoid' },
      new Random(1, 1),
    );
    expect(std(xavier.params.W1!) / Math.sqrt(1 / 784)).toBeCloseTo(1, 1);
    const fixed = new MultiLayerNet({ inputSize: 784, hidden: [100], outputSize: 10, init: 0.01 }, new Random(1, 1));
    expect(std(fixed.params.W1!) / 0.01).toBeCloseTo(1, 1);
  });

  it('the same seed and stream give the same weights; another stream gives others', () => {
    const options = { inputSize: 20, hidden: [8], outputSize: 3 };
    const a = new MultiLayerNet(options, new Random(5, 2));
    const b = new MultiLayerNet(options, new Random(5, 2));
    const c = new MultiLayerNet(options, new Random(5, 3));
    expect(a.params).toEqual(b.params);
    expect(a.params.W1).not.toEqual(c.params.W1);
  });

  it.each(['relu', 'sigmoid', 'tanh'] as const)(
    'loss is the softmax cross-entropy of the forward pass, plus weight decay, as gradient reports it too (%s)',
    (activation) => {
      const net = new MultiLayerNet(
        { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, activation, lambda: 0.1 },
        new Random(3, 1),
      );
      const batch = makeBatch(11);
      const loss = net.loss(batch.x, batch.t);
      const fromGradient = net.gradient(batch.x, batch.t).loss;
      const x = batch.x.arraySync();
      const t = batch.t.arraySync();
      disposeBatch(batch);
      // By hand, in float64: -sum(t log(softmax(scores) + 1e-7)) / batch + 0.5 * lambda * sum(W^2).
      let crossEntropy = 0;
      x.forEach((row, r) => {
        const probabilities = softmax(scoresByHand(net, row, activation));
        probabilities.forEach((y, k) => (crossEntropy -= t[r]![k]! * Math.log(y + 1e-7)));
      });
      crossEntropy /= BATCH;
      let squares = 0;
      for (const key of ['W1', 'W2', 'W3']) for (const w of net.params[key]!) squares += w * w;
      expect(loss).toBeCloseTo(crossEntropy + 0.5 * 0.1 * squares, 5);
      expect(fromGradient).toBeCloseTo(loss, 5);
    },
  );

  it('gradient does not change the parameters', () => {
    const net = new MultiLayerNet(
      { inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT, lambda: 0.1 },
      new Random(4, 1),
    );
    const snapshot = structuredClone(net.params);
    const batch = makeBatch(13);
    net.gradient(batch.x, batch.t);
    disposeBatch(batch);
    expect(net.params).toEqual(snapshot);
  });

  it('accuracy is the fraction of rows whose top score is the label', () => {
    const net = new MultiLayerNet({ inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT }, new Random(4, 1));
    const batch = makeBatch(14);
    const predicted = batch.x.arraySync().map((row) => {
      const scores = scoresByHand(net, row, 'relu');
      return scores.indexOf(Math.max(...scores));
    });
    const labels = predicted.map((p, i) => (i < 3 ? p : (p + 1) % OUTPUT)); // 3 of 4 right
    expect(net.accuracy(batch.x, labels)).toBe(0.75);
    expect(net.accuracy(batch.x, predicted)).toBe(1);
    expect(net.accuracy(batch.x, Uint8Array.from(predicted))).toBe(1);
    disposeBatch(batch);
  });

  it('a few SGD steps on one batch lower its loss', () => {
    const net = new MultiLayerNet({ inputSize: INPUT, hidden: HIDDEN, outputSize: OUTPUT }, new Random(4, 1));
    const batch = makeBatch(15);
    const start = net.loss(batch.x, batch.t);
    for (let step = 0; step < 20; step++) {
      const { grads } = net.gradient(batch.x, batch.t);
      for (const [key, p] of Object.entries(net.params)) p.forEach((v, i) => (p[i] = v - 0.1 * grads[key]![i]!));
    }
    expect(net.loss(batch.x, batch.t)).toBeLessThan(start * 0.8);
    disposeBatch(batch);
  });
});

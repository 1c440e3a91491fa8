import { beforeAll, describe, expect, it } from 'vitest';
import { INSIDE_BINS, INSIDE_MOMENTS_LIMIT, type RunInside, insidePlan, runInsideSchema } from '../shared/inside';
import type { ProgressEvent } from '../shared/events';
import { initBackend } from './backend';
import { histogramOf } from './inside';
import { recordRun } from './runs.test-helpers';

/**
 * Inside the net (issue #19): a recorded run trains to the same numbers as one that is not; its
 * moments are where the plan says, every layer's histograms add up, the tensor count stays flat, and
 * the Batch Norm claim reads the recorded outputs.
 */
beforeAll(async () => {
  await initBackend();
});

const insideOf = (events: readonly ProgressEvent[]): RunInside | null => {
  const found = events.flatMap((e) => (e.type === 'inside' ? [runInsideSchema.parse(e.inside)] : []));
  return found[0] ?? null;
};

describe('histogramOf', () => {
  it('counts every finite value once, the maximum in the last bin, and leaves NaN and infinities out', () => {
    const h = histogramOf([0, 1, 2, 3, Number.NaN, Infinity, 3]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[INSIDE_BINS - 1]).toBe(2);
    expect(h).toMatchObject({ min: 0, max: 3, mean: 9 / 5, nonFinite: 2 });
    expect(h.std).toBeCloseTo(Math.sqrt((1.8 ** 2 + 0.8 ** 2 + 0.2 ** 2 + 2 * 1.2 ** 2) / 5), 10);
    expect(histogramOf([Number.NaN]).counts.every((c) => c === 0)).toBe(true);
    expect(histogramOf([5, 5]).counts[0]).toBe(2);
  });
});

describe('the plan', () => {
  const nets = [{ hidden: [100, 100], batchNorm: true }];
  it('records at 0, every N and the last update, and stretches N to stay within the limits', () => {
    expect(insidePlan(nets, 101, 10)).toMatchObject({ every: 10, moments: 11 });
    expect(insidePlan(nets, 105, 10)).toMatchObject({ every: 10, moments: 12 });
    expect(insidePlan(nets, 10_000, 1).moments).toBeLessThanOrEqual(INSIDE_MOMENTS_LIMIT);
    expect(insidePlan(nets, 5, 100)).toMatchObject({ every: 5, moments: 2 });
    const many = Array.from({ length: 20_000 }, () => nets[0]!);
    expect(insidePlan(many, 100, 1).tooLarge).toMatch(/nothing is recorded inside the nets: 20000 nets take/);
  });
});

describe('a run recorded inside its nets', () => {
  it('trains the same numbers as without, at the planned moments, in bounded space, tensors flat', async () => {
    const params = { scales: 3, epochs: 2, trainSize: 200, hidden: [30, 20], batchSize: 50 };
    const plain = await recordRun('batch-norm', params);
    const recorded = await recordRun('batch-norm', { ...params, insideEvery: 3 });
    expect(recorded.record.series).toEqual(plain.record.series);
    expect(plain.record.inside).toBeUndefined();
    expect(insideOf(plain.events)).toBeNull();
    expect(recorded.tensorsAfter).toBe(recorded.tensorsBefore);
    const inside = insideOf(recorded.events)!;
    expect(inside.every).toBe(3);
    expect(inside.nets.map((n) => n.label).sort()).toEqual(recorded.record.series.map((s) => s.name).sort());
    const steps = [0, 3, 6, 7];
    for (const net of inside.nets) {
      expect(net.moments.map((m) => m.step)).toEqual(steps);
      for (const moment of net.moments) {
        expect(moment.layers).toHaveLength(3);
        moment.layers.forEach((layer, i) => {
          const fanIn = [784, 30, 20][i]!;
          const fanOut = [30, 20, 10][i]!;
          expect(layer.weight.counts.reduce((a, b) => a + b, 0)).toBe(fanIn * fanOut);
          expect(layer.gradient.counts.reduce((a, b) => a + b, 0)).toBe(fanIn * fanOut);
          expect(layer.activation === undefined).toBe(i === 2);
          expect(layer.normalized === undefined).toBe(i === 2 || !net.batchNorm);
          if (layer.activation) expect(layer.activation.counts.reduce((a, b) => a + b, 0)).toBe(50 * fanOut);
          expect(layer.updateRatio).toBeGreaterThan(0);
        });
      }
    }
    const bytes = JSON.stringify(inside).length;
    const shapes = inside.nets.map((n) => ({ hidden: n.hidden, batchNorm: n.batchNorm }));
    expect(bytes).toBeLessThanOrEqual(insidePlan(shapes, 8, 3).bytes);
    expect(recorded.record.inside!.nets).toHaveLength(6);
  }, 120_000);

  it('on two threads gives the same moments as on one', async () => {
    const params = { iterations: 12, batchSize: 32, hidden: [20], optimizers: ['SGD', 'Adam'], insideEvery: 5 };
    const one = insideOf((await recordRun('optimizers-mnist', params)).events);
    const two = insideOf((await recordRun('optimizers-mnist', params, { threads: 2 })).events);
    expect(two).toEqual(one);
    expect(one!.nets.map((n) => [n.label, n.key.optimizer, n.moments.map((m) => m.step)])).toEqual([
      ['SGD', 'SGD', [0, 5, 10, 11]],
      ['Adam', 'Adam', [0, 5, 10, 11]],
    ]);
  }, 120_000);
});

describe('the Batch Norm claim on the recorded spread', () => {
  it('holds at the smallest scale after 20 epochs of the book (two scales)', async () => {
    const { record } = await recordRun('batch-norm', { scales: 2, insideEvery: 20 }, { threads: 2 });
    const claim = record.claims!.find((c) => c.id === 'bn-keeps-activations-spread')!;
    expect(claim.holds, claim.detail).toBe(true);
    expect(claim.detail).toMatch(/^std=0\.0001: Batch Norm outputs' std [\d.]+ to [\d.]+ at the last update/);
    // Without a recording the run cannot say.
    const plain = await recordRun('batch-norm', { scales: 2, epochs: 1 });
    expect(plain.record.claims!.map((c) => c.id)).not.toContain('bn-keeps-activations-spread');
  }, 120_000);
});

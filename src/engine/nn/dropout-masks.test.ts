import { describe, expect, it } from 'vitest';
import { LAB_CALLS } from '../../shared/lab-calls';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import { randomMasks, sampleDropoutMasks } from './dropout-masks';

const sizes = [6, 6];
const dropped = (masks: boolean[][]) => masks.flat().filter(Boolean).length;

describe('sampleDropoutMasks (Fig. 6-22, the dropoutMasks call)', () => {
  it('gives the same masks for the same seed and step, others for another step or seed', () => {
    const a = sampleDropoutMasks({ ratio: 0.5, seed: 7, step: 3, sizes });
    expect(a.map((layer) => layer.length)).toEqual(sizes);
    expect(sampleDropoutMasks({ ratio: 0.5, seed: 7, step: 3, sizes })).toEqual(a);
    expect(sampleDropoutMasks({ ratio: 0.5, seed: 7, step: 4, sizes })).not.toEqual(a);
    expect(sampleDropoutMasks({ ratio: 0.5, seed: 8, step: 3, sizes })).not.toEqual(a);
  });

  it("draws what net 0's Dropout layers draw: its mask stream, layer after layer, step after step", () => {
    const source = randomMasks(0.3, new Random(11, RandomStream.dropoutMasks(0)));
    const expected: boolean[][][] = [];
    for (let step = 0; step < 3; step++)
      expected.push(sizes.map((n) => Array.from(source(1, n), (keep) => keep === 0)));
    for (let step = 0; step < 3; step++)
      expect(sampleDropoutMasks({ ratio: 0.3, seed: 11, step, sizes })).toEqual(expected[step]);
  });

  it('drops nothing at ratio 0, and about `ratio` of the neurons over many steps', () => {
    for (let step = 0; step < 20; step++)
      expect(dropped(sampleDropoutMasks({ ratio: 0, seed: 1, step, sizes }))).toBe(0);
    const wide = [64, 64, 64, 64];
    let total = 0;
    for (let step = 0; step < 50; step++)
      total += dropped(sampleDropoutMasks({ ratio: 0.3, seed: 3, step, sizes: wide }));
    expect(total / (50 * 256)).toBeCloseTo(0.3, 1);
  });

  it('the call table bounds the request (ratio in [0, 1), a few small layers, a bounded step)', () => {
    const ok = (request: unknown) => LAB_CALLS.dropoutMasks.safeParse([request]).success;
    expect(ok({ ratio: 0.5, seed: 1, step: 0, sizes: [5, 6, 6, 3] })).toBe(true);
    expect(ok({ ratio: 1, seed: 1, step: 0, sizes: [6] })).toBe(false);
    expect(ok({ ratio: 0.5, seed: 1, step: -1, sizes: [6] })).toBe(false);
    expect(ok({ ratio: 0.5, seed: 1, step: 1_000_000, sizes: [6] })).toBe(false);
    expect(ok({ ratio: 0.5, seed: 1, step: 0, sizes: [] })).toBe(false);
    expect(ok({ ratio: 0.5, seed: 1, step: 0, sizes: [100_000] })).toBe(false);
    expect(ok({ ratio: 0.5, seed: 1, step: 0, sizes: Array(100).fill(6) })).toBe(false);
  });
});

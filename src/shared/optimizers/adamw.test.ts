import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { createOptimizer, defaultOptimizer } from './index';

const START = [2.0, -1.0, 0.5];
const GRADS = [
  [0.5, -1.0, 0.0],
  [-0.3, 0.8, 0.2],
  [0.1, 0.2, -4.0],
];

/** `steps` updates of AdamW (or Adam) from START, in float64 or float32. */
function walk(optimizer: Adam, steps: number, kind: 'float64' | 'float32' = 'float64'): number[][] {
  const Arr = kind === 'float64' ? Float64Array : Float32Array;
  const params = { w: Arr.from(START) };
  return GRADS.slice(0, steps).map((g) => {
    optimizer.update(params, { w: Arr.from(g) });
    return Array.from(params.w);
  });
}

describe('AdamW', () => {
  it('decays the weights by lr * weightDecay, then takes the book’s Adam step: two steps by hand', () => {
    const lr = 0.1;
    const wd = 0.1;
    const [first, second] = walk(new AdamW(lr, 0.9, 0.999, wd), 2);
    // Step 1: W -= 0.1 * 0.1 * W (2 -> 1.98); lr_1 = 0.1 * sqrt(1 - 0.999) / (1 - 0.9); m = 0.1 g;
    // v = 0.001 g^2; Adam's first step is lr * sign(g) (less a hair for 1e-7): 1.98 - 0.1 = 1.88.
    const lr1 = (lr * Math.sqrt(1 - 0.999)) / (1 - 0.9);
    const step1 = (g: number) => (lr1 * 0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7);
    expect(first![0]).toBe(2 - lr * wd * 2 - step1(0.5));
    expect(first![0]).toBeCloseTo(1.88, 5);
    // A zero gradient leaves m = 0: only the decay moves the weight, 0.5 -> 0.495.
    expect(first![2]).toBe(0.495);
    // Step 2 of the third weight: 0.495 -> 0.49005 by the decay; m = 0.1 * 0.2, v = 0.001 * 0.2^2;
    // lr_2 = 0.1 * sqrt(1 - 0.999^2) / (1 - 0.9^2).
    const lr2 = (lr * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    const decayed = 0.495 - lr * wd * 0.495;
    expect(second![2]).toBeCloseTo(decayed - (lr2 * 0.02) / (Math.sqrt(0.00004) + 1e-7), 14);
    // The same update re-typed in Python (float64), printed with repr().
    const python = [
      [1.880000632451532, -0.890000316226766, 0.495],
      [1.8420509264963165, -0.8752878226916625, 0.4156374942083253],
    ];
    [first, second].forEach((values, step) =>
      values!.forEach((value, i) => expect(value, `step ${step + 1} w[${i}]`).toBeCloseTo(python[step]![i]!, 14)),
    );
  });

  it('is Adam exactly when the weight decay is 0, in float64 and float32', () => {
    for (const kind of ['float64', 'float32'] as const) {
      expect(walk(new AdamW(0.1, 0.9, 0.999, 0), 3, kind)).toEqual(walk(new Adam(0.1, 0.9, 0.999), 3, kind));
    }
  });

  it('keeps Adam’s state (m and v) and reads its learning rate at every update', () => {
    const adamW = new AdamW(0.1, 0.9, 0.999, 0.5);
    walk(adamW, 1);
    expect(Object.keys(adamW.state())).toEqual(['m', 'v']);
    // A schedule halving the rate halves the decay too (lr * weightDecay).
    const halved = new AdamW(0.1, 0.9, 0.999, 0.5);
    halved.lr = 0.05;
    expect(walk(halved, 1)[0]![2]).toBe(0.5 - 0.05 * 0.5 * 0.5);
  });

  it('has PyTorch’s defaults, and its spec builds it', () => {
    expect(defaultOptimizer('AdamW')).toEqual({
      name: 'AdamW',
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      weightDecay: 0.01,
    });
    expect(new AdamW()).toMatchObject({ lr: 0.001, beta1: 0.9, beta2: 0.999, weightDecay: 0.01 });
    const created = createOptimizer({ name: 'AdamW', lr: 0.1, beta1: 0.9, beta2: 0.999, weightDecay: 0.1 });
    expect(created).toBeInstanceOf(AdamW);
    expect(walk(created as AdamW, 2)).toEqual(walk(new AdamW(0.1, 0.9, 0.999, 0.1), 2));
  });
});

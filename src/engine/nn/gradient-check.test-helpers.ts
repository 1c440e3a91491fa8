import { afterAll, beforeAll, expect } from 'vitest';
import type { Activation } from '../../shared/params';
import { initBackend, tf } from '../backend';
import { Random } from '../random';
import type { Batch } from '../data/batch';
import type { ParamSet } from './params';

/*
 * The book's gradient_check (ch. 5) for the nets' tests: the backward pass against a numerical
 * gradient by central differences, (L(p + h) - L(p - h)) / 2h, on small nets.
 *
 * The loss is computed in float32 on the tfjs backend: its rounding error (~1e-7 of a loss of ~1)
 * becomes ~1e-7 / 2h in the numerical gradient, so h must not be tiny. For sigmoid and tanh, h = 1e-2
 * (rounding ~5e-6, truncation ~h^2). ReLU has a kink at 0 where a central difference straddling it is
 * wrong by up to half the slope; in a net this small pre-activations of ~1e-2 are common, so ReLU gets
 * h = 1e-3 (rounding ~5e-5). Measured over ten seeds, the relative errors are then at most ~1e-3.
 *
 * Per parameter array we require a relative error |analytic - numerical| / (|analytic| + |numerical|)
 * (2-norms) below 1e-2 and every entry within 1e-3. Dropping the weight-decay term (lambda W) from the
 * gradient, or a factor of a layer's backward, gives relative errors of 0.1 and more.
 */
export const GRADIENT_STEP: Record<Activation, number> = { relu: 1e-3, sigmoid: 1e-2, tanh: 1e-2 };
const MAX_RELATIVE_ERROR = 1e-2;
const MAX_ABS_DIFF = 1e-3;

/** Fails the test file if its tests leave a tfjs tensor behind (every pass runs in its own tf.tidy). */
export function expectNoTensorsLeftBehind(): void {
  let before = 0;
  beforeAll(async () => {
    await initBackend();
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });
}

/** The analytic gradient of parameter `key` is not ~0 and matches the numerical one (tolerances above). */
export function expectGradientMatches(key: string, analytic: Float32Array, numerical: Float32Array): void {
  // A meaningful check needs gradients that are not all ~0.
  expect(norm(analytic), `${key} gradient norm`).toBeGreaterThan(1e-3);
  const { relative, maxAbs } = gradientError(analytic, numerical);
  expect(relative, `${key} relative error`).toBeLessThan(MAX_RELATIVE_ERROR);
  expect(maxAbs, `${key} largest difference`).toBeLessThan(MAX_ABS_DIFF);
}

/** A batch of `rows` standard-normal inputs with random one-hot targets, the same for the same seed. */
export function randomBatch(seed: number, rows: number, inputs: number, classes: number): Batch {
  const random = new Random(seed, 99);
  const x = random.normalArray(rows * inputs, 1);
  const t = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) t[r * classes + random.int(classes)] = 1;
  return { x: tf.tensor2d(x, [rows, inputs]), t: tf.tensor2d(t, [rows, classes]) };
}

/**
 * Central differences (L(p + h) - L(p - h)) / 2h of `loss`, perturbing each float32 parameter in
 * place (and restoring it); divides by the difference of the values actually stored.
 */
export function numericalGradient(params: ParamSet, loss: () => number, h: number): ParamSet {
  const grads: ParamSet = {};
  for (const [key, p] of Object.entries(params)) {
    const g = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const original = p[i]!;
      p[i] = original + h;
      const up = p[i]!;
      const lossUp = loss();
      p[i] = original - h;
      const down = p[i]!;
      const lossDown = loss();
      p[i] = original;
      g[i] = (lossUp - lossDown) / (up - down);
    }
    grads[key] = g;
  }
  return grads;
}

export function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! ** 2;
  return Math.sqrt(sum);
}

/** |analytic - numerical| / (|analytic| + |numerical|) in 2-norms, and the largest single difference. */
export function gradientError(analytic: Float32Array, numerical: Float32Array): { relative: number; maxAbs: number } {
  const diff = analytic.map((a, i) => a - numerical[i]!);
  const maxAbs = Math.max(...Array.from(diff, Math.abs));
  return { relative: norm(diff) / (norm(analytic) + norm(numerical) || 1), maxAbs };
}

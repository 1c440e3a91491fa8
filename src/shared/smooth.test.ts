import { describe, expect, it } from 'vitest';
import { kaiserWindow, smoothCurve, emaCurve } from './smooth';

/*
 * Reference values computed with python3 + numpy 2.4.6 from the book's common/util.py, verbatim:
 *
 *   def smooth_curve(x):
 *       window_len = 11
 *       s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
 *       w = np.kaiser(window_len, 2)
 *       y = np.convolve(w/w.sum(), s, mode='valid')
 *       return y[5:len(y)-5]
 *
 *   smooth_curve(np.array(PI_DIGITS, dtype=float)).tolist()
 *   smooth_curve(np.array(DECREASING, dtype=float)).tolist()
 *   np.kaiser(11, 2).tolist()
 */
const PI_DIGITS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4];
const PI_DIGITS_SMOOTHED = [
  3.3029475055758026, 3.0706515164239114, 3.287451429529103, 3.674923912285192, 3.837163290140271, 4.174261572388955,
  4.546358595576983, 5.068380626039386, 5.393705072051492, 5.92766051120965, 5.996207018909576, 5.802987417141346,
  5.847242233883047, 5.865353458536526, 5.738598847048789, 5.6133281509664625, 5.548716717843568, 5.186606482428654,
  4.768802225413319, 4.500127169395862,
];
/** A loss-like curve of exactly the window length (the shortest series that gets smoothed). */
const DECREASING = [2.3, 2.1, 1.9, 1.2, 1.5, 0.9, 0.7, 0.8, 0.4, 0.5, 0.3];
const DECREASING_SMOOTHED = [
  1.7024644261656443, 1.672194724183462, 1.5863406460400282, 1.4666110600691342, 1.300630886558931, 1.1141507368414139,
  0.926657884335617, 0.7735475767503077, 0.645835123768328, 0.5842551121815069, 0.5285440361884485,
];
const KAISER_11_BETA_2 = [
  0.4386762798370488, 0.6113943543616491, 0.7676749968275236, 0.8921614338542881, 0.9723298008693713, 1.0,
  0.9723298008693713, 0.8921614338542881, 0.7676749968275236, 0.6113943543616491, 0.4386762798370488,
];

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual[i], `item ${i}`).toBeCloseTo(value, digits));
}

describe('kaiserWindow', () => {
  it("matches numpy's np.kaiser(11, 2)", () => {
    expectAllClose(kaiserWindow(11, 2), KAISER_11_BETA_2);
  });
});

describe('smoothCurve (the book smooth_curve)', () => {
  it('reproduces numpy on a 20-point series', () => {
    expectAllClose(smoothCurve(PI_DIGITS), PI_DIGITS_SMOOTHED);
  });

  it('reproduces numpy on a series exactly one window long', () => {
    expectAllClose(smoothCurve(DECREASING), DECREASING_SMOOTHED);
  });

  it('keeps a constant series constant and the length unchanged', () => {
    const flat = new Array<number>(37).fill(0.25);
    const smoothed = smoothCurve(flat);
    expect(smoothed).toHaveLength(37);
    smoothed.forEach((value) => expect(value).toBeCloseTo(0.25, 12));
  });

  it('returns series shorter than the window unchanged (as a copy)', () => {
    const short = [1, 2, 3];
    const result = smoothCurve(short);
    expect(result).toEqual([1, 2, 3]);
    expect(result).not.toBe(short);
    expect(smoothCurve([])).toEqual([]);
  });

  it('does not modify its input', () => {
    const input = [...PI_DIGITS];
    smoothCurve(input);
    expect(input).toEqual(PI_DIGITS);
  });
});

describe('emaCurve (TensorBoard smoothing)', () => {
  it('is the debiased exponential moving average', () => {
    // k = 1: x1; k = 2: (0.5·0.5·x1 + 0.5·x2) / (1 - 0.25) = (x1 + 2 x2) / 3.
    expect(emaCurve([3, 6], 0.5)).toEqual([3, 5]);
    const y = [2.3, 2.1, 1.8, 1.9, 1.2, 1.0];
    let last = 0;
    const expected = y.map((v, i) => {
      last = 0.9 * last + 0.1 * v;
      return last / (1 - 0.9 ** (i + 1));
    });
    emaCurve(y, 0.9).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
  });

  it('leaves the curve as it is at weight 0, and NaN where the run diverged', () => {
    expect(emaCurve([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(emaCurve([1, Number.NaN, 3], 0.5)).toEqual([1, Number.NaN, (0.5 * 0.5 * 1 + 0.5 * 3) / 0.75]);
  });

  it('a constant stays constant (no pull towards 0 at the start)', () => {
    for (const v of emaCurve([0.7, 0.7, 0.7, 0.7], 0.99)) expect(v).toBeCloseTo(0.7, 12);
  });
});

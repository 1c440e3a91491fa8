import { describe, expect, it } from 'vitest';
import type { Series } from '../../shared/runs';
import { PRUNING_STARTUP_TRIALS, isPruned, prunedAt, pruningThresholds } from './median-pruning';

const curve = (...y: number[]): Series => ({
  name: 'trial validation',
  metric: 'validation accuracy',
  key: {},
  x: y.map((_, i) => i),
  y,
});

describe('median pruning', () => {
  it('has no threshold before training, after the last epoch, or where fewer than 5 earlier trials reached', () => {
    expect(PRUNING_STARTUP_TRIALS).toBe(5);
    const earlier = [
      curve(0.1, 0.2, 0.3),
      curve(0.1, 0.4, 0.5),
      curve(0.1, 0.3),
      curve(0.1, 0.5, 0.6),
      curve(0.1, 0.1),
    ];
    expect(pruningThresholds(earlier, 3)).toEqual([null, 0.3, null, null]);
    expect(pruningThresholds(earlier.slice(0, 4), 3)).toEqual([null, null, null, null]);
  });

  it('takes the median (the mean of the middle two for an even count) and leaves diverged values out', () => {
    const earlier = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v) => curve(0, v, v));
    expect(pruningThresholds(earlier, 3)[1]).toBeCloseTo(0.35, 12);
    expect(pruningThresholds([...earlier, curve(0, NaN), undefined], 3)[1]).toBeCloseTo(0.35, 12);
  });

  it('prunes a value strictly below the threshold, and finds where a series was pruned', () => {
    const rule = { metric: 'validation accuracy', below: [null, 0.3, 0.5, null] };
    expect(isPruned(rule, 1, 0.29)).toBe(true);
    expect(isPruned(rule, 1, 0.3)).toBe(false);
    expect(isPruned(rule, 3, 0)).toBe(false);
    expect(prunedAt(rule, curve(0.1, 0.35, 0.4))).toBe(2);
    expect(prunedAt(rule, curve(0.1, 0.35, 0.55, 0.6))).toBeUndefined();
    expect(prunedAt(rule, undefined)).toBeUndefined();
  });
});

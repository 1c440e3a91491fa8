import { describe, expect, it } from 'vitest';
import { CONSTANT_LR, type LrSchedule, lrMultiplier, scheduleOf } from './lr-schedule';

const multipliers = (schedule: LrSchedule, total: number) =>
  Array.from({ length: total }, (_, step) => lrMultiplier(schedule, step, total));

describe('learning-rate schedules', () => {
  it('constant is exactly 1 at every step (the book: golden numbers unchanged)', () => {
    expect(multipliers(CONSTANT_LR, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('step multiplies by the factor every `every` updates (as PyTorch StepLR)', () => {
    expect(multipliers({ kind: 'step', every: 2, factor: 0.5 }, 7)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('exponential reaches the factor after `every` updates, smoothly in between', () => {
    const m = multipliers({ kind: 'exponential', every: 4, factor: 0.5 }, 9);
    expect(m[0]).toBe(1);
    expect(m[4]).toBeCloseTo(0.5, 15);
    expect(m[8]).toBeCloseTo(0.25, 15);
    expect(m[2]).toBeCloseTo(Math.SQRT1_2, 15);
    for (let i = 1; i < m.length; i++) expect(m[i]).toBeLessThan(m[i - 1]!);
  });

  it('cosine goes from 1 at the first update to the factor at the last, halfway at the middle', () => {
    const m = multipliers({ kind: 'cosine', every: 1, factor: 0.1 }, 11);
    expect(m[0]).toBe(1);
    expect(m[10]).toBeCloseTo(0.1, 15);
    expect(m[5]).toBeCloseTo(0.55, 15);
    expect(lrMultiplier({ kind: 'cosine', every: 1, factor: 0.1 }, 0, 1)).toBe(1);
  });

  it("a run's parameters name their schedule as typed fields", () => {
    expect(scheduleOf({ lrSchedule: 'step', lrEvery: 500, lrFactor: 0.5 })).toEqual({
      kind: 'step',
      every: 500,
      factor: 0.5,
    });
  });
});

import { z } from 'zod';

/*
 * Learning-rate schedules: how a net's learning rate changes over its update steps. The book keeps
 * it constant; the others are the usual ones (PyTorch's StepLR, ExponentialLR, CosineAnnealingLR),
 * counted in mini-batch updates. The multiplier applies to each optimizer's own learning rate.
 */

export const LR_SCHEDULES = ['constant', 'step', 'exponential', 'cosine'] as const;
export type LrScheduleKind = (typeof LR_SCHEDULES)[number];

export interface LrSchedule {
  kind: LrScheduleKind;
  /** step: multiply by `factor` every `every` updates; exponential: by `factor` per `every` updates, smoothly. */
  every: number;
  /** step and exponential: the multiplier per `every` updates; cosine: the multiplier at the last update. */
  factor: number;
}

export const CONSTANT_LR: LrSchedule = { kind: 'constant', every: 1, factor: 1 };

/** The learning rate's multiplier at update `step` (0-based) of `totalSteps`. */
export function lrMultiplier(schedule: LrSchedule, step: number, totalSteps: number): number {
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'step':
      return schedule.factor ** Math.floor(step / schedule.every);
    case 'exponential':
      return schedule.factor ** (step / schedule.every);
    case 'cosine': {
      const progress = totalSteps > 1 ? Math.min(step / (totalSteps - 1), 1) : 0;
      return schedule.factor + ((1 - schedule.factor) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}

/** The three parameters that set a schedule, with the book's constant learning rate as their default. */
export const lrScheduleParams = (every: number) => ({
  lrSchedule: z.enum(LR_SCHEDULES).default('constant').meta({ label: 'learning-rate schedule' }),
  lrEvery: z.int().min(1).max(1_000_000).default(every).meta({ label: 'schedule: updates per step' }),
  lrFactor: z.number().gt(0).max(1).default(0.5).meta({ label: 'schedule: factor' }),
});

/** The schedule a run's parameters name. */
export const scheduleOf = (params: { lrSchedule: LrScheduleKind; lrEvery: number; lrFactor: number }): LrSchedule => ({
  kind: params.lrSchedule,
  every: params.lrEvery,
  factor: params.lrFactor,
});

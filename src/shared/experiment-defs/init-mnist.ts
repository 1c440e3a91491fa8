import { z } from 'zod';
import { type WeightInit, bookMnistNetParams, initValueSchema, lrParam, seedParam } from '../params';
import type { ExperimentDefinition } from './definition';

/** A loss series' name for its init: `std=0.01` for a number, `Xavier`, `He` (the book's legend). */
export function initSeriesName(init: WeightInit): string {
  if (typeof init === 'number') return `std=${init}`;
  return init === 'he' ? 'He' : 'Xavier';
}

export const initMnistParams = z
  .object({
    ...bookMnistNetParams(),
    lr: lrParam(0.01),
    inits: z
      .array(initValueSchema)
      .min(1)
      .max(8)
      .refine((list) => new Set(list.map(initSeriesName)).size === list.length, { message: 'each init may appear once' })
      .default([0.01, 'xavier', 'he'])
      .meta({ label: 'weight inits (std, xavier or he)' }),
    seed: seedParam(),
  })
  .strict();
export type InitMnistParams = z.output<typeof initMnistParams>;

/** §4, Fig. 6-15: the same net and batches under three weight scales, trained with SGD. */
export const initMnist = {
  id: 'init-mnist',
  title: 'Weight init on MNIST',
  figure: 'Fig. 6-15',
  summary:
    'The 5-layer ReLU net trained with SGD on the same MNIST mini-batches from std 0.01, Xavier and He weights; the training loss of every iteration is recorded.',
  params: initMnistParams,
  xLabel: 'iteration',
  metrics: ['loss'],
} as const satisfies ExperimentDefinition;

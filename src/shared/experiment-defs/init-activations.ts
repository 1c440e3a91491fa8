import { z } from 'zod';
import { type Activation, activationParam, initParam, seedParam, type WeightInit } from '../params';
import type { ExperimentDefinition } from './definition';

/** The "all at once" grid: every activation with every init of §3 (std 1, std 0.01, Xavier, He). */
export const GRID_ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu'];
export const GRID_INITS: readonly WeightInit[] = [1, 0.01, 'xavier', 'he'];

/** Histogram range: 'unit' is the book's (0, 1); 'full' spans each layer's smallest to largest output. */
export const HISTOGRAM_RANGES = ['unit', 'full'] as const;

export const initActivationsParams = z
  .object({
    activation: activationParam('sigmoid'),
    init: initParam(1),
    grid: z.boolean().default(false).meta({ label: 'all activations x inits (ignores activation and init)' }),
    range: z.enum(HISTOGRAM_RANGES).default('unit').meta({ label: 'histogram range' }),
    bins: z.int().min(1).max(1000).default(30).meta({ label: 'histogram bins' }),
    samples: z.int().min(1).max(10_000).default(1000).meta({ label: 'input samples' }),
    nodes: z.int().min(1).max(1000).default(100).meta({ label: 'units per layer' }),
    layers: z.int().min(1).max(20).default(5).meta({ label: 'hidden layers' }),
    seed: seedParam(),
  })
  .strict();
export type InitActivationsParams = z.output<typeof initActivationsParams>;

/** The name of one layer's histogram series: `<activation>|<init>|layer <k>`, e.g. "sigmoid|0.01|layer 3". */
export const activationSeriesName = (activation: Activation, init: WeightInit, layer: number): string =>
  `${activation}|${init}|layer ${layer}`;

/** summary[<series name>]: one layer's figures: mean and std of its outputs, % saturated (sigmoid) or exactly zero (ReLU), % outside the histogram. */
export interface LayerSummary {
  mean: number;
  std: number;
  saturated: number | null;
  zero: number | null;
  outsideRange: number;
}

/** §3, Fig. 6-10, 6-11, 6-13, 6-14: how the weight scale shapes each layer's activations. */
export const initActivations = {
  id: 'init-activations',
  title: 'Activations under weight init',
  figure: 'Fig. 6-10, 6-11, 6-13, 6-14',
  summary:
    '1,000 standard normal inputs pass through 5 layers of 100 units without biases; one histogram per layer of its outputs, for sigmoid, tanh or ReLU under std 1, std 0.01, Xavier or He.',
  params: initActivationsParams,
  xLabel: 'bin',
  metrics: ['histogram'],
} as const satisfies ExperimentDefinition;

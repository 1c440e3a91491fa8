import { z } from 'zod';
import { batchSizeParam, epochsParam, hiddenParam, lrParam, seedParam, trainSizeParam } from '../params';
import type { ExperimentDefinition } from './definition';

export const batchNormParams = z
  .object({
    trainSize: trainSizeParam(1000),
    hidden: hiddenParam([100, 100, 100, 100, 100]),
    epochs: epochsParam(20),
    batchSize: batchSizeParam(100),
    lr: lrParam(0.01),
    scales: z.int().min(1).max(64).default(16).meta({ label: 'weight scales (init std log-spaced from 1 to 1e-4)' }),
    seed: seedParam(),
  })
  .strict();
export type BatchNormParams = z.output<typeof batchNormParams>;

/** The weight init stds of the sweep: the book's np.logspace(0, -4, scales), from 1 down to 1e-4. */
export function weightScales(scales: number): number[] {
  if (scales === 1) return [1];
  // 1 / 10^e rather than 10^-e: V8 gives 10 ** -4 as 0.00009999999999999999, NumPy gives 0.0001.
  return Array.from({ length: scales }, (_, k) => 1 / 10 ** ((4 * k) / (scales - 1)));
}

/** A std as series names show it: three significant digits, as JSON number text (1, 0.541, 0.0001). */
export function formatScale(std: number): string {
  return JSON.stringify(Number(std.toPrecision(3)));
}

export const batchNormSeriesName = (useBatchNorm: boolean, std: number): string =>
  `${useBatchNorm ? 'Batch Norm' : 'Normal'}|std=${formatScale(std)}`;

/** §5, Fig. 6-18 and 6-19: the same net with and without Batch Normalization, over 16 weight scales. */
export const batchNorm = {
  id: 'batch-norm',
  title: 'Batch Normalization',
  figure: 'Fig. 6-18, 6-19',
  summary:
    'For each of 16 weight-init scales, a 6-layer ReLU net with Batch Norm and one without train side by side on the same mini-batches of the first 1,000 MNIST images; the training accuracy is recorded every epoch.',
  params: batchNormParams,
  xLabel: 'epoch',
  metrics: ['train accuracy'],
} as const satisfies ExperimentDefinition;

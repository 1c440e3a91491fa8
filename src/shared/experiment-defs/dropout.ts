import { z } from 'zod';
import { dropoutRatioParam, seedParam } from '../params';
import { overfittingSetup } from './weight-decay';
import type { ExperimentDefinition } from './definition';

export const dropoutParams = z
  .object({
    ...overfittingSetup(301),
    dropoutRatio: dropoutRatioParam(0.2),
    seed: seedParam(),
  })
  .strict();
export type DropoutParams = z.output<typeof dropoutParams>;

/** `no dropout train`, `dropout 0.2 test`, ...: the accuracy series of the net with dropout `ratio` (0: none). */
export const dropoutSeriesName = (ratio: number, set: 'train' | 'test'): string =>
  `${ratio === 0 ? 'no dropout' : `dropout ${ratio}`} ${set}`;

/** §7, Fig. 6-22 and 6-23: the overfitting net of §6 without and with Dropout. */
export const dropout = {
  id: 'dropout',
  title: 'Dropout',
  figure: 'Fig. 6-22, 6-23',
  summary:
    'The 7-layer ReLU net of the weight-decay experiment learns the first 300 MNIST images without and with Dropout (ratio 0.2), one shuffled pass per epoch; train and test accuracy are recorded every epoch.',
  params: dropoutParams,
  xLabel: 'epoch',
  metrics: ['train accuracy', 'test accuracy'],
} as const satisfies ExperimentDefinition;

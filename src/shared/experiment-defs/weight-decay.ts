import { z } from 'zod';
import { batchSizeParam, epochsParam, hiddenParam, initParam, lambdaParam, lrParam, seedParam, trainSizeParam } from '../params';
import type { ExperimentDefinition } from './definition';

/** The book's overfitting setup (§6, reused by Dropout in §7): 300 images, a 7-layer net of 100 units, SGD lr 0.01. */
export const overfittingSetup = (epochs: number) => ({
  trainSize: trainSizeParam(300),
  hidden: hiddenParam([100, 100, 100, 100, 100, 100]),
  epochs: epochsParam(epochs),
  batchSize: batchSizeParam(100),
  lr: lrParam(0.01),
});

export const weightDecayParams = z
  .object({
    ...overfittingSetup(201),
    lambda: lambdaParam(0.1),
    init: initParam('he'),
    seed: seedParam(),
  })
  .strict();
export type WeightDecayParams = z.output<typeof weightDecayParams>;

/** `λ=0 train`, `λ=0.1 test`, ...: the accuracy series of the net trained with weight decay `lambda`. */
export const weightDecaySeriesName = (lambda: number, set: 'train' | 'test'): string => `λ=${lambda} ${set}`;

/** §6, Fig. 6-20 and 6-21: an overfitting net (300 images, 7 layers) without and with weight decay. */
export const weightDecay = {
  id: 'weight-decay',
  title: 'Overfitting and weight decay',
  figure: 'Fig. 6-20, 6-21',
  summary:
    'A 7-layer ReLU net learns the first 300 MNIST images without weight decay (it overfits) and with λ = 0.1, on the same mini-batches; train and test accuracy are recorded every epoch.',
  params: weightDecayParams,
  xLabel: 'epoch',
  metrics: ['train accuracy', 'test accuracy'],
} as const satisfies ExperimentDefinition;

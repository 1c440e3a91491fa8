import { z } from 'zod';
import { OPTIMIZER_NAMES, defaultOptimizer, optimizerSpec } from '../optimizers';
import {
  activationParam,
  batchSizeParam,
  hiddenParam,
  initParam,
  iterationsParam,
  lambdaParam,
  seedParam,
} from '../params';
import type { ExperimentDefinition } from './definition';

const bookOptimizers = (['SGD', 'Momentum', 'AdaGrad', 'Adam'] as const).map(defaultOptimizer);

export const optimizersMnistParams = z
  .object({
    iterations: iterationsParam(2000),
    batchSize: batchSizeParam(128),
    hidden: hiddenParam([100, 100, 100, 100]),
    activation: activationParam('relu'),
    init: initParam('he'),
    lambda: lambdaParam(0),
    optimizers: z
      .array(optimizerSpec)
      .min(1)
      .max(OPTIMIZER_NAMES.length)
      .refine((list) => new Set(list.map((o) => o.name)).size === list.length, {
        message: 'each optimizer may appear once',
      })
      .default(bookOptimizers)
      .meta({ label: 'optimizers', choices: OPTIMIZER_NAMES }),
    seed: seedParam(),
  })
  .strict();
export type OptimizersMnistParams = z.output<typeof optimizersMnistParams>;

/** §2, Fig. 6-9: the four update rules on the same net and the same mini-batches. */
export const optimizersMnist = {
  id: 'optimizers-mnist',
  title: 'Optimizers on MNIST',
  figure: 'Fig. 6-9',
  summary:
    'SGD, Momentum, AdaGrad and Adam train the same 5-layer ReLU net on the same MNIST mini-batches; the training loss of every iteration is recorded.',
  params: optimizersMnistParams,
  xLabel: 'iteration',
  metrics: ['loss'],
} as const satisfies ExperimentDefinition;

import { z } from 'zod';
import { optimizerListParam, optimizerSpec } from '../optimizers';
import { bookMnistNetParams, initParam, lambdaParam, seedParam } from '../params';
import type { ExperimentDefinition } from './definition';

export const optimizersMnistParams = z
  .object({
    ...bookMnistNetParams(),
    init: initParam('he'),
    lambda: lambdaParam(0),
    optimizers: optimizerListParam(optimizerSpec, ['SGD', 'Momentum', 'AdaGrad', 'Adam']),
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

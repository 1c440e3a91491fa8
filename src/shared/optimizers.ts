import { z } from 'zod';

/** The six update rules of the book's common/optimizer.py, with the book's default hyper-parameters. */
export const OPTIMIZER_NAMES = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

const learningRate = (book: number) =>
  z.number().gt(0).max(100).default(book).meta({ label: 'learning rate', unit: 'lr' });
const decayRate = (book: number, label: string) => z.number().min(0).lt(1).default(book).meta({ label });

export const sgdSpec = z.strictObject({ name: z.literal('SGD'), lr: learningRate(0.01) });
export const momentumSpec = z.strictObject({
  name: z.literal('Momentum'),
  lr: learningRate(0.01),
  momentum: decayRate(0.9, 'momentum'),
});
export const nesterovSpec = z.strictObject({
  name: z.literal('Nesterov'),
  lr: learningRate(0.01),
  momentum: decayRate(0.9, 'momentum'),
});
export const adaGradSpec = z.strictObject({ name: z.literal('AdaGrad'), lr: learningRate(0.01) });
export const rmspropSpec = z.strictObject({
  name: z.literal('RMSprop'),
  lr: learningRate(0.01),
  decayRate: decayRate(0.99, 'decay rate'),
});
export const adamSpec = z.strictObject({
  name: z.literal('Adam'),
  lr: learningRate(0.001),
  beta1: decayRate(0.9, 'beta1'),
  beta2: decayRate(0.999, 'beta2'),
});

const optimizerObject = z.discriminatedUnion('name', [
  sgdSpec,
  momentumSpec,
  nesterovSpec,
  adaGradSpec,
  rmspropSpec,
  adamSpec,
]);

/** An optimizer with its hyper-parameters; a bare name ("Adam") stands for the book's defaults. */
export const optimizerSpec = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  optimizerObject,
);
export type OptimizerSpec = z.output<typeof optimizerObject>;

export function defaultOptimizer(name: OptimizerName): OptimizerSpec {
  return optimizerSpec.parse(name);
}

/** The hyper-parameter names of one optimizer besides its name, in the order the book lists them. */
export function optimizerHyperParameters(spec: OptimizerSpec): [string, number][] {
  return Object.entries(spec).filter((entry): entry is [string, number] => entry[0] !== 'name');
}

import { z } from 'zod';

/** The six update rules of the book's common/optimizer.py, with the book's default hyper-parameters. */
export const OPTIMIZER_NAMES = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

const learningRate = (book: number) =>
  z.number().gt(0).max(100).default(book).meta({ label: 'learning rate', unit: 'lr' });
const decayRate = (book: number, label: string) => z.number().min(0).lt(1).default(book).meta({ label });

/** The book's default learning rate of each optimizer (common/optimizer.py). */
const BOOK_LEARNING_RATES: Record<OptimizerName, number> = {
  SGD: 0.01,
  Momentum: 0.01,
  Nesterov: 0.01,
  AdaGrad: 0.01,
  RMSprop: 0.01,
  Adam: 0.001,
};

/** The six optimizers' schemas, each with the given default learning rate and the book's other defaults. */
function optimizerObjects(lr: Record<OptimizerName, number>) {
  return z.discriminatedUnion('name', [
    z.strictObject({ name: z.literal('SGD'), lr: learningRate(lr.SGD) }),
    z.strictObject({
      name: z.literal('Momentum'),
      lr: learningRate(lr.Momentum),
      momentum: decayRate(0.9, 'momentum'),
    }),
    z.strictObject({
      name: z.literal('Nesterov'),
      lr: learningRate(lr.Nesterov),
      momentum: decayRate(0.9, 'momentum'),
    }),
    z.strictObject({ name: z.literal('AdaGrad'), lr: learningRate(lr.AdaGrad) }),
    z.strictObject({
      name: z.literal('RMSprop'),
      lr: learningRate(lr.RMSprop),
      decayRate: decayRate(0.99, 'decay rate'),
    }),
    z.strictObject({
      name: z.literal('Adam'),
      lr: learningRate(lr.Adam),
      beta1: decayRate(0.9, 'beta1'),
      beta2: decayRate(0.999, 'beta2'),
    }),
  ]);
}

/**
 * An optimizer with its hyper-parameters, where a bare name ("Adam") stands for the defaults; the
 * default learning rates are the book's unless `learningRates` names others (the toy function of
 * Fig. 6-8 has its own).
 */
export function optimizerSpecWith(learningRates: Partial<Record<OptimizerName, number>>) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? { name: value } : value),
    optimizerObjects({ ...BOOK_LEARNING_RATES, ...learningRates }),
  );
}

/** An optimizer with its hyper-parameters; a bare name ("Adam") stands for the book's defaults. */
export const optimizerSpec = optimizerSpecWith({});
export type OptimizerSpecSchema = typeof optimizerSpec;
export type OptimizerSpec = z.output<OptimizerSpecSchema>;

export function defaultOptimizer(name: OptimizerName): OptimizerSpec {
  return optimizerSpec.parse(name);
}

/** A parameter listing distinct optimizers (each at most once), by default `defaults` as `spec` completes them. */
export function optimizerListParam(spec: OptimizerSpecSchema, defaults: readonly OptimizerName[]) {
  return z
    .array(spec)
    .min(1)
    .max(OPTIMIZER_NAMES.length)
    .refine((list) => new Set(list.map((o) => o.name)).size === list.length, {
      message: 'each optimizer may appear once',
    })
    .default(defaults.map((name) => spec.parse(name)))
    .meta({ label: 'optimizers', choices: OPTIMIZER_NAMES });
}

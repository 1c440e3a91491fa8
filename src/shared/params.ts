import { z } from 'zod';

/** Parameter building blocks shared by every experiment, so one name always means one thing. */

export const seedParam = () => z.int().min(0).max(4294967295).default(1).meta({ label: 'random seed' });

export const iterationsParam = (book: number) =>
  z.int().min(1).max(1_000_000).default(book).meta({ label: 'iterations' });

export const epochsParam = (book: number) => z.int().min(1).max(10_000).default(book).meta({ label: 'epochs' });

export const batchSizeParam = (book: number) => z.int().min(1).max(60_000).default(book).meta({ label: 'batch size' });

export const hiddenParam = (book: number[]) =>
  z.array(z.int().min(1).max(4096)).min(1).max(16).default(book).meta({ label: 'hidden layer sizes' });

export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const activationParam = (book: Activation) => z.enum(ACTIVATIONS).default(book).meta({ label: 'activation' });

/** Weight init: a number is the standard deviation; 'xavier' is sqrt(1/fan_in), 'he' is sqrt(2/fan_in). */
export const INIT_NAMES = ['he', 'xavier'] as const;
export const initSchema = z.union([z.number().gt(0).max(100), z.enum(INIT_NAMES)]);
export type WeightInit = z.output<typeof initSchema>;
/** One weight init, where a number may also come as text ("0.01", from a form or the command line). */
export const initValueSchema = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v),
  initSchema,
);
export const initParam = (book: WeightInit) =>
  initValueSchema.default(book).meta({ label: 'weight init (std, xavier or he)' });

export const lambdaParam = (book: number) => z.number().min(0).max(10).default(book).meta({ label: 'weight decay λ' });

/** How many training images an experiment uses: the first N of the training set (the book's x_train[:N]). */
export const trainSizeParam = (book: number) =>
  z.int().min(1).max(60_000).default(book).meta({ label: 'training images (the first N)' });

export const lrParam = (book: number) => z.number().gt(0).max(100).default(book).meta({ label: 'learning rate' });

export const dropoutRatioParam = (book: number) =>
  z.number().min(0).lt(1).default(book).meta({ label: 'dropout ratio' });

/** The book's MNIST setup that Fig. 6-9 and Fig. 6-15 share: 2,000 iterations of 128 on 784-[100 x 4]-10, ReLU. */
export const bookMnistNetParams = () => ({
  iterations: iterationsParam(2000),
  batchSize: batchSizeParam(128),
  hidden: hiddenParam([100, 100, 100, 100]),
  activation: activationParam('relu'),
});

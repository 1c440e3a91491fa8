import { z } from 'zod';
import { batchSizeParam, epochsParam, hiddenParam, seedParam, trainSizeParam } from '../params';
import type { ExperimentDefinition } from './definition';

/** One end of a log-uniform sampling range (the search draws 10^U(log10 min, log10 max)). */
const rangeEnd = (book: number, max: number, label: string) => z.number().gt(0).max(max).default(book).meta({ label });

export const hyperparameterSearchParams = z
  .object({
    trials: z.int().min(1).max(1000).default(100).meta({ label: 'trials' }),
    epochs: epochsParam(50),
    trainSize: trainSizeParam(500),
    validationSplit: z.number().gt(0).lt(1).default(0.2).meta({ label: 'validation share of the training images' }),
    batchSize: batchSizeParam(100),
    hidden: hiddenParam([100, 100, 100, 100, 100, 100]),
    lrMin: rangeEnd(1e-6, 100, 'lowest learning rate'),
    lrMax: rangeEnd(1e-2, 100, 'highest learning rate'),
    weightDecayMin: rangeEnd(1e-8, 10, 'lowest weight decay'),
    weightDecayMax: rangeEnd(1e-4, 10, 'highest weight decay'),
    seed: seedParam(),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const name of ['lr', 'weightDecay'] as const) {
      const [min, max] = [params[`${name}Min`], params[`${name}Max`]];
      if (min >= max) ctx.addIssue({ code: 'custom', path: [`${name}Min`], message: `${name}Min (${min}) must be below ${name}Max (${max})` });
    }
    const { validation, train } = validationSplitSizes(params.trainSize, params.validationSplit);
    if (validation < 1 || train < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['validationSplit'],
        message: `${params.validationSplit} of ${params.trainSize} images leaves ${validation} for validation and ${train} for training; both need at least 1`,
      });
    }
  });
export type HyperparameterSearchParams = z.output<typeof hyperparameterSearchParams>;

/** The book's split: int(trainSize * validationSplit) images for validation, the rest for training. */
export function validationSplitSizes(trainSize: number, validationSplit: number): { validation: number; train: number } {
  const validation = Math.floor(trainSize * validationSplit);
  return { validation, train: trainSize - validation };
}

/** `trial 7 train`, `trial 7 validation`: trial k's (1-based) accuracy per epoch. */
export const trialSeriesName = (trial: number, set: 'train' | 'validation'): string => `trial ${trial} ${set}`;

/** The hyper-parameters one trial trains with. */
export interface TrialHyperparameters {
  lr: number;
  weightDecay: number;
}

/**
 * The log line that names a trial's sampled values as it starts, parsed by live views:
 * `trial 7 | lr:0.009234, weight decay:3.81e-7` (numbers in full precision).
 */
export const trialStartLine = (trial: number, { lr, weightDecay }: TrialHyperparameters): string =>
  `trial ${trial} | lr:${lr}, weight decay:${weightDecay}`;

/** A number as Python's str() prints it after rounding to `digits` significant digits: 0.0092, 3.8e-07. */
export function pythonFloat(value: number, digits = 2): string {
  const rounded = Number(value.toPrecision(digits));
  if (Number.isInteger(rounded)) return rounded.toFixed(1);
  if (Math.abs(rounded) >= 1e-4) return String(rounded);
  const [mantissa, exponent] = rounded.toExponential().split('e') as [string, string];
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}

/** The book's ranking line for the trial in place `rank` (1-based): `Best-1(val acc:0.83) | lr:0.0092, weight decay:3.8e-07`. */
export const bestTrialLine = (rank: number, trial: TrialHyperparameters & { validationAccuracy: number }): string =>
  `Best-${rank}(val acc:${pythonFloat(trial.validationAccuracy)}) | lr:${pythonFloat(trial.lr)}, weight decay:${pythonFloat(trial.weightDecay)}`;

/** §8, Fig. 6-24: random search of learning rate and weight decay, judged on validation images. */
export const hyperparameterSearch = {
  id: 'hyperparameter-search',
  title: 'Hyper-parameter search',
  figure: 'Fig. 6-24',
  summary:
    'Each of 100 trials samples a learning rate in 1e-6..1e-2 and a weight decay in 1e-8..1e-4 (log-uniform) and trains a 7-layer ReLU net with SGD for 50 epochs on 400 of the first 500 MNIST training images; the other 100 are the validation set. Trials are ranked by their final validation accuracy.',
  params: hyperparameterSearchParams,
  xLabel: 'epoch',
  metrics: ['train accuracy', 'validation accuracy'],
} as const satisfies ExperimentDefinition;

import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { defaultOptimizer, optimizerSpec } from '../optimizers';
import { lrScheduleParams } from '../lr-schedule';
import {
  activationParam,
  batchSizeParam,
  dropoutRatioParam,
  epochsParam,
  hiddenParam,
  initParam,
  iterationsParam,
  lambdaParam,
  seedParam,
} from '../params';
import { type Metric, type SeriesId, accuracyMetric } from '../series';

/*
 * The workbench's parameters: up to eight variants, each a whole recipe of the chapter's parts, and
 * the settings they share (the images, the batches, how long, what is measured, the seeds).
 */

/** One variant: a net and how it is trained, named by the learner. */
export const recipeSchema = z
  .object({
    name: z.string().trim().min(1).max(40).meta({ label: 'name' }),
    hidden: hiddenParam([100, 100, 100, 100]),
    activation: activationParam('relu'),
    init: initParam('he'),
    batchNorm: z.boolean().default(false).meta({ label: 'Batch Norm' }),
    dropoutRatio: dropoutRatioParam(0),
    lambda: lambdaParam(0),
    optimizer: optimizerSpec.default(() => defaultOptimizer('SGD')).meta({ label: 'optimizer' }),
    ...lrScheduleParams(500),
  })
  .strict();
export type Recipe = z.output<typeof recipeSchema>;

export const MAX_VARIANTS = 8;
export const MAX_SEEDS = 10;

/** A variant with the given fields, the rest at their defaults (ReLU, He, SGD 0.01, no regularisation). */
export const recipe = (fields: z.input<typeof recipeSchema>): Recipe => recipeSchema.parse(fields);

export const TRAIN_IMAGE_CHOICES = ['first', 'random'] as const;
export const BATCH_ORDERS = ['random', 'shuffle'] as const;
export const LENGTH_UNITS = ['epochs', 'iterations'] as const;
export const EVALUATIONS = ['test', 'validation', 'none'] as const;
export type Evaluation = (typeof EVALUATIONS)[number];

export const workbenchParams = z
  .object({
    variants: z
      .array(recipeSchema)
      .min(1)
      .max(MAX_VARIANTS)
      .refine((list) => new Set(list.map((v) => v.name)).size === list.length, {
        message: 'each variant needs a name of its own',
      })
      .default(() => [recipe({ name: 'plain' }), recipe({ name: 'Batch Norm', batchNorm: true })])
      .meta({ label: 'variants' }),
    trainSize: z.int().min(1).max(60_000).default(1000).meta({ label: 'training images' }),
    trainImages: z.enum(TRAIN_IMAGE_CHOICES).default('first').meta({ label: 'which training images' }),
    batchSize: batchSizeParam(100),
    batchOrder: z.enum(BATCH_ORDERS).default('shuffle').meta({ label: 'mini-batches' }),
    length: z.enum(LENGTH_UNITS).default('epochs').meta({ label: 'train for' }),
    epochs: epochsParam(20),
    iterations: iterationsParam(2000),
    evaluation: z.enum(EVALUATIONS).default('test').meta({ label: 'evaluate on' }),
    validationShare: z.number().min(0.01).max(0.9).default(0.2).meta({ label: 'validation share' }),
    seeds: z.int().min(1).max(MAX_SEEDS).default(3).meta({ label: 'seeds per variant' }),
    sameStartWeights: z.boolean().default(true).meta({ label: 'same starting weights for every variant' }),
    insideEvery: insideEveryParam(),
    seed: seedParam(),
  })
  .strict()
  .refine((p) => p.evaluation !== 'validation' || splitSizes(p).train >= 1, {
    message: 'a validation share leaves no training image',
    path: ['validationShare'],
  })
  .refine((p) => p.evaluation !== 'validation' || splitSizes(p).validation >= 1, {
    message: 'a validation share this small holds no image',
    path: ['validationShare'],
  });
export type WorkbenchParams = z.output<typeof workbenchParams>;

/** The images the nets learn from and those held out to validate on (none unless evaluation is 'validation'). */
export function splitSizes(p: { trainSize: number; evaluation: Evaluation; validationShare: number }): {
  train: number;
  validation: number;
} {
  const validation = p.evaluation === 'validation' ? Math.round(p.trainSize * p.validationShare) : 0;
  return { train: p.trainSize - validation, validation };
}

/** The book's iter_per_epoch, rounded up (engine/experiments/epoch-nets.ts iterationsPerEpoch). */
const iterationsPerEpoch = (trainSize: number, batchSize: number) => Math.max(Math.ceil(trainSize / batchSize), 1);

/** The updates every net makes. */
export function updatesOf(p: WorkbenchParams): number {
  return p.length === 'iterations' ? p.iterations : p.epochs * iterationsPerEpoch(splitSizes(p).train, p.batchSize);
}

/** The epochs those updates span, the last one maybe cut short (accuracies are measured after whole ones). */
export function epochsOf(p: WorkbenchParams): number {
  return Math.ceil(updatesOf(p) / iterationsPerEpoch(splitSizes(p).train, p.batchSize));
}

/** The metric of the second accuracy, or null when nothing but the loss is measured. */
export function evaluationMetric(evaluation: Evaluation): Metric | null {
  return evaluation === 'none' ? null : accuracyMetric(evaluation);
}

/** The seed of repeat `replicate` (1-based): the run's seed, then the next ones. */
export const replicateSeed = (seed: number, replicate: number): number => seed + replicate - 1;

/** What the workbench's series of `metric` are measured on: the loss on the training mini-batches. */
const splitOf = (metric: Metric): 'train' | 'test' | 'validation' =>
  metric === 'loss' ? 'train' : (metric.replace(' accuracy', '') as 'train' | 'test' | 'validation');

/**
 * A series of one variant in one seeded repeat: `Batch Norm · seed 2` (its loss per update),
 * `Batch Norm · train · seed 2` (an accuracy per epoch).
 */
export function workbenchSeries(variant: string, replicate: number, seed: number, metric: Metric): SeriesId {
  return {
    name: `${drawnName(variant, metric)} · seed ${seed}`,
    metric,
    key: { variant, replicate, split: splitOf(metric) },
  };
}

/** The name of a variant's curve of `metric` over its seeds: `Batch Norm` (loss), `Batch Norm · train`. */
export const drawnName = (variant: string, metric: Metric): string =>
  metric === 'loss' ? variant : `${variant} · ${splitOf(metric)}`;

import { z } from 'zod';
import { OPTIMIZER_NAMES } from './optimizers';
import { ACTIVATIONS, initSchema } from './params';

/**
 * What a series is, as typed fields beside its display name: charts, summaries and the command line
 * select series by these, never by reading the name. Each experiment sets the fields it varies.
 */
export const SPLITS = ['train', 'test', 'validation'] as const;
export type Split = (typeof SPLITS)[number];

export const seriesKeySchema = z
  .object({
    /** The update rule (optimizer paths, optimizers on MNIST). */
    optimizer: z.enum(OPTIMIZER_NAMES).optional(),
    /** The weight init: a std, 'xavier' or 'he' (activation histograms, init on MNIST). */
    init: initSchema.optional(),
    activation: z.enum(ACTIVATIONS).optional(),
    /** The hidden layer, 1-based (activation histograms). */
    layer: z.int().min(1).optional(),
    /** With Batch Normalization or the plain net (Batch Norm). */
    batchNorm: z.boolean().optional(),
    /** The std of the initial weights of the Batch Norm sweep. */
    scale: z.number().optional(),
    /** The weight decay λ (weight decay; 0 is none). */
    lambda: z.number().optional(),
    /** The dropout ratio (dropout; 0 is none). */
    dropoutRatio: z.number().optional(),
    /** Which images an accuracy is measured on. */
    split: z.enum(SPLITS).optional(),
    /** The search trial, 1-based, with the hyper-parameters it sampled. */
    trial: z.int().min(1).optional(),
    lr: z.number().optional(),
    weightDecay: z.number().optional(),
    /** A search trial's hidden layers when it searched them (`searchAlso`): their width and number. */
    hiddenSize: z.int().min(1).optional(),
    hiddenLayers: z.int().min(1).optional(),
    /** The workbench's variant, by its name, and which of its seeded repeats (1-based). */
    variant: z.string().optional(),
    replicate: z.int().min(1).optional(),
  })
  .strict();
export type SeriesKey = z.output<typeof seriesKeySchema>;

export const METRICS = ['loss', 'train accuracy', 'test accuracy', 'validation accuracy', 'histogram', 'path'] as const;
export type Metric = (typeof METRICS)[number];

/** A series as the engine declares it: its display name (unique in a run), what it measures and what it is. */
export interface SeriesId {
  name: string;
  metric: Metric;
  key: SeriesKey;
}

/** The accuracy metric of a split. */
export const accuracyMetric = (split: Split): Metric => `${split} accuracy`;

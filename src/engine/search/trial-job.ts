import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Dataset } from '../data/mnist';
import { hyperparameterSearchParams } from '../../shared/slots/hyperparameter-search';
import { searchedValuesSchema } from '../../shared/searchable';
import type { MemberValue } from '../experiments/types';

/*
 * A search trial as a job on a queue (issue #20): what the searching process puts on it, what a worker
 * streams back while it trains the trial, and what it returns at the end. Both sides parse what they
 * receive with these schemas: a queue is shared, and a job may come from another version of the lab.
 */

/** The queue every lab worker takes trials from (Redis keys `bull:dlfs-lab-trials:*`). */
export const TRIAL_QUEUE_NAME = 'dlfs-lab-trials';

export const trialJobSchema = z.object({
  /** The search the trial belongs to: a fresh id per searching run. */
  search: z.string().min(1).max(100),
  /** The trial's number in its search (1-based): it picks the trial's initial weights, as in-process. */
  trial: z.int().min(1).max(1000),
  params: hyperparameterSearchParams,
  hyperparameters: z.object({
    lr: z.number().positive(),
    weightDecay: z.number().min(0),
    also: searchedValuesSchema.optional(),
  }),
  /** The round's median pruning (a search with pruning on, from its second round). */
  prune: z.object({ metric: z.string().max(100), below: z.array(z.number().nullable()).max(10_001) }).optional(),
  /** The dataset the search runs on (`datasetFingerprint`): a worker with other images refuses the trial. */
  dataset: z.string().length(64),
});
export type TrialJob = z.output<typeof trialJobSchema>;

/** NaN and ±Infinity (a diverging trial) do not survive JSON: they travel as strings (`encodeValue`). */
const NON_FINITE = ['NaN', 'Infinity', '-Infinity'] as const;
const memberValueSchema = z.object({
  member: z.int().min(0),
  step: z.int().min(0),
  metric: z.string().min(1).max(100),
  value: z.union([z.number(), z.enum(NON_FINITE).transform(Number)]),
});

export const encodeValue = (value: MemberValue) =>
  Number.isFinite(value.value) ? value : { ...value, value: String(value.value) as (typeof NON_FINITE)[number] };

/** The worker that trains a trial: `host:pid` unless named with `lab worker --name`. */
const workerNameSchema = z.string().min(1).max(200);

/** A worker's report while it trains: the values since its last report, and its member-batches so far. */
export const trialProgressSchema = z.object({
  worker: workerNameSchema,
  /** Member-batches this attempt has trained (a retried trial starts again from 0). */
  batches: z.int().min(0),
  values: z.array(memberValueSchema),
});
export type TrialProgress = z.output<typeof trialProgressSchema>;
/** A report as the worker sends it (non-finite values as strings). */
export type TrialProgressMessage = z.input<typeof trialProgressSchema>;

/** What a finished trial returns: every value it reported (the searcher records those it missed). */
export const trialOutcomeSchema = z.object({ worker: workerNameSchema, values: z.array(memberValueSchema) });
export type TrialOutcome = z.output<typeof trialOutcomeSchema>;
export type TrialOutcomeMessage = z.input<typeof trialOutcomeSchema>;

/** A short, stable name for a dataset's contents: the SHA-256 of its labels and image counts. */
export function datasetFingerprint(dataset: Dataset): string {
  const hash = createHash('sha256');
  for (const split of [dataset.train, dataset.test]) {
    hash.update(`${split.count}x${split.pixels};`);
    hash.update(split.labels);
  }
  return hash.digest('hex');
}

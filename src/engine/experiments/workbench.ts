// The workbench: the learner's own comparison of recipes built from the chapter's parts.
import { scheduleOf } from '../../shared/lr-schedule';
import {
  type Recipe,
  type WorkbenchParams,
  epochsOf,
  evaluationMetric,
  replicateSeed,
  splitSizes,
  workbenchSeries,
} from '../../shared/slots/workbench';
import type { Metric } from '../../shared/series';
import type { RowSelection } from '../data/row-selection';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';
import { type EpochJob, type EpochNetMember, TRAIN_ACCURACY } from './epoch-nets';
import { epochSteps, keeping, runEpochSeries } from './epoch-series';

/** MNIST's (and Fashion-MNIST's) training images. */
const TRAIN_IMAGES = 60_000;

/** The book prints a net's loss every 100 iterations. */
const LOG_EVERY = 100;

/**
 * The images the nets learn from, and those they are validated on: the first N training images or a
 * random N; with a validation share, a shuffle of those N puts the share aside (as the search does).
 */
export function workbenchRows(params: WorkbenchParams): { train: RowSelection; validation?: RowSelection } {
  const sizes = splitSizes(params);
  const taken =
    params.trainImages === 'random'
      ? Array.from(new Random(params.seed, RandomStream.workbenchImages).permutation(TRAIN_IMAGES)).slice(
          0,
          params.trainSize,
        )
      : null;
  if (sizes.validation === 0) {
    if (taken) return { train: { indices: taken } };
    return { train: params.trainSize >= TRAIN_IMAGES ? 'all' : { first: params.trainSize } };
  }
  const rows = taken ?? Array.from({ length: params.trainSize }, (_, i) => i);
  const order = new Random(params.seed, RandomStream.validationSplit).permutation(rows.length);
  const shuffled = Array.from(order, (i) => rows[i]!);
  return {
    validation: { indices: shuffled.slice(0, sizes.validation) },
    train: { indices: shuffled.slice(sizes.validation) },
  };
}

/** A variant as the trainer's net member. */
function memberOf(recipe: Recipe, sameStartWeights: boolean): EpochNetMember {
  return {
    hidden: recipe.hidden,
    activation: recipe.activation,
    init: recipe.init,
    lambda: recipe.lambda,
    optimizer: recipe.optimizer,
    schedule: scheduleOf(recipe),
    useBatchNorm: recipe.batchNorm,
    dropoutRatio: recipe.dropoutRatio,
    ...(sameStartWeights ? { weightsFrom: 0 } : {}),
  };
}

/**
 * The job of repeat `replicate` (1-based): every variant on the same mini-batches, drawn (like the
 * starting weights and dropout masks) from that repeat's seed, so the repeats differ in all three.
 */
export function workbenchJob(params: WorkbenchParams, replicate: number): EpochJob {
  const rows = workbenchRows(params);
  const metric = evaluationMetric(params.evaluation);
  return {
    epochs: epochsOf(params),
    ...(params.length === 'iterations' ? { iterations: params.iterations } : {}),
    batchSize: params.batchSize,
    batches: params.batchOrder,
    seed: replicateSeed(params.seed, replicate),
    train: rows.train,
    ...(metric === 'test accuracy' ? { evaluation: { split: 'test', rows: 'all', metric } } : {}),
    ...(metric === 'validation accuracy' && rows.validation
      ? { evaluation: { split: 'train', rows: rows.validation, metric } }
      : {}),
    members: params.variants.map((v) => memberOf(v, params.sameStartWeights)),
    reportLoss: true,
    measureAccuracy: metric !== null,
  };
}

const metricsOf = (params: WorkbenchParams): Metric[] => {
  const evaluation = evaluationMetric(params.evaluation);
  return evaluation ? ['loss', TRAIN_ACCURACY, evaluation] : ['loss'];
};

/** Mean, lowest and highest of some finals (null when there are none). */
function spreadOf(values: number[]): { mean: number; min: number; max: number } | null {
  if (values.length === 0) return null;
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Per variant: per metric the final values' mean, lowest and highest over the seeds, and the seeds that diverged. */
function workbenchSummary(params: WorkbenchParams, context: ExperimentContext): Record<string, unknown> {
  const { reporter } = context;
  const summary: Record<string, unknown> = {};
  for (const variant of params.variants) {
    const entry: Record<string, unknown> = {};
    const diverged: number[] = [];
    for (const metric of metricsOf(params)) {
      const finals: number[] = [];
      for (let r = 1; r <= params.seeds; r++) {
        const series = reporter.seriesOf(workbenchSeries(variant.name, r, replicateSeed(params.seed, r), metric));
        if (series?.divergedAt !== undefined) {
          if (metric === 'loss') diverged.push(replicateSeed(params.seed, r));
          continue;
        }
        const last = series?.y.at(-1);
        if (last !== undefined) finals.push(last);
      }
      entry[metric === 'loss' ? 'finalLoss' : `final ${metric}`] = spreadOf(finals);
    }
    summary[variant.name] = {
      ...entry,
      seeds: params.seeds,
      ...(diverged.length > 0 ? { divergedSeeds: diverged } : {}),
    };
  }
  return summary;
}

async function run(params: WorkbenchParams, context: ExperimentContext): Promise<ExperimentResult> {
  const { reporter } = context;
  const metrics = metricsOf(params);
  for (const variant of params.variants)
    for (let r = 1; r <= params.seeds; r++)
      for (const metric of metrics)
        reporter.declare(workbenchSeries(variant.name, r, replicateSeed(params.seed, r), metric));

  const { keepNets, insideEvery } = keeping(context, workbenchJob(params, 1), params.seeds);
  for (let r = 1; r <= params.seeds && !context.signal.aborted; r++) {
    const seed = replicateSeed(params.seed, r);
    const job = { ...workbenchJob(params, r), keepNets, insideEvery };
    const seriesOf = (member: number, metric: string) =>
      workbenchSeries(params.variants[member]!.name, r, seed, metric as Metric);
    reporter.log(`seed ${seed} (${r} of ${params.seeds}): ${params.variants.map((v) => v.name).join(', ')}`);
    await runEpochSeries(context, job, seriesOf, {
      logPoints: false,
      progressStart: (r - 1) * epochSteps(job),
      netLabel: (member) => `${params.variants[member]!.name} · seed ${seed}`,
      // Variant by variant, each variant's seeds in order.
      netOrder: (member) => member * params.seeds + r - 1,
      onValue: ({ member, step, metric, value }) => {
        if (!Number.isFinite(value)) return;
        const name = seriesOf(member, metric).name;
        if (metric !== 'loss') reporter.log(`epoch ${step}  ${name}: ${value.toFixed(4)}`);
        else if (step % LOG_EVERY === 0) reporter.log(`iteration ${step}  ${name}: ${value.toFixed(4)}`);
      },
    });
  }
  return { summary: workbenchSummary(params, context) };
}

export const workbench: ExperimentModule<WorkbenchParams> = {
  run,
  totalSteps: (params) => params.seeds * epochSteps(workbenchJob(params, 1)),
};

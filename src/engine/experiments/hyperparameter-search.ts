// Reproduces the book's ch06/hyperparameter_optimization.py (§6.5.3, Fig. 6-24).
import { type TrialHyperparameters, alsoSuffix, bestTrialLine } from '../../shared/book-format';
import {
  type HyperparameterSearchParams,
  trialSeries,
  trialStartLine,
  validationSplitSizes,
} from '../../shared/slots/hyperparameter-search';
import type { Series } from '../../shared/runs';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';
import { type EpochJob, type EvaluationMetric, TRAIN_ACCURACY } from './epoch-nets';
import { trialMember } from './search-trial';
import { heaviestValues, searchedValuesAt } from '../../shared/searchable';
import { finalAccuracy, keeping, memberUpdates, runEpochSeries } from './epoch-series';
import type { MemberValue } from './members';
import { createSampler } from '../search/samplers';
import { datasetFingerprint } from '../search/trial-job';
import type { QueuedTrialCallbacks, TrialQueue } from '../search/trial-queue';
import { randomUUID } from 'node:crypto';
import { PRUNING_ROUND_SIZE, type PruneRule, isPruned, prunedAt, pruningThresholds } from '../search/median-pruning';
import type { ShardCallbacks } from './members';
import { type Sampler, type SearchDimension, type UnitPoint, valueAt } from '../search/search-space';

const VALIDATION_ACCURACY: EvaluationMetric = 'validation accuracy';

/**
 * Trials a thread trains side by side: they share the preparation of every batch, and still finish a
 * few at a time while the search runs.
 */
const TRIALS_SIDE_BY_SIDE = 5;

/** The book's best-trials table and figure: the top 20. */
const TABLE_ROWS = 20;

/**
 * The searched parameters, in the order the book draws them: weight decay, then lr (both log-uniform);
 * then `searchAlso`'s ranges, whose unit positions rangeValueAt maps to their values.
 */
export function searchDimensions(params: HyperparameterSearchParams): SearchDimension[] {
  return [
    { name: 'weightDecay', min: params.weightDecayMin, max: params.weightDecayMax, scale: 'log' },
    { name: 'lr', min: params.lrMin, max: params.lrMax, scale: 'log' },
    ...params.searchAlso.map((range): SearchDimension => ({ name: range.param, min: 0, max: 1, scale: 'linear' })),
  ];
}

function trialAt(params: HyperparameterSearchParams, point: UnitPoint): TrialHyperparameters {
  const [weightDecay, lr] = searchDimensions(params).map((dimension, d) => valueAt(dimension, point[d]!));
  const also = params.searchAlso.length > 0 ? { also: searchedValuesAt(params.searchAlso, point.slice(2)) } : {};
  return { lr: lr!, weightDecay: weightDecay!, ...also };
}

/** The search's sampler (params.sampler), drawing from the seed's trial-sampling stream. */
function samplerOf(params: HyperparameterSearchParams): Sampler {
  const random = new Random(params.seed, RandomStream.trialSampling);
  return createSampler(params.sampler, searchDimensions(params), params.trials, random);
}

/**
 * Every trial's learning rate and weight decay, in trial order, for a sampler that proposes them all
 * before any result (random: the book's 10^U(log10 min, log10 max); grid). TPE proposes from results.
 */
export function sampleTrials(params: HyperparameterSearchParams): TrialHyperparameters[] {
  const sampler = samplerOf(params);
  if (sampler.roundSize < params.trials) throw new Error(`the ${params.sampler} sampler proposes from results`);
  return Array.from({ length: params.trials }, () => trialAt(params, sampler.ask()));
}

/**
 * The book's split: the first `trainSize` training images, shuffled; the first int(trainSize *
 * validationSplit) of them are the validation set, the rest are learned from. Row indices into the
 * training split; the test split is never touched.
 */
export function splitTrainingImages(params: HyperparameterSearchParams): { train: number[]; validation: number[] } {
  const order = Array.from(new Random(params.seed, RandomStream.validationSplit).permutation(params.trainSize));
  const { validation } = validationSplitSizes(params.trainSize, params.validationSplit);
  return { validation: order.slice(0, validation), train: order.slice(validation) };
}

/**
 * One net per trial (the book's MultiLayerNet: ReLU, He init, SGD), trained a few at a time per thread, with
 * a fresh shuffle every epoch. `firstTrial`: the trials' place in the search (a round of TPE's), which
 * picks their initial weights, so a trial starts alike in whichever round it runs.
 */
export function searchJob(
  params: HyperparameterSearchParams,
  trials: readonly TrialHyperparameters[],
  firstTrial = 0,
  prune?: PruneRule,
): EpochJob {
  const rows = splitTrainingImages(params);
  return {
    ...(prune ? { prune } : {}),
    epochs: params.epochs,
    batchSize: params.batchSize,
    seed: params.seed,
    batches: 'shuffle',
    groupSize: TRIALS_SIDE_BY_SIDE,
    train: { indices: rows.train },
    evaluation: { split: 'train', rows: { indices: rows.validation }, metric: VALIDATION_ACCURACY },
    members: trials.map((trial, i) =>
      trialMember(params, trial, firstTrial > 0 ? { weightsFrom: firstTrial + i } : {}),
    ),
  };
}

/**
 * What the run keeps (nets, insides) is planned once for every trial, as if each were the heaviest the
 * ranges allow (every trial's net has the same shape when it searches lr and weight decay alone).
 */
function keptForEveryTrial(context: ExperimentContext, params: HyperparameterSearchParams) {
  const anyTrial = { lr: params.lrMax, weightDecay: params.weightDecayMax, also: heaviestValues(params.searchAlso) };
  const { keepNets, insideEvery } = keeping(context, searchJob(params, Array(params.trials).fill(anyTrial)));
  return { ...(keepNets ? { keepNets } : {}), ...(insideEvery !== undefined ? { insideEvery } : {}) };
}

const seriesOf = (trials: readonly TrialHyperparameters[], member: number, metric: string) =>
  trialSeries(member + 1, metric === TRAIN_ACCURACY ? 'train' : 'validation', trials[member]!);

/**
 * The log line of a trial that has ended: the book's "val acc:0.31 | lr:..., weight decay:..." with the
 * trial's number.
 */
function trialEndLine(trial: number, hyperparameters: TrialHyperparameters, { step, value }: MemberValue): string {
  const outcome = Number.isFinite(value) ? `val acc:${value}` : `diverged in epoch ${step}`;
  const { lr, weightDecay, also } = hyperparameters;
  return `trial ${trial}: ${outcome} | lr:${lr}, weight decay:${weightDecay}${alsoSuffix(also)}`;
}

/**
 * Trials in rounds of the sampler's size (random and grid: one round of all): each round's trials
 * are declared and logged, trained side by side, and their final validation accuracies told to the
 * sampler before it proposes the next round.
 */
async function run(params: HyperparameterSearchParams, context: ExperimentContext): Promise<ExperimentResult> {
  const { reporter } = context;
  const sampler = samplerOf(params);
  const roundSize = params.pruning === 'median' ? Math.min(sampler.roundSize, PRUNING_ROUND_SIZE) : sampler.roundSize;
  const queued = context.trialQueue && queuedTrials(context.trialQueue, params, context);
  const kept = queued ? {} : keptForEveryTrial(context, params);
  const workers: string[] = [];
  /** The pruning rule each trial trained under (with pruning on, from its second round). */
  const rules: (PruneRule | undefined)[] = [];
  const updatesPerTrial = memberUpdates(searchJob(params, []));
  const trials: TrialHyperparameters[] = [];
  const accuracyOf = (member: number) =>
    finalAccuracy(reporter.seriesOf(seriesOf(trials, member, VALIDATION_ACCURACY)));
  while (trials.length < params.trials && !context.signal.aborted) {
    const first = trials.length;
    const points = Array.from({ length: Math.min(roundSize, params.trials - first) }, () => sampler.ask());
    const rule = pruningRule(params, first, (trial) => reporter.seriesOf(seriesOf(trials, trial, VALIDATION_ACCURACY)));
    points.forEach((point, i) => {
      trials.push(trialAt(params, point));
      rules.push(rule);
      reporter.declare(seriesOf(trials, first + i, TRAIN_ACCURACY));
      reporter.declare(seriesOf(trials, first + i, VALIDATION_ACCURACY));
      reporter.log(trialStartLine(first + i + 1, trials[first + i]!));
    });
    reporter.flush();
    const job = { ...searchJob(params, trials.slice(first), first, rule), ...kept };
    await runEpochSeries(context, job, (member, metric) => seriesOf(trials, first + member, metric), {
      logPoints: false,
      progressStart: first * updatesPerTrial,
      netLabel: (member) => `trial ${first + member + 1}`,
      netOrder: (member) => first + member,
      ...(queued
        ? {
            train: (callbacks: ShardCallbacks) =>
              queued(first, trials.slice(first), rule, {
                ...callbacks,
                onWorker: (member, worker) => {
                  const trial = first + member;
                  reporter.log(`trial ${trial + 1} ${workers[trial] ? 'again, ' : ''}on worker ${worker}`);
                  workers[trial] = worker;
                },
              }),
          }
        : {}),
      onValue: (reported) => {
        if (reported.metric !== VALIDATION_ACCURACY) return;
        const trial = first + reported.member;
        if (reported.step === params.epochs || !Number.isFinite(reported.value))
          reporter.log(trialEndLine(trial + 1, trials[trial]!, reported));
        else if (rule && isPruned(rule, reported.step, reported.value))
          reporter.log(trialPrunedLine(trial + 1, reported, rule.below[reported.step]!));
      },
    });
    points.forEach((point, i) => {
      const { final, divergedAt } = accuracyOf(first + i);
      sampler.tell(point, divergedAt !== undefined || final === null ? NaN : final);
    });
  }
  const seriesOfTrial = (member: number, metric: string) => reporter.seriesOf(seriesOf(trials, member, metric));
  const prunedOf = (member: number) => {
    const rule = rules[member];
    return rule && prunedAt(rule, seriesOfTrial(member, VALIDATION_ACCURACY));
  };
  const summary = searchSummary(trials, seriesOfTrial, (member) => workers[member], prunedOf);
  return {
    summary:
      params.pruning === 'median'
        ? { ...summary, pruned: summary.trials.filter((t) => t.prunedAt !== undefined).length }
        : summary,
  };
}

/**
 * The rule a round starting at trial `first` trains under: none without pruning or in the first round;
 * else the medians of the earlier trials' validation accuracies, epoch by epoch.
 */
function pruningRule(
  params: HyperparameterSearchParams,
  first: number,
  validationOf: (trial: number) => Series | undefined,
): PruneRule | undefined {
  if (params.pruning !== 'median' || first === 0) return undefined;
  const earlier = Array.from({ length: first }, (_, trial) => validationOf(trial));
  return { metric: VALIDATION_ACCURACY, below: pruningThresholds(earlier, params.epochs) };
}

const trialPrunedLine = (trial: number, { step, value }: MemberValue, median: number) =>
  `trial ${trial}: pruned after epoch ${step}, val acc:${value} below the median ${Number(median.toPrecision(4))} of earlier trials`;

/**
 * The search's rounds as jobs on a queue (`--queue`): trials numbered as in-process, on the same
 * dataset. A queued search keeps no nets and records nothing inside them (they stay with the workers).
 */
function queuedTrials(queue: TrialQueue, params: HyperparameterSearchParams, context: ExperimentContext) {
  const search = randomUUID();
  const dataset = datasetFingerprint(context.dataset());
  context.reporter.log(`trials go to the workers of ${queue.where} (search ${search}); no nets are kept`);
  return (
    first: number,
    round: TrialHyperparameters[],
    prune: PruneRule | undefined,
    callbacks: QueuedTrialCallbacks,
  ) =>
    queue.trainRound(
      {
        search,
        params,
        dataset,
        ...(prune ? { prune } : {}),
        trials: round.map((hyperparameters, i) => ({ trial: first + i + 1, hyperparameters })),
      },
      callbacks,
      context.signal,
    );
}

export interface TrialResult extends TrialHyperparameters {
  trial: number;
  /** The last recorded accuracies (null before the first); at the end of a completed run, after the last epoch. */
  validationAccuracy: number | null;
  trainAccuracy: number | null;
  /** Epochs trained so far. */
  epochs: number;
  divergedAt?: number;
  /** The queue worker that trained it (searches with `--queue`). */
  worker?: string;
  /** The epoch after which median pruning stopped it (its accuracies are from there). */
  prunedAt?: number;
}

/**
 * The trials, best final validation accuracy first (ties in trial order, trials without points after
 * those with, diverged trials after all), and the book's table of the top 20 that did not diverge.
 */
export function searchSummary(
  trials: readonly TrialHyperparameters[],
  seriesOfTrial: (member: number, metric: string) => Series | undefined,
  workerOf: (member: number) => string | undefined = () => undefined,
  prunedOf: (member: number) => number | undefined = () => undefined,
): { trials: TrialResult[]; table: string[] } {
  const results = trials.map((hyperparameters, i): TrialResult => {
    const validation = finalAccuracy(seriesOfTrial(i, VALIDATION_ACCURACY));
    const train = finalAccuracy(seriesOfTrial(i, TRAIN_ACCURACY));
    const divergedAt = validation.divergedAt ?? train.divergedAt;
    const worker = workerOf(i);
    const prunedAt = prunedOf(i);
    return {
      trial: i + 1,
      ...hyperparameters,
      validationAccuracy: validation.final,
      trainAccuracy: train.final,
      epochs: seriesOfTrial(i, VALIDATION_ACCURACY)?.x.at(-1) ?? 0,
      ...(divergedAt !== undefined ? { divergedAt } : {}),
      ...(worker !== undefined ? { worker } : {}),
      ...(prunedAt !== undefined ? { prunedAt } : {}),
    };
  });
  // Trials that ran their epochs first, then pruned ones (stopped early), then diverged ones.
  const stopped = (r: TrialResult) => (r.divergedAt !== undefined ? 2 : r.prunedAt !== undefined ? 1 : 0);
  results.sort(
    (a, b) =>
      stopped(a) - stopped(b) || (b.validationAccuracy ?? -1) - (a.validationAccuracy ?? -1) || a.trial - b.trial,
  );
  const ranked = results.filter(
    (r): r is TrialResult & { validationAccuracy: number } => r.validationAccuracy !== null && !stopped(r),
  );
  return { trials: results, table: ranked.slice(0, TABLE_ROWS).map((r, i) => bestTrialLine(i + 1, r)) };
}

export const hyperparameterSearch: ExperimentModule<HyperparameterSearchParams> = {
  run,
  totalSteps: (params) => params.trials * memberUpdates(searchJob(params, [])),
};

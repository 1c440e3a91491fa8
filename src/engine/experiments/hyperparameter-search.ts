// Reproduces the book's ch06/hyperparameter_optimization.py (§6.5.3, Fig. 6-24).
import { scheduleOf } from '../../shared/lr-schedule';
import { type TrialHyperparameters, bestTrialLine } from '../../shared/book-format';
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
import { type EpochJob, type EvaluationMetric, TRAIN_ACCURACY, sgdNetMember } from './epoch-nets';
import { epochSteps, finalAccuracy, keeping, runEpochSeries } from './epoch-series';
import type { MemberValue } from './members';

const VALIDATION_ACCURACY: EvaluationMetric = 'validation accuracy';

/**
 * Trials a thread trains side by side: they share the preparation of every batch, and still finish a
 * few at a time while the search runs.
 */
const TRIALS_SIDE_BY_SIDE = 5;

/** The book's best-trials table and figure: the top 20. */
const TABLE_ROWS = 20;

/** 10^U(log10 min, log10 max): uniform in the exponent. */
function logUniform(random: Random, min: number, max: number): number {
  const [lo, hi] = [Math.log10(min), Math.log10(max)];
  return 10 ** (lo + random.uniform() * (hi - lo));
}

/** Every trial's learning rate and weight decay, drawn in trial order (as the book: weight decay, then lr). */
export function sampleTrials(params: HyperparameterSearchParams): TrialHyperparameters[] {
  const random = new Random(params.seed, RandomStream.trialSampling);
  return Array.from({ length: params.trials }, () => {
    const weightDecay = logUniform(random, params.weightDecayMin, params.weightDecayMax);
    const lr = logUniform(random, params.lrMin, params.lrMax);
    return { lr, weightDecay };
  });
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
 * a fresh shuffle every epoch.
 */
export function searchJob(params: HyperparameterSearchParams, trials: readonly TrialHyperparameters[]): EpochJob {
  const rows = splitTrainingImages(params);
  return {
    epochs: params.epochs,
    batchSize: params.batchSize,
    seed: params.seed,
    batches: 'shuffle',
    groupSize: TRIALS_SIDE_BY_SIDE,
    train: { indices: rows.train },
    evaluation: { split: 'train', rows: { indices: rows.validation }, metric: VALIDATION_ACCURACY },
    members: trials.map(({ lr, weightDecay }) =>
      sgdNetMember(params.hidden, lr, { lambda: weightDecay, schedule: scheduleOf(params) }),
    ),
  };
}

const seriesOf = (trials: readonly TrialHyperparameters[], member: number, metric: string) =>
  trialSeries(member + 1, metric === TRAIN_ACCURACY ? 'train' : 'validation', trials[member]!);

/**
 * The log line of a trial that has ended: the book's "val acc:0.31 | lr:..., weight decay:..." with the
 * trial's number.
 */
function trialEndLine(trial: number, hyperparameters: TrialHyperparameters, { step, value }: MemberValue): string {
  const outcome = Number.isFinite(value) ? `val acc:${value}` : `diverged in epoch ${step}`;
  return `trial ${trial}: ${outcome} | lr:${hyperparameters.lr}, weight decay:${hyperparameters.weightDecay}`;
}

async function run(params: HyperparameterSearchParams, context: ExperimentContext): Promise<ExperimentResult> {
  const { reporter } = context;
  const trials = sampleTrials(params);
  trials.forEach((hyperparameters, i) => {
    reporter.declare(seriesOf(trials, i, TRAIN_ACCURACY));
    reporter.declare(seriesOf(trials, i, VALIDATION_ACCURACY));
    reporter.log(trialStartLine(i + 1, hyperparameters));
  });
  reporter.flush();
  const job = keeping(context, searchJob(params, trials));
  await runEpochSeries(context, job, (member, metric) => seriesOf(trials, member, metric), {
    logPoints: false,
    netLabel: (member) => `trial ${member + 1}`,
    onValue: (reported) => {
      const ended = reported.step === params.epochs || !Number.isFinite(reported.value);
      if (reported.metric === VALIDATION_ACCURACY && ended)
        reporter.log(trialEndLine(reported.member + 1, trials[reported.member]!, reported));
    },
  });
  return { summary: searchSummary(trials, (member, metric) => reporter.seriesOf(seriesOf(trials, member, metric))) };
}

export interface TrialResult extends TrialHyperparameters {
  trial: number;
  /** The last recorded accuracies (null before the first); at the end of a completed run, after the last epoch. */
  validationAccuracy: number | null;
  trainAccuracy: number | null;
  /** Epochs trained so far. */
  epochs: number;
  divergedAt?: number;
}

/**
 * The trials, best final validation accuracy first (ties in trial order, trials without points after
 * those with, diverged trials after all), and the book's table of the top 20 that did not diverge.
 */
export function searchSummary(
  trials: readonly TrialHyperparameters[],
  seriesOfTrial: (member: number, metric: string) => Series | undefined,
): { trials: TrialResult[]; table: string[] } {
  const results = trials.map((hyperparameters, i): TrialResult => {
    const validation = finalAccuracy(seriesOfTrial(i, VALIDATION_ACCURACY));
    const train = finalAccuracy(seriesOfTrial(i, TRAIN_ACCURACY));
    const divergedAt = validation.divergedAt ?? train.divergedAt;
    return {
      trial: i + 1,
      ...hyperparameters,
      validationAccuracy: validation.final,
      trainAccuracy: train.final,
      epochs: seriesOfTrial(i, VALIDATION_ACCURACY)?.x.at(-1) ?? 0,
      ...(divergedAt !== undefined ? { divergedAt } : {}),
    };
  });
  const diverged = (r: TrialResult) => (r.divergedAt === undefined ? 0 : 1);
  results.sort(
    (a, b) =>
      diverged(a) - diverged(b) || (b.validationAccuracy ?? -1) - (a.validationAccuracy ?? -1) || a.trial - b.trial,
  );
  const ranked = results.filter(
    (r): r is TrialResult & { validationAccuracy: number } => r.validationAccuracy !== null && !diverged(r),
  );
  return { trials: results, table: ranked.slice(0, TABLE_ROWS).map((r, i) => bestTrialLine(i + 1, r)) };
}

export const hyperparameterSearch: ExperimentModule<HyperparameterSearchParams> = {
  run,
  totalSteps: (params) => epochSteps(searchJob(params, sampleTrials(params))),
};

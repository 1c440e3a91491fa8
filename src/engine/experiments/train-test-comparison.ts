import type { SeriesId } from '../../shared/series';
import { ensembleTestAccuracy } from '../trained-nets';
import type { ExperimentContext, ExperimentResult } from './context';
import { type BatchOrder, type EpochNetMember, TRAIN_ACCURACY, firstImagesJob } from './epoch-nets';
import { epochSteps, keeping, runEpochSeries, trainTestSummary } from './epoch-series';

interface ComparisonParams {
  epochs: number;
  batchSize: number;
  seed: number;
  trainSize: number;
}

type SetName = 'train' | 'test';

/** What a train/test comparison varies, and how a net, its series and its summary follow from a value. */
export interface ComparisonSpec<P extends ComparisonParams> {
  /** The summary's name of the setting (lambda, dropoutRatio). */
  setting: string;
  /** The chosen value; it is compared with 0, the overfitting net (just that one when it is 0). */
  chosen(params: P): number;
  batches: BatchOrder;
  member(params: P, value: number): EpochNetMember;
  /** The summary key of the net with this value. */
  label(value: number): string;
  series(value: number, split: SetName): SeriesId;
  /**
   * How many more plain nets (value 0, each its own starting weights) to train as an ensemble whose
   * averaged predictions are measured on the test images at the end (the dropout experiment's option).
   */
  ensemble?(params: P): number;
}

/**
 * The ensemble's nets (members `first` onwards, kept by the run): the test accuracy of their averaged
 * predictions, or why there is none.
 */
function ensembleSummary(context: ExperimentContext, first: number, count: number): Record<string, unknown> {
  const nets = Array.from({ length: count }, (_, k) => context.nets.net(first + k));
  const kept = nets.filter((net) => net !== undefined);
  if (kept.length === 0)
    return { nets: count, testAccuracy: null, why: context.nets.notKept ?? 'every net of the ensemble diverged' };
  const testAccuracy = ensembleTestAccuracy(kept, context.dataset());
  context.reporter.log(`ensemble of ${kept.length} plain nets: test accuracy ${testAccuracy.toFixed(4)}`);
  return { nets: kept.length, testAccuracy };
}

/**
 * Weight decay and dropout (Fig. 6-20 to 6-23): nets on the first training images, all test images
 * as the evaluation set, one train and one test accuracy series per net; the summary gives per net its
 * final accuracies and their gap.
 */
export function trainTestComparison<P extends ComparisonParams>(spec: ComparisonSpec<P>) {
  const values = (params: P): number[] => (spec.chosen(params) === 0 ? [0] : [0, spec.chosen(params)]);
  const setOf = (metric: string): SetName => (metric === TRAIN_ACCURACY ? 'train' : 'test');
  const jobOf = (params: P) =>
    firstImagesJob(params, {
      batches: spec.batches,
      evaluation: { split: 'test', rows: 'all', metric: 'test accuracy' },
      members: [
        ...values(params).map((value) => spec.member(params, value)),
        ...Array.from({ length: spec.ensemble?.(params) ?? 0 }, () => ({
          ...spec.member(params, 0),
          measureAccuracy: false,
        })),
      ],
    });

  async function run(params: P, context: ExperimentContext): Promise<ExperimentResult> {
    const { reporter } = context;
    const compared = values(params);
    for (const value of compared)
      for (const split of ['train', 'test'] as const) reporter.declare(spec.series(value, split));
    await runEpochSeries(
      context,
      keeping(context, jobOf(params)),
      (member, metric) => spec.series(compared[member]!, setOf(metric)),
      {
        netLabel: (member) =>
          member < compared.length ? spec.label(compared[member]!) : `ensemble net ${member - compared.length + 1}`,
      },
    );

    const summary: Record<string, unknown> = {};
    for (const value of compared) {
      const pair = trainTestSummary(
        reporter.seriesOf(spec.series(value, 'train')),
        reporter.seriesOf(spec.series(value, 'test')),
      );
      summary[spec.label(value)] = { [spec.setting]: value, ...pair };
    }
    const ensemble = spec.ensemble?.(params) ?? 0;
    if (ensemble > 0 && !context.signal.aborted) summary.ensemble = ensembleSummary(context, compared.length, ensemble);
    return { summary };
  }

  return { run, totalSteps: (params: P) => epochSteps(jobOf(params)) };
}

import { type BatchNormParams, batchNormSeriesName, formatScale, weightScales } from '../../shared/experiment-defs/batch-norm';
import type { ExperimentContext, ExperimentResult } from './context';
import { type EpochJob, firstImagesJob, sgdNetMember } from './epoch-nets';
import { epochSteps, finalAccuracy, runEpochSeries } from './epoch-series';
import type { ExperimentModule } from './registry';

/**
 * The nets of the sweep: every Batch Norm net, then every plain one, in the order of the scales. Both
 * halves split alike over threads, so each thread gets its share of the costlier Batch Norm nets.
 */
function sweepMembers(params: BatchNormParams): { useBatchNorm: boolean; std: number }[] {
  const stds = weightScales(params.scales);
  return [true, false].flatMap((useBatchNorm) => stds.map((std) => ({ useBatchNorm, std })));
}

function sweepJob(params: BatchNormParams): EpochJob {
  return firstImagesJob(params, {
    batches: 'random',
    members: sweepMembers(params).map(({ useBatchNorm, std }) => sgdNetMember(params.hidden, params.lr, { init: std, useBatchNorm })),
  });
}

/** Per scale, Batch Norm's series then the plain net's; the summary gives both final train accuracies. */
async function run(params: BatchNormParams, context: ExperimentContext): Promise<ExperimentResult> {
  const members = sweepMembers(params);
  const stds = weightScales(params.scales);
  for (const std of stds) for (const useBatchNorm of [true, false]) context.reporter.declare(batchNormSeriesName(useBatchNorm, std), 'train accuracy');
  await runEpochSeries(context, sweepJob(params), (member) => batchNormSeriesName(members[member]!.useBatchNorm, members[member]!.std));

  const series = new Map(context.reporter.allSeries().map((s) => [s.name, s]));
  const summary: Record<string, unknown> = {};
  for (const std of stds) {
    const withNorm = finalAccuracy(series.get(batchNormSeriesName(true, std)));
    const plain = finalAccuracy(series.get(batchNormSeriesName(false, std)));
    summary[`std=${formatScale(std)}`] = {
      std,
      batchNorm: withNorm.final,
      normal: plain.final,
      ...(withNorm.divergedAt !== undefined ? { batchNormDivergedAt: withNorm.divergedAt } : {}),
      ...(plain.divergedAt !== undefined ? { normalDivergedAt: plain.divergedAt } : {}),
    };
  }
  return { summary };
}

export const batchNorm: ExperimentModule<'batch-norm'> = {
  run,
  totalSteps: (params) => epochSteps(sweepMembers(params).length, params.epochs),
};

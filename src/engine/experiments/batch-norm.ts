// Reproduces the book's ch06/batch_norm_test.py (§6.3.2, Fig. 6-18, 6-19): with and without Batch Norm over
// 16 weight scales.
import { scheduleOf } from '../../shared/lr-schedule';
import { type BatchNormParams, batchNormSeries, formatScale, weightScales } from '../../shared/slots/batch-norm';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';
import { type EpochJob, firstImagesJob, sgdNetMember } from './epoch-nets';
import { epochSteps, finalAccuracy, keeping, runEpochSeries } from './epoch-series';

/**
 * The nets of the sweep, for scales 2j and 2j + 1 in this order: Batch Norm at both, then plain at
 * both. Split over two threads (member m on thread m % 2), each thread gets the Batch Norm and the
 * plain net of every other scale; it trains the two nets of a scale side by side (PAIR) and the scales
 * one after another, so each scale's panel fills in as it finishes (issue #4). Any other split gives
 * the same values: each net sees the same batches.
 */
function sweepMembers(params: BatchNormParams): { useBatchNorm: boolean; std: number }[] {
  const stds = weightScales(params.scales);
  const members: { useBatchNorm: boolean; std: number }[] = [];
  for (let k = 0; k < stds.length; k += 2) {
    for (const useBatchNorm of [true, false])
      members.push(...stds.slice(k, k + 2).map((std) => ({ useBatchNorm, std })));
  }
  return members;
}

/** Nets trained side by side in a thread: the two of a scale (see sweepMembers). */
const PAIR = 2;

function sweepJob(params: BatchNormParams): EpochJob {
  return firstImagesJob(params, {
    batches: 'random',
    groupSize: PAIR,
    members: sweepMembers(params).map(({ useBatchNorm, std }) =>
      sgdNetMember(params.hidden, params.lr, { init: std, useBatchNorm, schedule: scheduleOf(params) }),
    ),
  });
}

/** Per scale, Batch Norm's series then the plain net's; the summary gives both final train accuracies. */
async function run(params: BatchNormParams, context: ExperimentContext): Promise<ExperimentResult> {
  const members = sweepMembers(params);
  const stds = weightScales(params.scales);
  const { reporter } = context;
  for (const std of stds)
    for (const useBatchNorm of [true, false]) reporter.declare(batchNormSeries(useBatchNorm, std));
  const seriesOf = (member: number) => batchNormSeries(members[member]!.useBatchNorm, members[member]!.std);
  await runEpochSeries(context, keeping(context, sweepJob(params)), seriesOf, {
    netLabel: (member) => seriesOf(member).name,
  });

  const summary: Record<string, unknown> = {};
  for (const std of stds) {
    const withNorm = finalAccuracy(reporter.seriesOf(batchNormSeries(true, std)));
    const plain = finalAccuracy(reporter.seriesOf(batchNormSeries(false, std)));
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

export const batchNorm: ExperimentModule<BatchNormParams> = {
  run,
  totalSteps: (params) => epochSteps(sweepJob(params)),
};

import { smoothCurve } from '../../shared/smooth';
import type { ExperimentContext, ExperimentResult } from './context';
import { MemberProgress, runMembers } from './members';
import type { SharedBatchJob } from './shared-batch-nets';

/** The book prints each net's loss every 100 iterations. */
const LOG_EVERY = 100;

/**
 * Nets trained side by side on the same mini-batches, one loss series each, named `names[i]` for
 * member i (Fig. 6-9: the optimizers; Fig. 6-15: the weight inits). Streams every iteration's loss,
 * logs every 100 iterations, stops a series where its loss becomes NaN or infinite, and sums each
 * series up: finalLoss, finalSmoothedLoss (the book's smoothing), iterations, divergedAt.
 */
export async function runNamedLossNets(
  context: ExperimentContext,
  names: readonly string[],
  job: SharedBatchJob,
): Promise<ExperimentResult> {
  const { reporter } = context;
  names.forEach((name) => reporter.declare(name, 'loss'));
  const progress = new MemberProgress(names.length);
  await runMembers(context, { kind: 'shared-batch-nets', job }, names.length, ({ member, step, value }) => {
    const name = names[member]!;
    if (reporter.isDiverged(name)) return;
    if (!Number.isFinite(value)) {
      reporter.log(`${name}: loss became ${value} at iteration ${step}; this series stops there`);
      reporter.diverged(name, step);
      reporter.advance(progress.done(member, job.iterations - 1));
      return;
    }
    reporter.point(name, 'loss', step, value);
    reporter.advance(progress.done(member, step));
    if (step % LOG_EVERY === 0) reporter.log(`iteration ${step}  ${name}: ${value.toFixed(4)}`);
  });

  const summary: Record<string, unknown> = {};
  for (const series of reporter.allSeries()) {
    const smoothed = smoothCurve(series.y);
    summary[series.name] = {
      finalLoss: series.y.at(-1) ?? null,
      finalSmoothedLoss: smoothed.at(-1) ?? null,
      iterations: series.y.length,
      ...(series.divergedAt !== undefined ? { divergedAt: series.divergedAt } : {}),
    };
  }
  return { summary };
}

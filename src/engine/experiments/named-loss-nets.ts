import type { SeriesId } from '../../shared/series';
import { smoothCurve } from '../../shared/smooth';
import type { ExperimentContext, ExperimentResult } from './context';
import { type IterationJob, iterationJob } from './epoch-nets';
import { insideIdentity, keeping, netArchitecture } from './epoch-series';
import { MemberProgress, type MemberValue, runMembers } from './members';

/** The book prints each net's loss every 100 iterations. */
const LOG_EVERY = 100;

/**
 * Nets trained side by side on the same mini-batches, one loss series each, `lossSeries[i]` for
 * member i (Fig. 6-9: the optimizers; Fig. 6-15: the weight inits). Streams every iteration's loss,
 * logs every 100 iterations, stops a series where its loss becomes NaN or infinite, and sums each
 * series up: finalLoss, finalSmoothedLoss (the book's smoothing), iterations, divergedAt.
 */
export async function runNamedLossNets(
  context: ExperimentContext,
  lossSeries: readonly SeriesId[],
  job: IterationJob,
): Promise<ExperimentResult> {
  const { reporter } = context;
  lossSeries.forEach((series) => reporter.declare(series));
  const progress = new MemberProgress(lossSeries.length);
  const onValue = ({ member, step, value }: MemberValue) => {
    const series = lossSeries[member]!;
    if (reporter.isDiverged(series)) return;
    if (!Number.isFinite(value)) {
      reporter.log(`${series.name}: loss became ${value} at iteration ${step}; this series stops there`);
      reporter.diverged(series, step);
      reporter.advance(progress.done(member, job.iterations - 1));
      return;
    }
    reporter.point(series, step, value);
    reporter.advance(progress.done(member, step));
    if (step % LOG_EVERY === 0) reporter.log(`iteration ${step}  ${series.name}: ${value.toFixed(4)}`);
  };
  const epochJob = keeping(context, iterationJob(job));
  await runMembers(context, epochJob, lossSeries.length, {
    onValue,
    onNet: (member, net) =>
      context.nets.add(member, netArchitecture(epochJob.members[member]!, lossSeries[member]!.name), net),
    onInside: (member, moments) => {
      const series = lossSeries[member]!;
      context.inside.add(member, insideIdentity(epochJob.members[member]!, series.name, series), moments);
    },
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

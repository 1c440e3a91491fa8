import type { Series } from '../../shared/runs';
import type { SeriesId } from '../../shared/series';
import type { ExperimentContext } from './context';
import { type EpochJob, type EpochNetMember, totalUpdates } from './epoch-nets';
import { type MemberValue, type ShardCallbacks, runMembers } from './members';
import type { NetArchitecture } from '../trained-nets';
import { netArrayBytes } from '../../shared/trained-nets';
import type { InsideIdentity } from '../inside';
import { TRAIN_ACCURACY } from './types';

/**
 * Runs an epoch job's members (in this thread or over worker threads) and turns what they report into
 * the run's series: `seriesOf(member, metric)` is the series of each value; a NaN or infinite value
 * stops that series (divergedAt = its epoch); progress counts the mini-batches trained over all
 * members, out of epochSteps(job), so that a long epoch still moves the bar.
 */
export async function runEpochSeries(
  context: ExperimentContext,
  job: EpochJob,
  seriesOf: (member: number, metric: string) => SeriesId,
  options: EpochSeriesOptions = {},
): Promise<void> {
  const { logPoints = true, onValue } = options;
  const { reporter } = context;
  let batchesDone = options.progressStart ?? 0;
  const train = options.train ?? ((callbacks) => runMembers(context, job, job.members.length, callbacks));
  await train({
    onValue: (reported) => {
      const { member, step, metric, value } = reported;
      const series = seriesOf(member, metric);
      if (reporter.isDiverged(series)) return;
      if (!Number.isFinite(value)) {
        const where = metric === 'loss' ? `at iteration ${step}` : `in epoch ${step}`;
        reporter.log(`${series.name}: the loss became ${value} ${where}; this series stops there`);
        reporter.diverged(series, step);
      } else {
        reporter.point(series, step, value);
        if (logPoints) reporter.log(`epoch ${step}  ${series.name}: ${value.toFixed(4)}`);
      }
      onValue?.(reported);
    },
    onBatches: (count) => reporter.advance((batchesDone += count)),
    onNet: (member, net) =>
      context.nets.add(options.netOrder?.(member) ?? member, architectureOf(job, member, options), net),
    onInside: (member, moments) => {
      const series = seriesOf(member, job.reportLoss ? 'loss' : TRAIN_ACCURACY);
      const identity = insideIdentity(job.members[member]!, options.netLabel?.(member) ?? series.name, series);
      context.inside.add(options.netOrder?.(member) ?? member, identity, moments);
    },
  });
}

/** A member as its recording names it: its label, its series' key (without the split), its shape. */
export function insideIdentity(member: EpochNetMember, label: string, series: SeriesId): InsideIdentity {
  const { split: _split, ...key } = series.key;
  return { label, key, batchNorm: member.useBatchNorm, hidden: member.hidden };
}

/** What a job's member is, for the nets the run keeps. */
const architectureOf = (job: EpochJob, member: number, options: EpochSeriesOptions): NetArchitecture =>
  netArchitecture(job.members[member]!, options.netLabel?.(member) ?? `net ${member + 1}`);

/** A trained member as the run keeps it, labelled. */
export const netArchitecture = (member: EpochNetMember, label: string): NetArchitecture => ({
  label,
  hidden: member.hidden,
  activation: member.activation,
  batchNorm: member.useBatchNorm,
  dropoutRatio: member.dropoutRatio,
});

/**
 * The job, keeping its nets when the run has room for them (`context.nets.reserve`) and recording
 * inside them when the run asks for it (`context.inside`): what a module passes to runEpochSeries to
 * keep what it trains. `repeats`: how many times the run trains the job's nets (the workbench's seeds).
 */
export function keeping(context: ExperimentContext, job: EpochJob, repeats = 1): EpochJob {
  const shapes = job.members.map((m) => ({ hidden: m.hidden, batchNorm: m.useBatchNorm }));
  const bytes = repeats * shapes.reduce((sum, shape) => sum + netArrayBytes(shape), 0);
  const keepNets = context.nets.reserve(bytes, repeats * job.members.length);
  const every = context.inside.intervalFor(
    Array.from({ length: repeats }, () => shapes).flat(),
    totalUpdates(job, rowCount(job.train)),
  );
  return { ...job, ...(keepNets ? { keepNets } : {}), ...(every !== null ? { insideEvery: every } : {}) };
}

export interface EpochSeriesOptions {
  /** Log every point (`epoch 3  λ=0 train: 0.8123`); default true. The search logs per trial instead. */
  logPoints?: boolean;
  /** Sees every value after it is recorded (or has stopped its series). */
  onValue?: (value: MemberValue) => void;
  /** Member-batches done before this job (a run of several jobs): where its progress starts. */
  progressStart?: number;
  /** A kept net's label (its series' name without the metric) and its place among the run's nets. */
  netLabel?: (member: number) => string;
  netOrder?: (member: number) => number;
  /** Trains the job's members elsewhere (a search's queue); default: runMembers, in this process. */
  train?: (callbacks: ShardCallbacks) => Promise<void>;
}

/** The progress bar of an epoch job: every member's every update. */
export const epochSteps = (job: EpochJob): number => job.members.length * memberUpdates(job);

/** The updates one member of an epoch job trains. */
export const memberUpdates = (job: EpochJob): number => totalUpdates(job, rowCount(job.train));

/** MNIST's training images: the most a job's `first` can take (a smaller dataset ends the bar short of full). */
const TRAIN_IMAGES = 60_000;

function rowCount(rows: EpochJob['train']): number {
  if (rows === 'all') return TRAIN_IMAGES;
  return 'first' in rows ? Math.min(rows.first, TRAIN_IMAGES) : rows.indices.length;
}

/** A series' last accuracy (null before its first point) and where it diverged, for run summaries. */
export function finalAccuracy(series: Series | undefined): { final: number | null; divergedAt?: number } {
  return {
    final: series?.y.at(-1) ?? null,
    ...(series?.divergedAt !== undefined ? { divergedAt: series.divergedAt } : {}),
  };
}

/**
 * The summary of a train/test pair (weight decay, dropout): final train and test accuracy and the
 * gap between them (train - test), plus where either diverged.
 */
export function trainTestSummary(train: Series | undefined, test: Series | undefined): Record<string, unknown> {
  const a = finalAccuracy(train);
  const b = finalAccuracy(test);
  const divergedAt = a.divergedAt ?? b.divergedAt;
  return {
    finalTrainAccuracy: a.final,
    finalTestAccuracy: b.final,
    gap: a.final !== null && b.final !== null ? a.final - b.final : null,
    epochs: train?.x.at(-1) ?? 0,
    ...(divergedAt !== undefined ? { divergedAt } : {}),
  };
}

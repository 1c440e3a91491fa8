import type { Series } from '../../shared/runs';

/*
 * Median pruning (Optuna's MedianPruner, issue #20): a trial stops after an epoch whose validation
 * accuracy is below the median of earlier trials' at the same epoch. "Earlier" means the search's
 * earlier rounds: a round's thresholds are fixed before it starts, so a trial's fate depends on the
 * seed alone, not on threads, queue workers or which trial of its round ends first.
 */

/** Trials that must have reached an epoch before anything is pruned there (Optuna's n_startup_trials). */
export const PRUNING_STARTUP_TRIALS = 5;
/** With pruning on, every sampler proposes this many trials per round (TPE's own rounds are this size). */
export const PRUNING_ROUND_SIZE = 10;

/** What a job prunes: a member stops after epoch e when its `metric` there is below `below[e]` (null: never). */
export interface PruneRule {
  metric: string;
  below: (number | null)[];
}

/**
 * The thresholds of a round, per epoch 0..epochs: the median of the earlier trials' validation
 * accuracies at each epoch 1..epochs-1 where at least PRUNING_STARTUP_TRIALS have one (diverged values
 * left out); null elsewhere (nothing is pruned before training, nor after the last epoch).
 */
export function pruningThresholds(earlier: readonly (Series | undefined)[], epochs: number): (number | null)[] {
  return Array.from({ length: epochs + 1 }, (_, epoch) => {
    if (epoch === 0 || epoch === epochs) return null;
    const values = earlier.flatMap((s) => {
      const at = s?.x.indexOf(epoch) ?? -1;
      return at >= 0 && Number.isFinite(s!.y[at]) ? [s!.y[at]!] : [];
    });
    return values.length >= PRUNING_STARTUP_TRIALS ? median(values) : null;
  });
}

/** Whether a value at `epoch` is pruned by the rule (the trainer and the search both ask). */
export const isPruned = (rule: PruneRule, epoch: number, value: number): boolean => {
  const threshold = rule.below[epoch];
  return threshold !== null && threshold !== undefined && value < threshold;
};

/** The epoch a trial's series was pruned at by the rule (its first value below the threshold), if any. */
export function prunedAt(rule: PruneRule, series: Series | undefined): number | undefined {
  const at = series?.x.findIndex((epoch, i) => isPruned(rule, epoch, series.y[i]!));
  return at === undefined || at < 0 ? undefined : series!.x[at];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

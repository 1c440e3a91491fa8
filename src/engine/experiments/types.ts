import type { LrSchedule } from '../../shared/lr-schedule';
import type { OptimizerSpec } from '../../shared/optimizers';
import type { Activation, WeightInit } from '../../shared/params';
import type { RowSelection } from '../data/row-selection';
import type { PruneRule } from '../search/median-pruning';
import type { FinishedNet } from '../trained-nets';
import type { InsideMoment } from '../../shared/inside';

/*
 * What the trainer (epoch-nets.ts), members.ts and the experiment modules exchange. The types live
 * here, apart from the code, so that the trainer and members.ts (which runs it) do not import each
 * other.
 */

/** One value a member (a net, a trial) reports. */
export interface MemberValue {
  member: number;
  /** The iteration or epoch the value belongs to. */
  step: number;
  /** What was measured: 'loss', 'train accuracy', ...; one member may report several. */
  metric: string;
  value: number;
}

/**
 * One net of a comparison, as data: its architecture, init, weight decay and optimizer, how its learning
 * rate changes over the updates, and where its starting weights come from.
 */
export interface NetMember {
  hidden: number[];
  activation: Activation;
  init: WeightInit;
  /** Weight decay λ. */
  lambda: number;
  optimizer: OptimizerSpec;
  /** The optimizer's learning rate over the updates (default: constant, as the book). */
  schedule?: LrSchedule;
  /**
   * The member whose weight stream this net's starting weights are drawn from (default: its own). Nets of
   * one architecture and init that name the same member start from the same weights.
   */
  weightsFrom?: number;
}

/**
 * Nets trained side by side on the same random mini-batches for a number of iterations, a loss per
 * update (Fig. 6-9, 6-15); epoch-nets.ts trains it as an EpochJob (`iterationJob`).
 */
export interface IterationJob {
  iterations: number;
  batchSize: number;
  seed: number;
  members: NetMember[];
}

/** One net of an epoch-based experiment (Fig. 6-19 to 6-24): a NetMember with Batch Norm and dropout. */
export interface EpochNetMember extends NetMember {
  useBatchNorm: boolean;
  /** 0 for no dropout. */
  dropoutRatio: number;
  /** Whether it reports its accuracies (default true); its loss, with the job's reportLoss, either way. */
  measureAccuracy?: boolean;
}

export const TRAIN_ACCURACY = 'train accuracy';
export type EvaluationMetric = 'test accuracy' | 'validation accuracy';

/**
 * How mini-batches are drawn: 'random' takes batchSize training rows with replacement every
 * iteration (the book's batch_norm_test.py, overfit_weight_decay.py); 'shuffle' walks a fresh
 * permutation of the training rows each epoch (the Trainer of dropout and the hyper-parameter search).
 */
export type BatchOrder = 'random' | 'shuffle';

/** Nets trained epoch by epoch, with their accuracies measured after every epoch (epoch-nets.ts). */
export interface EpochJob {
  epochs: number;
  batchSize: number;
  batches: BatchOrder;
  seed: number;
  /** The training images the nets learn from, and on which their train accuracy is measured. */
  train: RowSelection;
  /**
   * The second accuracy of every epoch: the test images (weight decay, dropout) or held-out training
   * images (the search's validation set); none for Batch Norm.
   */
  evaluation?: { split: 'train' | 'test'; rows: RowSelection; metric: EvaluationMetric };
  members: EpochNetMember[];
  /**
   * This many updates in all instead of `epochs` epochs, the last epoch cut short (the iteration-based
   * scripts: Fig. 6-9, 6-15).
   */
  iterations?: number;
  /** Also report every update's mini-batch loss (metric 'loss', step: the update, from 0), before the update. */
  reportLoss?: boolean;
  /** Measure the accuracies (epoch 0, then after every epoch); default true. */
  measureAccuracy?: boolean;
  /** Hand every net's final arrays out at the end (the run keeps them: shared/trained-nets.ts). */
  keepNets?: boolean;
  /** Stop a member after an epoch whose accuracy falls below the rule's threshold (a search's pruning). */
  prune?: PruneRule;
  /**
   * Record inside every net every this many updates, and at its last (shared/inside.ts); hand the
   * moments out at the end.
   */
  insideEvery?: number;
  /**
   * How many of a thread's nets train side by side at a time, group after group (default: all of them
   * at once). The search trains its trials a few at a time so that they finish in turn. Every net sees
   * the same batches whatever the grouping, so its values do not depend on it.
   */
  groupSize?: number;
}

/** What a shard reports: every value, and (epoch jobs) how many member-batches it has trained. */
export interface ShardCallbacks {
  onValue: (value: MemberValue) => void;
  onBatches?: (count: number) => void;
  /** A member's final arrays and test report (jobs that keep their nets). */
  onNet?: (member: number, net: FinishedNet) => void;
  /** The moments recorded inside a member (jobs with `insideEvery`). */
  onInside?: (member: number, moments: InsideMoment[]) => void;
}

import { CONSTANT_LR, type LrSchedule, lrMultiplier } from '../shared/lr-schedule';
import { type FastBatch, fastGradient } from './fast/fast-net';
import { recordedTrainStep } from './inside';
import type { InsideMoment } from '../shared/inside';
import type { MultiLayerNet } from './nn/multi-layer-net';
import type { Optimizer } from './optim';
import { profiled } from './profile';

/**
 * One training step, the body of the book's loops (common/trainer.py train_step, and the inner loop
 * of ch06/optimizer_compare_mnist.py and weight_init_compare.py):
 *
 *     grads = network.gradient(x_batch, t_batch)
 *     optimizer.update(network.params, grads)
 *
 * The trainer (experiments/epoch-nets.ts) trains through this function. The
 * gradient comes from the fast path (fast/fast-net.ts: the same numbers as net.gradient to float32
 * rounding, tested on MNIST batches).
 *
 * THE LOSS IT RETURNS is the loss of this batch computed in the forward pass of this gradient, i.e.
 * with the weights BEFORE this step's update (plus the weight-decay term). The book's code calls
 * `loss = network.loss(x_batch, t_batch)` AFTER `optimizer.update` (common/trainer.py and
 * optimizer_compare_mnist.py alike): a second forward pass, on the same batch, with the weights the
 * update has just improved. So the book plots each batch's loss after one step on that very batch, and
 * the lab plots it before; the lab saves that second pass. Its loss curves (Fig. 6-9, 6-15) therefore
 * sit a little above the book's, most for the optimizers whose steps are large. Over iterations
 * 1500-1900 of one run of the book's own code: SGD about 0.20, Momentum 0.06, AdaGrad 0.03, Adam 0.04,
 * against the lab's smoothed final 0.25, 0.09, 0.06, 0.04; the order of the curves is the same
 * (docs/RUN-RECORD.md, optimizers-mnist).
 */
export function trainStep(net: MultiLayerNet, optimizer: Optimizer, batch: FastBatch): number {
  const { loss, grads } = profiled('gradient', () => fastGradient(net, batch));
  profiled('optimizer', () => optimizer.update(net.params, grads));
  return loss;
}

/** A net in training with its optimizer, whose learning rate follows a schedule over `totalSteps` updates. */
export interface ScheduledNet {
  net: MultiLayerNet;
  optimizer: Optimizer;
  /** The optimizer's own learning rate, which the schedule multiplies. */
  baseLr: number;
  schedule: LrSchedule;
  totalSteps: number;
}

export function scheduledNet<N extends MultiLayerNet>(
  net: N,
  optimizer: Optimizer,
  schedule: LrSchedule = CONSTANT_LR,
  totalSteps: number,
): ScheduledNet & { net: N } {
  return { net, optimizer, baseLr: optimizer.lr, schedule, totalSteps };
}

/**
 * Update `step` (0-based) of a scheduled net: its learning rate for this step, then trainStep; with
 * `record`, the same step recorded inside the net (inside.ts), the moment handed to `record`.
 */
export function scheduledStep(
  trained: ScheduledNet,
  batch: FastBatch,
  step: number,
  record?: (moment: InsideMoment) => void,
): number {
  trained.optimizer.lr = trained.baseLr * lrMultiplier(trained.schedule, step, trained.totalSteps);
  if (!record) return trainStep(trained.net, trained.optimizer, batch);
  const { loss, moment } = recordedTrainStep(trained.net, trained.optimizer, batch, step);
  record(moment);
  return loss;
}

import { tf } from '../backend';
import type { Layer } from './layers';

type T2 = tf.Tensor2D;
type T1 = tf.Tensor1D;

/** The book's BatchNormalization constants (common/layers.py): eps 10e-7, running averages with momentum 0.9. */
export const BATCH_NORM_EPSILON = 1e-6;
export const BATCH_NORM_MOMENTUM = 0.9;

/**
 * The running mean and variance a BatchNormalization layer uses at test time. They are state, not
 * parameters (no optimizer touches them), and outlive every pass, so they live in JS arrays; both
 * start at 0 as in the book.
 */
export class RunningStats {
  readonly mean: Float32Array;
  readonly variance: Float32Array;

  constructor(size: number) {
    this.mean = new Float32Array(size);
    this.variance = new Float32Array(size);
  }

  /** running = momentum * running + (1 - momentum) * batch, per feature. */
  update(batchMean: ArrayLike<number>, batchVariance: ArrayLike<number>, momentum = BATCH_NORM_MOMENTUM): void {
    for (let j = 0; j < this.mean.length; j++) {
      this.mean[j] = momentum * this.mean[j]! + (1 - momentum) * batchMean[j]!;
      this.variance[j] = momentum * this.variance[j]! + (1 - momentum) * batchVariance[j]!;
    }
  }
}

/**
 * out = gamma * (x - mean) / sqrt(var + eps) + beta, per feature (column). Training passes normalise
 * with the batch's own statistics and fold them into the running ones; test passes use the running
 * ones. gamma and beta are the net's parameter arrays (gamma1, beta1, ...), uploaded in each forward.
 */
export class BatchNormalization implements Layer {
  dgamma: T1 | undefined;
  dbeta: T1 | undefined;
  /** The test-time statistics (the book's running_mean and running_var). */
  readonly running: RunningStats;
  private tensorGamma: T1 | undefined;
  private xn: T2 | undefined;
  private std: T1 | undefined;

  constructor(
    readonly gamma: Float32Array,
    readonly beta: Float32Array,
  ) {
    this.running = new RunningStats(gamma.length);
  }

  forward(x: T2, train: boolean): T2 {
    const gamma = (this.tensorGamma = tf.tensor1d(this.gamma));
    const beta = tf.tensor1d(this.beta);
    if (!train) {
      const mean = tf.tensor1d(this.running.mean);
      const std = tf.sqrt(tf.add(tf.tensor1d(this.running.variance), BATCH_NORM_EPSILON));
      return tf.add(tf.mul(gamma, tf.div(tf.sub(x, mean), std)), beta);
    }
    const mean = tf.mean<T1>(x, 0);
    const xc = tf.sub(x, mean);
    const variance = tf.mean<T1>(tf.square(xc), 0);
    const std = tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON)) as T1;
    const xn = tf.div<T2>(xc, std);
    this.std = std;
    this.xn = xn;
    this.running.update(mean.dataSync(), variance.dataSync());
    return tf.add(tf.mul(gamma, xn), beta);
  }

  /**
   * The book's backward (through xc, std, var and mu) collapsed into one expression: with
   * dbeta = sum(dout) and dgamma = sum(dout * xn) over the batch of N rows,
   * dx = gamma / std * (dout - dbeta / N - xn * dgamma / N).
   */
  backward(dout: T2): T2 {
    const xn = this.xn!;
    const rows = dout.shape[0];
    const dbeta = tf.sum<T1>(dout, 0);
    const dgamma = tf.sum<T1>(tf.mul(dout, xn), 0);
    this.dbeta = dbeta;
    this.dgamma = dgamma;
    const centred = tf.sub(tf.sub(dout, tf.div(dbeta, rows)), tf.mul(xn, tf.div(dgamma, rows)));
    return tf.mul(tf.div(this.tensorGamma!, this.std!), centred);
  }
}

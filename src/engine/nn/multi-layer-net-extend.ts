import { tf } from '../backend';
import type { Random } from '../random';
import { BATCH_NORM_EPSILON, BatchNormalization, RunningStats } from './batch-norm';
import { Dropout, type MaskSource, randomMasks } from './dropout';
import { activationLayer, type Layer } from './layers';
import { MultiLayerNet, type MultiLayerNetOptions, type Pass } from './multi-layer-net';

export interface MultiLayerNetExtendOptions extends MultiLayerNetOptions {
  /** Batch Normalization after every hidden Affine (parameters gamma1, beta1, ...). */
  useBatchNorm?: boolean;
  /** Dropout after every hidden activation with this ratio; 0 (the default) means none. */
  dropoutRatio?: number;
}

/**
 * The book's MultiLayerNetExtend (common/multi_layer_net_extend.py): MultiLayerNet with optional
 * Affine -> BatchNorm -> activation -> Dropout hidden blocks. Gamma (1) and beta (0) are parameters
 * like W and b, so optimizers update them; the running statistics are kept per BatchNorm layer.
 * Dropout masks come from `masks`: a source, or a random stream to draw them from (required with dropout).
 */
export class MultiLayerNetExtend extends MultiLayerNet {
  readonly useBatchNorm: boolean;
  readonly dropoutRatio: number;
  /** The test-time statistics of BatchNorm layer i + 1 (empty without Batch Norm). */
  readonly runningStats: RunningStats[] = [];
  private readonly masks: MaskSource | undefined;

  constructor(options: MultiLayerNetExtendOptions, random: Random, masks?: MaskSource | Random) {
    super(options, random);
    this.useBatchNorm = options.useBatchNorm ?? false;
    this.dropoutRatio = options.dropoutRatio ?? 0;
    if (this.dropoutRatio < 0 || this.dropoutRatio >= 1) throw new RangeError(`dropout ratio ${this.dropoutRatio} is not in [0, 1)`);
    if (this.dropoutRatio > 0) {
      if (!masks) throw new Error('a net with dropout needs a random stream (or a source) for its masks');
      this.masks = typeof masks === 'function' ? masks : randomMasks(this.dropoutRatio, masks);
    }
    if (this.useBatchNorm) {
      options.hidden.forEach((units, i) => {
        this.params[`gamma${i + 1}`] = new Float32Array(units).fill(1);
        this.shapes[`gamma${i + 1}`] = [units];
        this.params[`beta${i + 1}`] = new Float32Array(units);
        this.shapes[`beta${i + 1}`] = [units];
        this.runningStats.push(new RunningStats(units));
      });
    }
  }

  protected override hiddenBlock(index: number, train: boolean): Layer[] {
    const layers = this.useBatchNorm ? this.normalisedBlock(index, train) : super.hiddenBlock(index, train);
    if (this.masks) layers.push(new Dropout(this.dropoutRatio, this.masks));
    return layers;
  }

  /**
   * Affine -> BatchNorm -> activation. With the running statistics of a test pass, Batch Norm is a
   * fixed scale and shift per unit, which folds into the Affine (one matMul instead of a matMul and
   * four passes over the output).
   */
  private normalisedBlock(index: number, train: boolean): Layer[] {
    if (!train) {
      const relu = this.activation === 'relu';
      const affine = this.affine(index, relu, this.testTimeNorm(index));
      return relu ? [affine] : [affine, activationLayer(this.activation)];
    }
    const gamma = tf.tensor1d(this.params[`gamma${index}`]!);
    const beta = tf.tensor1d(this.params[`beta${index}`]!);
    const norm = new BatchNormalization(gamma, beta, this.runningStats[index - 1]!);
    return [this.affine(index), norm, activationLayer(this.activation)];
  }

  /** Batch Norm of layer `index` at test time: gamma (x - mean) / sqrt(var + eps) + beta = x scale + shift. */
  private testTimeNorm(index: number): { scale: Float32Array; shift: Float32Array } {
    const { mean, variance } = this.runningStats[index - 1]!;
    const gamma = this.params[`gamma${index}`]!;
    const beta = this.params[`beta${index}`]!;
    const scale = gamma.map((g, j) => g / Math.sqrt(variance[j]! + BATCH_NORM_EPSILON));
    return { scale, shift: beta.map((b, j) => b - mean[j]! * scale[j]!) };
  }

  protected override gradientTensors(pass: Pass): Record<string, tf.Tensor> {
    const grads = super.gradientTensors(pass);
    pass.layers
      .filter((layer) => layer instanceof BatchNormalization)
      .forEach((norm, i) => {
        grads[`gamma${i + 1}`] = norm.dgamma!;
        grads[`beta${i + 1}`] = norm.dbeta!;
      });
    return grads;
  }
}

import type { Random } from '../random';
import { BatchNormalization, type RunningStats } from './batch-norm';
import { Dropout, type MaskSource, randomMasks } from './dropout';
import { activationLayer, type Layer } from './layers';
import { MultiLayerNet, type MultiLayerNetOptions } from './multi-layer-net';
import type { ParamSet } from './params';

export interface MultiLayerNetExtendOptions extends MultiLayerNetOptions {
  /** Batch Normalization after every hidden Affine (parameters gamma1, beta1, ...). */
  useBatchNorm?: boolean;
  /** Dropout after every hidden activation with this ratio; 0 (the default) means none. */
  dropoutRatio?: number;
}

/**
 * The book's MultiLayerNetExtend (common/multi_layer_net_extend.py): MultiLayerNet whose hidden blocks
 * are Affine -> [BatchNorm] -> activation -> [Dropout]. Gamma (1) and beta (0) are parameters like W
 * and b, so optimizers update them; each BatchNorm layer keeps its running statistics. Dropout masks
 * come from `masks`: a source, or a random stream to draw them from (required with dropout).
 */
export class MultiLayerNetExtend extends MultiLayerNet {
  readonly useBatchNorm: boolean;
  readonly dropoutRatio: number;
  private readonly masks: MaskSource | undefined;

  constructor(options: MultiLayerNetExtendOptions, random: Random, masks?: MaskSource | Random) {
    super(options, random);
    this.useBatchNorm = options.useBatchNorm ?? false;
    this.dropoutRatio = options.dropoutRatio ?? 0;
    if (this.dropoutRatio < 0 || this.dropoutRatio >= 1)
      throw new RangeError(`dropout ratio ${this.dropoutRatio} is not in [0, 1)`);
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
      });
    }
  }

  protected override hiddenBlock(index: number): Layer[] {
    const layers: Layer[] = [this.affine(index)];
    if (this.useBatchNorm)
      layers.push(new BatchNormalization(this.params[`gamma${index}`]!, this.params[`beta${index}`]!));
    layers.push(activationLayer(this.activation));
    if (this.masks) layers.push(new Dropout(this.dropoutRatio, this.masks));
    return layers;
  }

  /** The BatchNorm layers, in order (none without Batch Norm). */
  get batchNorms(): BatchNormalization[] {
    return this.layers.filter((layer) => layer instanceof BatchNormalization);
  }

  /** The test-time statistics of BatchNorm layer i + 1 (empty without Batch Norm). */
  get runningStats(): RunningStats[] {
    return this.batchNorms.map((norm) => norm.running);
  }

  /** MultiLayerNet's gradients, and grads['gamma' + i] = dgamma, grads['beta' + i] = dbeta of BatchNorm i. */
  protected override layerGradients(): ParamSet {
    const grads = super.layerGradients();
    this.batchNorms.forEach((norm, i) => {
      grads[`gamma${i + 1}`] = norm.dgamma!.dataSync() as Float32Array;
      grads[`beta${i + 1}`] = norm.dbeta!.dataSync() as Float32Array;
    });
    return grads;
  }
}

import type { Activation, WeightInit } from '../../shared/params';
import { tf } from '../backend';
import type { Random } from '../random';
import { defaultInitFor, initStd } from './init';
import { Affine, type Layer, SoftmaxWithLoss, activationLayer } from './layers';
import type { ParamSet, Shapes } from './params';

export interface MultiLayerNetOptions {
  inputSize: number;
  hidden: readonly number[];
  outputSize: number;
  activation?: Activation;
  init?: WeightInit;
  /** Weight decay lambda: adds 0.5 * lambda * sum(W^2) to the loss and lambda * W to each weight gradient. */
  lambda?: number;
}

/**
 * The book's MultiLayerNet (common/multi_layer_net.py): Affine -> activation per hidden layer, then
 * Affine -> SoftmaxWithLoss, with weight decay. Parameters W1, b1, ... are Float32Arrays that the
 * optimizers update in place; the layers hold them and upload them in each pass.
 *
 * This is the plain path: it reads like the book and is what the gradient check tests. The trainers
 * compute the same gradients faster through fast/fast-net.ts (zero pixels pruned, ReLU fused into the
 * product, Batch Norm folded at test time), which is tested against this class on MNIST batches.
 */
export class MultiLayerNet {
  readonly params: ParamSet = {};
  readonly shapes: Shapes = {};
  readonly lambda: number;
  readonly activation: Activation;
  /** Affine layers: hidden layers + 1. */
  readonly layerCount: number;
  readonly lastLayer = new SoftmaxWithLoss();
  private builtLayers: Layer[] | undefined;

  constructor(options: MultiLayerNetOptions, random: Random) {
    this.activation = options.activation ?? 'relu';
    this.lambda = options.lambda ?? 0;
    // The book's __init_weight: W of fan_in x fan_out with the init's std, zero biases.
    const sizes = [options.inputSize, ...options.hidden, options.outputSize];
    this.layerCount = sizes.length - 1;
    const init = options.init ?? defaultInitFor(this.activation);
    for (let i = 1; i < sizes.length; i++) {
      const fanIn = sizes[i - 1]!;
      const fanOut = sizes[i]!;
      this.params[`W${i}`] = random.normalArray(fanIn * fanOut, initStd(init, fanIn));
      this.shapes[`W${i}`] = [fanIn, fanOut];
      this.params[`b${i}`] = new Float32Array(fanOut);
      this.shapes[`b${i}`] = [fanOut];
    }
  }

  /** The book's self.layers: Affine1, Activation1, ..., Affine(hidden + 1), in order (built on first use). */
  get layers(): readonly Layer[] {
    return (this.builtLayers ??= this.buildLayers());
  }

  private buildLayers(): Layer[] {
    const layers: Layer[] = [];
    for (let i = 1; i < this.layerCount; i++) layers.push(...this.hiddenBlock(i));
    layers.push(this.affine(this.layerCount));
    return layers;
  }

  /** Hidden block `index` (1-based): Affine -> activation. MultiLayerNetExtend adds Batch Norm and Dropout. */
  protected hiddenBlock(index: number): Layer[] {
    return [this.affine(index), activationLayer(this.activation)];
  }

  protected affine(index: number): Affine {
    return new Affine(
      this.params[`W${index}`]!,
      this.params[`b${index}`]!,
      this.shapes[`W${index}`] as [number, number],
    );
  }

  /** Class scores (before softmax). Call it inside tf.tidy: the layers keep tensors for backward. */
  predict(x: tf.Tensor2D, train = false): tf.Tensor2D {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out, train);
    return out;
  }

  /** The loss of a batch with one-hot targets t, plus weight decay; `train` as in a training pass. */
  loss(x: tf.Tensor2D, t: tf.Tensor2D, train = false): number {
    return tf.tidy(() => this.lastLayer.forward(this.predict(x, train), t).dataSync()[0]!) + this.weightDecayLoss();
  }

  /** 0.5 * lambda * the sum of every weight matrix squared. */
  weightDecayLoss(): number {
    if (this.lambda === 0) return 0;
    let sum = 0;
    for (let layer = 1; layer <= this.layerCount; layer++) {
      const W = this.params[`W${layer}`]!;
      for (let i = 0, n = W.length; i < n; i++) sum += W[i]! * W[i]!;
    }
    return 0.5 * this.lambda * sum;
  }

  /** Fraction of rows whose highest score (in test mode) is their label. */
  accuracy(x: tf.Tensor2D, labels: ArrayLike<number>): number {
    const predicted = tf.tidy(() => tf.argMax(this.predict(x), 1).dataSync());
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct / labels.length;
  }

  /** Backpropagation: the loss of this batch (with weight decay) and the gradient of every parameter. */
  gradient(x: tf.Tensor2D, t: tf.Tensor2D): { loss: number; grads: ParamSet } {
    return tf.tidy(() => {
      // forward (the book calls self.loss(x, t); here the pass stays in this tf.tidy, which backward needs)
      const loss = this.lastLayer.forward(this.predict(x, true), t).dataSync()[0]! + this.weightDecayLoss();
      // backward
      let dout = this.lastLayer.backward();
      for (const layer of [...this.layers].reverse()) dout = layer.backward(dout);
      return { loss, grads: this.layerGradients() };
    });
  }

  /** grads['W' + i] = dW + lambda W and grads['b' + i] = db of Affine i, after a backward pass. */
  protected layerGradients(): ParamSet {
    const grads: ParamSet = {};
    this.layers
      .filter((layer) => layer instanceof Affine)
      .forEach((affine, i) => {
        grads[`W${i + 1}`] = affine.dW!.dataSync() as Float32Array;
        grads[`b${i + 1}`] = affine.db!.dataSync() as Float32Array;
      });
    addWeightDecay(this, grads);
    return grads;
  }
}

/** grads['W' + i] += lambda * W_i for every weight matrix (in place), when the net has weight decay. */
export function addWeightDecay(net: MultiLayerNet, grads: ParamSet): void {
  if (net.lambda === 0) return;
  const lambda = net.lambda;
  for (let i = 1; i <= net.layerCount; i++) {
    const w = net.params[`W${i}`]!;
    const g = grads[`W${i}`]!;
    for (let j = 0, n = g.length; j < n; j++) g[j]! += lambda * w[j]!;
  }
}

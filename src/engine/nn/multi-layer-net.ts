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

/** A batch as the net consumes it: inputs, optionally their transpose (saves a transpose in backward), one-hot targets. */
export interface Batch {
  x: tf.Tensor2D;
  xT?: tf.Tensor2D;
  t: tf.Tensor2D;
}

interface Pass {
  hidden: [Affine, Layer][];
  last: Affine;
  scores: tf.Tensor2D;
}

/**
 * The book's MultiLayerNet (common/multi_layer_net.py): Affine -> activation per hidden layer, then
 * Affine -> SoftmaxWithLoss, with weight decay. Parameters W1, b1, ... are Float32Arrays that
 * optimizers update in place; every pass runs in its own tf.tidy.
 */
export class MultiLayerNet {
  readonly params: ParamSet = {};
  readonly shapes: Shapes = {};
  readonly lambda: number;
  readonly activation: Activation;
  readonly layerCount: number;

  constructor(options: MultiLayerNetOptions, random: Random) {
    this.activation = options.activation ?? 'relu';
    this.lambda = options.lambda ?? 0;
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

  private forward(x: tf.Tensor2D, train: boolean, xT?: tf.Tensor2D): Pass {
    const affines = Array.from({ length: this.layerCount }, (_, index) => {
      const i = index + 1;
      return new Affine(
        tf.tensor2d(this.params[`W${i}`]!, this.shapes[`W${i}`] as [number, number]),
        tf.tensor1d(this.params[`b${i}`]!),
        i > 1,
      );
    });
    const hidden = affines.slice(0, -1).map((affine): [Affine, Layer] => [affine, activationLayer(this.activation)]);
    const last = affines[affines.length - 1]!;
    let h = x;
    hidden.forEach(([affine, activation], i) => {
      h = activation.forward(affine.forward(h, train, i === 0 ? xT : undefined), train);
    });
    const scores = last.forward(h, train, hidden.length === 0 ? xT : undefined);
    return { hidden, last, scores };
  }

  /** 0.5 * lambda * sum of every weight matrix squared. */
  weightDecayLoss(): number {
    if (this.lambda === 0) return 0;
    let sum = 0;
    for (let i = 1; i <= this.layerCount; i++) for (const w of this.params[`W${i}`]!) sum += w * w;
    return 0.5 * this.lambda * sum;
  }

  /** Class scores (before softmax) for a batch; the caller disposes the result. */
  predict(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.forward(x, false).scores);
  }

  loss(batch: Batch): number {
    const data = tf.tidy(() => new SoftmaxWithLoss().forward(this.forward(batch.x, false).scores, batch.t));
    const value = data.dataSync()[0]!;
    data.dispose();
    return value + this.weightDecayLoss();
  }

  /** Backpropagation: the loss of this batch (with weight decay) and the gradient of every parameter. */
  gradient(batch: Batch): { loss: number; grads: ParamSet } {
    const keys = Object.keys(this.params);
    const tensors = tf.tidy(() => {
      const pass = this.forward(batch.x, true, batch.xT);
      const lossLayer = new SoftmaxWithLoss();
      const loss = lossLayer.forward(pass.scores, batch.t);
      let dout = pass.last.backward(lossLayer.backward());
      for (let i = pass.hidden.length - 1; i >= 0; i--) {
        const [affine, activation] = pass.hidden[i]!;
        dout = affine.backward(activation.backward(dout));
      }
      const affines = [...pass.hidden.map(([affine]) => affine), pass.last];
      const grads = affines.flatMap((affine) => [affine.dW!, affine.db!] as tf.Tensor[]);
      return [loss, ...grads];
    });
    const [lossTensor, ...gradTensors] = tensors;
    const grads: ParamSet = {};
    gradTensors.forEach((tensor, i) => {
      grads[keys[i]!] = tensor.dataSync() as Float32Array;
    });
    const loss = lossTensor!.dataSync()[0]! + this.weightDecayLoss();
    tf.dispose(tensors);
    if (this.lambda > 0) {
      for (let i = 1; i <= this.layerCount; i++) {
        const w = this.params[`W${i}`]!;
        const g = grads[`W${i}`]!;
        for (let j = 0; j < g.length; j++) g[j]! += this.lambda * w[j]!;
      }
    }
    return { loss, grads };
  }

  /** Fraction of rows whose highest score is the label. */
  accuracy(x: tf.Tensor2D, labels: ArrayLike<number>): number {
    const argMax = tf.tidy(() => tf.argMax(this.forward(x, false).scores, 1));
    const predicted = argMax.dataSync();
    argMax.dispose();
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct / labels.length;
  }
}

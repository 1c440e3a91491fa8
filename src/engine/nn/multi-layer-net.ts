import type { Activation, WeightInit } from '../../shared/params';
import { tf } from '../backend';
import type { Random } from '../random';
import { gatherRows } from '../data/mnist';
import { defaultInitFor, initStd } from './init';
import { Affine, AffineRelu, type Layer, SoftmaxWithLoss, activationLayer } from './layers';
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
 * A batch as the net consumes it: inputs, optionally their transpose (saves a transpose in backward),
 * one-hot targets; and optionally the input columns x keeps (the others being 0 in every row, they
 * would add nothing to x W1: see data/pruned-batch.ts).
 */
export interface Batch extends Inputs {
  t: tf.Tensor2D;
}

/** Inputs of a pass: x, its transpose if at hand, and which input columns x keeps (all when omitted). */
export interface Inputs {
  x: tf.Tensor2D;
  xT?: tf.Tensor2D;
  columns?: Int32Array;
}

/** A test pass's input: the inputs, or the first product x W1 when it was computed elsewhere. */
type PassInput = Inputs | { xW1: tf.Tensor2D };

/** One pass through the net: every layer in order (the Affines among them) and the class scores. */
export interface Pass {
  layers: Layer[];
  affines: Affine[];
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

  /** The input columns of the pass being built (all when undefined): the rows of W1 it uploads. */
  private passColumns: Int32Array | undefined;

  /**
   * Affine `index` (1-based) on this pass's upload of W and b; with `relu`, the ReLU after it runs fused
   * in. `fold` scales each output unit and shifts it (W' = W diag(scale), b' = b scale + shift): a test
   * pass folds a Batch Norm with fixed statistics into the Affine before it.
   */
  protected affine(index: number, relu = false, fold?: { scale: Float32Array; shift: Float32Array }): Affine {
    const [fanIn, fanOut] = this.shapes[`W${index}`] as [number, number];
    const rows = index === 1 ? this.passColumns : undefined;
    let weights = this.params[`W${index}`]!;
    let bias = this.params[`b${index}`]!;
    if (rows) weights = gatherRows(weights, fanOut, rows);
    if (fold) ({ weights, bias } = foldScale(weights, bias, fold.scale, fold.shift));
    const W = tf.tensor2d(weights, [rows ? rows.length : fanIn, fanOut]);
    const b = tf.tensor1d(bias);
    const scale = fold && tf.tensor1d(fold.scale);
    return relu ? new AffineRelu(W, b, index > 1, scale) : new Affine(W, b, index > 1, scale);
  }

  /** Hidden block `index` (1-based): Affine -> activation. MultiLayerNetExtend adds Batch Norm and Dropout. */
  protected hiddenBlock(index: number, _train: boolean): Layer[] {
    return this.activation === 'relu' ? [this.affine(index, true)] : [this.affine(index), activationLayer(this.activation)];
  }

  /**
   * The layers of one pass, fed either the inputs x (with their transpose xT, if at hand) or, for
   * test passes whose first product x W1 was computed elsewhere, that product.
   */
  private forward(input: PassInput, train: boolean): Pass {
    this.passColumns = 'x' in input ? input.columns : undefined;
    const layers: Layer[] = [];
    for (let i = 1; i < this.layerCount; i++) layers.push(...this.hiddenBlock(i, train));
    layers.push(this.affine(this.layerCount));
    const first = layers[0] as Affine;
    let h = 'xW1' in input ? first.fromProduct(input.xW1) : first.forward(input.x, train, input.xT);
    for (const layer of layers.slice(1)) h = layer.forward(h, train);
    return { layers, affines: layers.filter((layer) => layer instanceof Affine), scores: h };
  }

  /** Every parameter's gradient after a backward pass, by parameter key; subclasses add their layers' own. */
  protected gradientTensors(pass: Pass): Record<string, tf.Tensor> {
    const grads: Record<string, tf.Tensor> = {};
    pass.affines.forEach((affine, i) => {
      grads[`W${i + 1}`] = affine.dW!;
      grads[`b${i + 1}`] = affine.db!;
    });
    return grads;
  }

  /** 0.5 * lambda * sum of every weight matrix squared. */
  weightDecayLoss(): number {
    if (this.lambda === 0) return 0;
    let sum = 0;
    for (let layer = 1; layer <= this.layerCount; layer++) {
      const W = this.params[`W${layer}`]!;
      for (let i = 0, n = W.length; i < n; i++) sum += W[i]! * W[i]!;
    }
    return 0.5 * this.lambda * sum;
  }

  /** Class scores (before softmax) for a batch; the caller disposes the result. */
  predict(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.forward({ x }, false).scores);
  }

  /** The loss of a batch (with weight decay), by default as at test time; `train` as in a training pass. */
  loss(batch: Batch, train = false): number {
    const data = tf.tidy(() => new SoftmaxWithLoss().forward(this.forward(batch, train).scores, batch.t));
    const value = data.dataSync()[0]!;
    data.dispose();
    return value + this.weightDecayLoss();
  }

  /** Backpropagation: the loss of this batch (with weight decay) and the gradient of every parameter. */
  gradient(batch: Batch): { loss: number; grads: ParamSet } {
    const { loss: lossTensor, grads: gradTensors } = tf.tidy(() => {
      const pass = this.forward(batch, true);
      const lossLayer = new SoftmaxWithLoss();
      const loss = lossLayer.forward(pass.scores, batch.t);
      let dout = lossLayer.backward();
      for (let i = pass.layers.length - 1; i >= 0; i--) dout = pass.layers[i]!.backward(dout);
      return { loss, grads: this.gradientTensors(pass) };
    });
    const grads: ParamSet = {};
    for (const key of Object.keys(this.params)) grads[key] = gradTensors[key]!.dataSync() as Float32Array;
    if (batch.columns) grads.W1 = scatterRows(grads.W1!, this.shapes.W1![1]!, batch.columns, this.shapes.W1![0]!);
    const loss = lossTensor.dataSync()[0]! + this.weightDecayLoss();
    tf.dispose([lossTensor, ...Object.values(gradTensors)]);
    if (this.lambda > 0) {
      const lambda = this.lambda;
      for (let i = 1; i <= this.layerCount; i++) {
        const w = this.params[`W${i}`]!;
        const g = grads[`W${i}`]!;
        for (let j = 0, n = g.length; j < n; j++) g[j]! += lambda * w[j]!;
      }
    }
    return { loss, grads };
  }

  /** Fraction of rows whose highest score is the label. */
  accuracy(x: tf.Tensor2D, labels: ArrayLike<number>): number {
    return this.correctCount(x, labels) / labels.length;
  }

  /** How many rows' highest score is their label (in test mode); `columns` as in Inputs. */
  correctCount(x: tf.Tensor2D, labels: ArrayLike<number>, columns?: Int32Array): number {
    return this.countCorrect({ x, columns }, labels);
  }

  /** correctCount for inputs whose first product x W1 is already known. */
  correctCountFromProduct(xW1: tf.Tensor2D, labels: ArrayLike<number>): number {
    return this.countCorrect({ xW1 }, labels);
  }

  private countCorrect(input: PassInput, labels: ArrayLike<number>): number {
    const argMax = tf.tidy(() => tf.argMax(this.forward(input, false).scores, 1));
    const predicted = argMax.dataSync();
    argMax.dispose();
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct;
  }
}

/** A matrix of `rows` x `width` whose rows `at` are those of `values` and the others 0. */
function scatterRows(values: Float32Array, width: number, at: Int32Array, rows: number): Float32Array {
  const out = new Float32Array(rows * width);
  at.forEach((row, i) => out.set(values.subarray(i * width, (i + 1) * width), row * width));
  return out;
}

/** W diag(scale) and b scale + shift, for a scale and shift per output unit (column). */
function foldScale(W: Float32Array, b: Float32Array, scale: Float32Array, shift: Float32Array): { weights: Float32Array; bias: Float32Array } {
  const units = b.length;
  const weights = new Float32Array(W.length);
  for (let i = 0; i < W.length; i += units) for (let j = 0; j < units; j++) weights[i + j] = W[i + j]! * scale[j]!;
  const bias = new Float32Array(units);
  for (let j = 0; j < units; j++) bias[j] = b[j]! * scale[j]! + shift[j]!;
  return { weights, bias };
}

import { tf } from '../backend';
import type { Batch } from '../data/batch';
import { gatherRows } from '../data/mnist';
import { BATCH_NORM_EPSILON, BatchNormalization } from '../nn/batch-norm';
import { Affine, type Layer, Relu, SoftmaxWithLoss } from '../nn/layers';
import { type MultiLayerNet, addWeightDecay } from '../nn/multi-layer-net';
import type { ParamSet } from '../nn/params';
import { FusedAffine } from './fused-affine';

type T2 = tf.Tensor2D;

/*
 * The fast path of a net's gradient and test pass: the same numbers as MultiLayerNet.gradient and
 * .predict (to float32 rounding: the sums run in another order; fast-net.test.ts checks it on MNIST
 * batches), at a fraction of the cost on the WASM backend. A pass walks the net's own layer list
 * (net.layers, the book's) and replaces each Affine by a FusedAffine:
 * - Affine -> Relu becomes one fused kernel (fused-affine.ts);
 * - the first Affine takes only the rows of W1 for the pixel columns the batch keeps (pixels that are
 *   0 in every row add nothing to x W1 nor to W1's gradient; see pruned-batch.ts), and the batch's
 *   transpose for its backward;
 * - at test time Affine -> BatchNorm (running statistics: a fixed scale and shift per unit) folds
 *   into one Affine with W diag(scale) and b scale + shift;
 * - a test pass may start from x W1 computed elsewhere (span-projection.ts).
 * Every other layer (BatchNorm in training, Sigmoid, Tanh, Dropout) is the net's own instance.
 */

/** Inputs of a fast pass: x, its transpose if at hand, and which input columns x keeps (all when omitted). */
export interface FastInputs {
  x: T2;
  xT?: T2;
  columns?: Int32Array;
}

/** A training batch as the fast path takes it (pruned-batch.ts builds them). */
export type FastBatch = Batch & FastInputs;

/** A test pass's input: the inputs, or the first product x W1 when it was computed elsewhere. */
export type TestInput = FastInputs | { xW1: T2 };

/** Sees each layer's output of a training pass, in order (engine/inside.ts records them); it must not keep it. */
export type LayerWatch = (layer: Layer, output: T2) => void;

/** A Batch Norm at test time as a scale and shift per unit: x scale + shift. */
interface Fold {
  scale: Float32Array;
  shift: Float32Array;
}

/**
 * net.gradient(x, t) on a batch that may keep only some pixel columns: the loss of the batch (with
 * weight decay) from the forward pass, and every parameter's gradient (W1's at full size, 0 in the
 * rows of the pixels left out).
 */
export function fastGradient(
  net: MultiLayerNet,
  batch: FastBatch,
  watch?: LayerWatch,
): { loss: number; grads: ParamSet } {
  const { loss: lossTensor, grads: gradTensors } = tf.tidy(() => {
    const { layers, scores } = fastPass(net, batch, true, watch);
    const lossLayer = new SoftmaxWithLoss();
    const loss = lossLayer.forward(scores, batch.t);
    let dout = lossLayer.backward();
    for (let i = layers.length - 1; i >= 0; i--) dout = layers[i]!.backward(dout);
    return { loss, grads: gradientTensors(layers) };
  });
  const grads: ParamSet = {};
  for (const key of Object.keys(net.params)) grads[key] = gradTensors[key]!.dataSync() as Float32Array;
  if (batch.columns) grads.W1 = scatterRows(grads.W1!, net.shapes.W1![1]!, batch.columns, net.shapes.W1![0]!);
  const loss = lossTensor.dataSync()[0]! + net.weightDecayLoss();
  tf.dispose([lossTensor, ...Object.values(gradTensors)]);
  addWeightDecay(net, grads);
  return { loss, grads };
}

/** How many rows' highest score (in test mode) is their label: net.accuracy times the row count. */
export function fastCorrectCount(net: MultiLayerNet, input: TestInput, labels: ArrayLike<number>): number {
  const argMax = tf.tidy(() => tf.argMax(fastPass(net, input, false).scores, 1));
  const predicted = argMax.dataSync();
  argMax.dispose();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}

/** net.predict(x) (test mode) by the fast path; the caller disposes the result. */
export function fastPredict(net: MultiLayerNet, input: TestInput): T2 {
  return tf.tidy(() => fastPass(net, input, false).scores);
}

/** One pass through the fast layers: the layers (for backward) and the class scores. */
function fastPass(
  net: MultiLayerNet,
  input: TestInput,
  train: boolean,
  watch?: LayerWatch,
): { layers: Layer[]; scores: T2 } {
  const layers = fastLayers(net, train, 'x' in input ? input.columns : undefined);
  const first = layers[0] as FusedAffine;
  let h = 'xW1' in input ? first.fromProduct(input.xW1) : first.forward(input.x, train, input.xT);
  watch?.(first, h);
  for (const layer of layers.slice(1)) {
    h = layer.forward(h, train);
    watch?.(layer, h);
  }
  return { layers, scores: h };
}

/** net.layers with each Affine (and the ReLU after it; at test time the BatchNorm after it) as one FusedAffine. */
function fastLayers(net: MultiLayerNet, train: boolean, columns: Int32Array | undefined): Layer[] {
  const layers = net.layers;
  const fast: Layer[] = [];
  let index = 0;
  for (let k = 0; k < layers.length; k++) {
    const layer = layers[k]!;
    if (!(layer instanceof Affine)) {
      fast.push(layer);
      continue;
    }
    index++;
    let fold: Fold | undefined;
    const next = layers[k + 1];
    if (!train && next instanceof BatchNormalization) {
      fold = testTimeNorm(next);
      k++;
    }
    const relu = layers[k + 1] instanceof Relu;
    if (relu) k++;
    fast.push(fusedAffine(layer, index, relu, index === 1 ? columns : undefined, fold));
  }
  return fast;
}

/**
 * Affine `index` (1-based) uploaded for this pass: only the rows `rows` of W (all when undefined), `fold`
 * folded in.
 */
function fusedAffine(
  affine: Affine,
  index: number,
  relu: boolean,
  rows: Int32Array | undefined,
  fold: Fold | undefined,
): FusedAffine {
  const [fanIn, fanOut] = affine.shape;
  let weights = affine.W;
  let bias = affine.b;
  if (rows) weights = gatherRows(weights, fanOut, rows);
  if (fold) ({ weights, bias } = foldScale(weights, bias, fold.scale, fold.shift));
  const W = tf.tensor2d(weights, [rows ? rows.length : fanIn, fanOut]);
  const b = tf.tensor1d(bias);
  const scale = fold && tf.tensor1d(fold.scale);
  return new FusedAffine(W, b, relu, index > 1, scale);
}

/** Batch Norm at test time: gamma (x - mean) / sqrt(var + eps) + beta = x scale + shift. */
function testTimeNorm(norm: BatchNormalization): Fold {
  const { mean, variance } = norm.running;
  const scale = norm.gamma.map((g, j) => g / Math.sqrt(variance[j]! + BATCH_NORM_EPSILON));
  return { scale, shift: norm.beta.map((b, j) => b - mean[j]! * scale[j]!) };
}

/** Every parameter's gradient after a backward pass, keyed like the net's params (W1, b1, ..., gamma1, beta1, ...). */
function gradientTensors(layers: Layer[]): Record<string, tf.Tensor> {
  const grads: Record<string, tf.Tensor> = {};
  layers
    .filter((layer) => layer instanceof FusedAffine)
    .forEach((affine, i) => {
      grads[`W${i + 1}`] = affine.dW!;
      grads[`b${i + 1}`] = affine.db!;
    });
  layers
    .filter((layer) => layer instanceof BatchNormalization)
    .forEach((norm, i) => {
      grads[`gamma${i + 1}`] = norm.dgamma!;
      grads[`beta${i + 1}`] = norm.dbeta!;
    });
  return grads;
}

/** A matrix of `rows` x `width` whose rows `at` are those of `values` and the others 0. */
function scatterRows(values: Float32Array, width: number, at: Int32Array, rows: number): Float32Array {
  const out = new Float32Array(rows * width);
  at.forEach((row, i) => out.set(values.subarray(i * width, (i + 1) * width), row * width));
  return out;
}

/** W diag(scale) and b scale + shift, for a scale and shift per output unit (column). */
function foldScale(
  W: Float32Array,
  b: Float32Array,
  scale: Float32Array,
  shift: Float32Array,
): { weights: Float32Array; bias: Float32Array } {
  const units = b.length;
  const weights = new Float32Array(W.length);
  for (let i = 0; i < W.length; i += units) for (let j = 0; j < units; j++) weights[i + j] = W[i + j]! * scale[j]!;
  const bias = new Float32Array(units);
  for (let j = 0; j < units; j++) bias[j] = b[j]! * scale[j]! + shift[j]!;
  return { weights, bias };
}

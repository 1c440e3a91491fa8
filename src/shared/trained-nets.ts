import { z } from 'zod';
import { ACTIVATIONS, type Activation } from './params';

/*
 * The nets a run trained, kept with it (issue #19): each net's architecture and its final arrays under
 * the book's names (W1, b1, ..., gamma1, beta1, and the Batch Norm layers' running_mean1,
 * running_var1), and what it learned on the test images. The engine writes them at the end of a run
 * (engine/trained-nets.ts), the history keeps them beside the record (nets.json), the window draws
 * "What it learned" and lets a drawn digit through them (`predict` below), and .npz export gives them
 * to the book's Python code (npz.ts).
 */

/** Above this many bytes of float32 arrays a run's nets are not kept (the search's 100 trials, say). */
export const KEEP_NETS_LIMIT_BYTES = 16 * 2 ** 20;
/** Nor above this many nets (each is measured on the test images at the end: a search of 1,000 tiny trials). */
export const KEEP_NETS_LIMIT_COUNT = 100;

/** The bytes of a net's float32 arrays: W and b of every layer, and with Batch Norm γ, β and the running statistics. */
export function netArrayBytes(net: { hidden: readonly number[]; batchNorm: boolean }, inputs = 784): number {
  let count = 0;
  let fanIn = inputs;
  for (const units of [...net.hidden, 10]) {
    count += fanIn * units + units;
    fanIn = units;
  }
  if (net.batchNorm) count += 4 * net.hidden.reduce((a, b) => a + b, 0);
  return 4 * count;
}

const formatMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Why a run's `count` nets of `bytes` in all are not kept, or null when they are. */
export function keepNetsRefusal(bytes: number, count: number): string | null {
  if (bytes > KEEP_NETS_LIMIT_BYTES)
    return `the trained nets are not kept: they hold ${formatMiB(bytes)}, more than the ${formatMiB(KEEP_NETS_LIMIT_BYTES)} kept with a run`;
  if (count > KEEP_NETS_LIMIT_COUNT)
    return `the trained nets are not kept: there are ${count}, more than the ${KEEP_NETS_LIMIT_COUNT} kept with a run`;
  return null;
}

/** How many of the most confidently wrong test digits each net's report keeps. */
export const WRONG_DIGITS_KEPT = 8;

export const netArraySchema = z.object({
  /** The book's name: W1, b1, gamma1, beta1, running_mean1, running_var1, ... */
  name: z.string().regex(/^(W|b|gamma|beta|running_mean|running_var)\d+$/),
  /** W: [fan in, fan out], row-major as the book's NumPy arrays; the others: [units]. */
  shape: z.array(z.int().min(1)).min(1).max(2),
  /** The float32 values, little-endian, base64. */
  float32: z.string(),
});
export type NetArray = z.output<typeof netArraySchema>;

export const wrongDigitSchema = z.object({
  /** Its row in the test images (0-based). */
  index: z.int().min(0),
  label: z.int().min(0).max(9),
  predicted: z.int().min(0).max(9),
  /** The net's probability of `predicted`. */
  probability: z.number(),
  /** 28 x 28 bytes, row by row, base64. */
  pixels: z.string(),
});
export type WrongDigit = z.output<typeof wrongDigitSchema>;

export const netReportSchema = z.object({
  testAccuracy: z.number(),
  /** confusion[true][predicted]: how many test digits of each class went to each class. */
  confusion: z.array(z.array(z.int().min(0)).length(10)).length(10),
  /** The most confidently wrong test digits, most confident first. */
  wrong: z.array(wrongDigitSchema),
});
export type NetReport = z.output<typeof netReportSchema>;

export const trainedNetSchema = z.object({
  /** Which net of the run: its series' name without the metric (`Adam`, `λ=0.1`, `plain · seed 2`). */
  label: z.string().min(1),
  hidden: z.array(z.int().min(1)).min(1),
  activation: z.enum(ACTIVATIONS),
  batchNorm: z.boolean(),
  dropoutRatio: z.number().min(0).lt(1),
  arrays: z.array(netArraySchema),
  report: netReportSchema.nullable(),
});
export type TrainedNet = z.output<typeof trainedNetSchema>;

/** nets.json: the run's kept nets, or why none were kept. */
export const trainedNetsSchema = z.object({
  nets: z.array(trainedNetSchema),
  /** Set when the run trained nets but did not keep them (over KEEP_NETS_LIMIT_BYTES, say). */
  notKept: z.string().optional(),
});
export type TrainedNets = z.output<typeof trainedNetsSchema>;

/** Float32 values as little-endian base64 (the byte order of every machine the lab runs on is checked). */
export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return bytesToBase64(bytes);
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A kept net's arrays by name, decoded. */
export function netArrays(net: Pick<TrainedNet, 'arrays'>): Map<string, { shape: number[]; values: Float32Array }> {
  return new Map(net.arrays.map((a) => [a.name, { shape: a.shape, values: base64ToFloat32(a.float32) }]));
}

/** The epsilon of the book's BatchNormalization (engine/nn/batch-norm.ts). */
const BATCH_NORM_EPSILON = 1e-6;

const ACTIVATION_OF: Record<Activation, (x: number) => number> = {
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

/**
 * The book's test-time forward pass of a kept net (MultiLayerNetExtend.predict(x, train_flg=False)),
 * softmax included, on `rows` images of 784 pixels in [0, 1]: per hidden layer Affine, Batch Norm with
 * the running statistics, the activation, dropout as scaling by 1 - ratio; then Affine and softmax.
 * Plain JavaScript in float64, for a handful of images (a drawn digit); the engine's tfjs pass
 * (engine/trained-nets.ts) must agree with it.
 */
export function predict(net: Omit<TrainedNet, 'report' | 'label'>, input: Float32Array, rows: number): Float64Array[] {
  const arrays = netArrays(net);
  const get = (name: string) => {
    const array = arrays.get(name);
    if (!array) throw new Error(`the net has no ${name}`);
    return array;
  };
  const activation = ACTIVATION_OF[net.activation];
  const out: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    let x: Float64Array = Float64Array.from(input.subarray(r * 784, (r + 1) * 784));
    const layers = net.hidden.length + 1;
    for (let l = 1; l <= layers; l++) {
      const { shape, values: W } = get(`W${l}`);
      const b = get(`b${l}`).values;
      const [fanIn, fanOut] = shape as [number, number];
      const y = new Float64Array(fanOut);
      for (let j = 0; j < fanOut; j++) y[j] = b[j]!;
      for (let i = 0; i < fanIn; i++) {
        const xi = x[i]!;
        if (xi === 0) continue;
        for (let j = 0; j < fanOut; j++) y[j]! += xi * W[i * fanOut + j]!;
      }
      if (l < layers) {
        if (net.batchNorm) {
          const [gamma, beta] = [get(`gamma${l}`).values, get(`beta${l}`).values];
          const [mean, variance] = [get(`running_mean${l}`).values, get(`running_var${l}`).values];
          for (let j = 0; j < fanOut; j++)
            y[j] = (gamma[j]! * (y[j]! - mean[j]!)) / Math.sqrt(variance[j]! + BATCH_NORM_EPSILON) + beta[j]!;
        }
        for (let j = 0; j < fanOut; j++) y[j] = activation(y[j]!) * (1 - net.dropoutRatio);
      }
      x = y;
    }
    const max = Math.max(...x);
    const exp = x.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    out.push(exp.map((v) => v / sum));
  }
  return out;
}

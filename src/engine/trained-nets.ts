import type { Dataset } from './data/mnist';
import { NUM_CLASSES } from './data/mnist';
import { tf } from './backend';
import type { MultiLayerNetExtend } from './nn/multi-layer-net-extend';
import {
  keepNetsRefusal,
  type NetReport,
  type TrainedNet,
  type TrainedNets,
  WRONG_DIGITS_KEPT,
  bytesToBase64,
  float32ToBase64,
  netArrays,
} from '../shared/trained-nets';
import type { Activation } from '../shared/params';

/*
 * A run's nets kept at its end (issue #19): their arrays under the book's names, and what each learned
 * on the test images (accuracy, confusion matrix, the most confidently wrong digits).
 */

/** A net's arrays as the trainer hands them out (a thread posts them as they are). */
export interface NetArrays {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Every array of a net under the book's names: W1, b1, (gamma1, beta1, running_mean1, running_var1), ... */
export function netArraysOf(net: MultiLayerNetExtend): NetArrays[] {
  const arrays = Object.keys(net.params).map((name) => ({
    name,
    shape: [...net.shapes[name]!],
    values: Float32Array.from(net.params[name]!),
  }));
  net.runningStats.forEach((stats, i) => {
    arrays.push({ name: `running_mean${i + 1}`, shape: [stats.mean.length], values: Float32Array.from(stats.mean) });
    arrays.push({
      name: `running_var${i + 1}`,
      shape: [stats.variance.length],
      values: Float32Array.from(stats.variance),
    });
  });
  return arrays;
}

/** What a kept net is besides its arrays. */
export interface NetArchitecture {
  label: string;
  hidden: number[];
  activation: Activation;
  batchNorm: boolean;
  dropoutRatio: number;
}

/** A trained net as the trainer hands it out: its arrays and its report on the test images (null: none). */
export interface FinishedNet {
  arrays: NetArrays[];
  report: NetReport | null;
}

/** A net's arrays as nets.json keeps them (base64 float32). */
const storedArrays = (arrays: readonly NetArrays[]) =>
  arrays.map((a) => ({ name: a.name, shape: a.shape, float32: float32ToBase64(a.values) }));

/**
 * A net at the end of its training, with its report on the test images, made where it trained (the
 * training threads measure their nets side by side). A report that fails leaves the net without one.
 */
export function finishedNet(shape: Omit<NetArchitecture, 'label'>, arrays: NetArrays[], dataset: Dataset): FinishedNet {
  try {
    return { arrays, report: testReport({ ...shape, arrays: storedArrays(arrays) }, dataset) };
  } catch (error) {
    console.error('the report of a trained net failed:', error instanceof Error ? error.message : error);
    return { arrays, report: null };
  }
}

/**
 * Rows per pass over the test images: small, since the training threads measure their nets and a
 * WASM heap, once grown, stays grown.
 */
const CHUNK = 500;

/**
 * The net's softmax outputs on every test image, with tfjs: the same test-time pass as predict() in
 * shared/trained-nets.ts (a test checks that they agree).
 */
export function testProbabilities(net: Omit<TrainedNet, 'report' | 'label'>, dataset: Dataset): Float32Array {
  const arrays = netArrays(net);
  const test = dataset.test;
  const out = new Float32Array(test.count * NUM_CLASSES);
  const tensor = (name: string) => {
    const a = arrays.get(name)!;
    return tf.tensor(a.values, a.shape);
  };
  const act = { relu: tf.relu, sigmoid: tf.sigmoid, tanh: tf.tanh }[net.activation];
  for (let start = 0; start < test.count; start += CHUNK) {
    const rows = Math.min(CHUNK, test.count - start);
    const probabilities = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor2d(test.images.subarray(start * test.pixels, (start + rows) * test.pixels), [
        rows,
        test.pixels,
      ]);
      const layers = net.hidden.length + 1;
      for (let l = 1; l <= layers; l++) {
        x = tf.add(tf.matMul(x as tf.Tensor2D, tensor(`W${l}`) as tf.Tensor2D), tensor(`b${l}`));
        if (l === layers) break;
        if (net.batchNorm) {
          const normal = tf.div(
            tf.sub(x, tensor(`running_mean${l}`)),
            tf.sqrt(tf.add(tensor(`running_var${l}`), 1e-6)),
          );
          x = tf.add(tf.mul(tensor(`gamma${l}`), normal), tensor(`beta${l}`));
        }
        x = tf.mul(act(x), 1 - net.dropoutRatio);
      }
      return tf.softmax(x as tf.Tensor2D).dataSync() as Float32Array;
    });
    out.set(probabilities, start * NUM_CLASSES);
  }
  return out;
}

/** Test accuracy, confusion matrix and the most confidently wrong test digits of a net. */
export function testReport(net: Omit<TrainedNet, 'report' | 'label'>, dataset: Dataset): NetReport {
  const test = dataset.test;
  const probabilities = testProbabilities(net, dataset);
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  const wrong: { index: number; label: number; predicted: number; probability: number }[] = [];
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    const row = probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    let predicted = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (row[k]! > row[predicted]!) predicted = k;
    const label = test.labels[i]!;
    confusion[label]![predicted]!++;
    if (predicted === label) correct++;
    else wrong.push({ index: i, label, predicted, probability: row[predicted]! });
  }
  wrong.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return {
    testAccuracy: test.count > 0 ? correct / test.count : 0,
    confusion,
    wrong: wrong.slice(0, WRONG_DIGITS_KEPT).map((w) => ({ ...w, pixels: digitPixels(dataset, w.index) })),
  };
}

/** A test image's 784 pixels as bytes (0..255), base64. */
function digitPixels(dataset: Dataset, index: number): string {
  const { images, pixels } = dataset.test;
  const bytes = Uint8Array.from(images.subarray(index * pixels, (index + 1) * pixels), (v) => Math.round(v * 255));
  return bytesToBase64(bytes);
}

/**
 * The nets a run keeps, as its modules hand them over: a run reserves room for the nets it will train
 * (refused, with the reason kept, beyond KEEP_NETS_LIMIT_BYTES) and adds each at the end of its training.
 */
export class KeptNets {
  private reserved = 0;
  private reservedCount = 0;
  private readonly entries: ({ order: number; architecture: NetArchitecture } & FinishedNet)[] = [];
  notKept: string | undefined;

  /** Whether `count` more nets of `bytes` may be kept; when not, none of them is, and `notKept` says why. */
  reserve(bytes: number, count: number): boolean {
    const refusal = keepNetsRefusal(this.reserved + bytes, this.reservedCount + count);
    if (refusal) {
      this.notKept = refusal;
      return false;
    }
    this.reserved += bytes;
    this.reservedCount += count;
    return true;
  }

  /** A net at the end of its training; `order` places it among the run's nets (its series' order). */
  add(order: number, architecture: NetArchitecture, net: FinishedNet): void {
    this.entries.push({ order, architecture, ...net });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The kept net placed at `order` (undefined when there is none: not kept, diverged). */
  net(order: number): { architecture: NetArchitecture; arrays: NetArrays[] } | undefined {
    return this.entries.find((entry) => entry.order === order);
  }

  /** nets.json: every kept net in order with its report on the test images, or why none is kept. */
  file(): TrainedNets | null {
    if (this.entries.length === 0) return this.notKept ? { nets: [], notKept: this.notKept } : null;
    const nets = [...this.entries]
      .sort((a, b) => a.order - b.order)
      .map(({ architecture, arrays, report }) => ({ ...architecture, arrays: storedArrays(arrays), report }));
    return { nets, ...(this.notKept ? { notKept: this.notKept } : {}) };
  }
}

/**
 * The test accuracy of the averaged softmax outputs of `nets` (an ensemble, the dropout experiment's
 * comparison): each test image goes to the class with the highest mean probability.
 */
export function ensembleTestAccuracy(
  nets: readonly { architecture: NetArchitecture; arrays: NetArrays[] }[],
  dataset: Dataset,
): number {
  const test = dataset.test;
  const sum = new Float64Array(test.count * NUM_CLASSES);
  for (const { architecture, arrays } of nets) {
    const net = {
      ...architecture,
      arrays: arrays.map((a) => ({ name: a.name, shape: a.shape, float32: float32ToBase64(a.values) })),
    };
    const probabilities = testProbabilities(net, dataset);
    for (let i = 0; i < sum.length; i++) sum[i]! += probabilities[i]!;
  }
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (sum[i * NUM_CLASSES + k]! > sum[i * NUM_CLASSES + best]!) best = k;
    if (best === test.labels[i]) correct++;
  }
  return test.count > 0 ? correct / test.count : 0;
}

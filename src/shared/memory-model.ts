import { OPTIMIZER_STATE_ARRAYS, type OptimizerName } from './optimizers';
import type { Activation } from './params';

/*
 * How much memory a run takes, from what its parameters make the engine allocate (src/engine): the
 * generic arithmetic. Each experiment says what it trains (memory-workloads.ts); memory-budget.ts
 * compares the result with what the backend can hold. The counts follow the engine's code paths and
 * were checked against tfjs' own tensor accounting and the WASM heap (engine/memory-estimate.test.ts).
 */

/** One parameter behind a part of the estimate, with its value: `batchSize` 60000, `hidden` [4096 x 16]. */
export interface MemoryFactor {
  /** The parameter's name, as the form and `lab run --set` call it. */
  param: string;
  value: number | readonly number[];
}

export type MemoryPartKind =
  /** The training pass of one net: activations and their gradients (one tf.tidy holds them all). */
  | 'activations'
  /** The net's weights as uploaded for a pass, their transposes and gradients. */
  | 'weights'
  /** The test pass of one net over at most 10,000 rows. */
  | 'testPass'
  /** Mini-batches: the current one, or those kept for later groups of nets. */
  | 'batches'
  /** The images whose accuracy is measured every epoch, uploaded once. */
  | 'accuracySets'
  /** The nets alive at once: their parameters and their optimizers' state (float64). */
  | 'nets'
  /** The training images as floats in JS. */
  | 'trainingImages'
  /** Arrays of an experiment that trains no net (init-activations' layers, the toy function's paths). */
  | 'arrays'
  /** MNIST as read from disk (bytes), in each thread that reads it. */
  | 'dataset'
  /** Node, tfjs and the backend of a thread (or the process). */
  | 'runtime'
  /** The recorded points and the run record built from them. */
  | 'points';

/** Where a part lives: `heap` in the backend's tensor memory (the thread's WASM heap on WASM), `js` anywhere else. */
export type MemoryPlace = 'heap' | 'js';

export interface MemoryPart {
  kind: MemoryPartKind;
  place: MemoryPlace;
  bytes: number;
  /** The parameters it grows with. */
  factors: readonly MemoryFactor[];
}

/** One net as memory sees it (the chapter's MultiLayerNet / MultiLayerNetExtend on MNIST). */
export interface NetLoad {
  hidden: readonly number[];
  activation: Activation;
  batchNorm: boolean;
  dropout: boolean;
  optimizer: OptimizerName;
}

/** A set of images measured every epoch (engine/fast/accuracy-set.ts). */
export interface AccuracySetLoad {
  rows: number;
  /** The parameter that sets `rows` (none for the fixed test set). */
  factor?: MemoryFactor;
  /** The rows are a selection of the training images, copied into JS as floats. */
  copied: boolean;
  /** Measured through the span of this many training images (span-projection.ts), else directly. */
  spanRank?: number;
}

/** Nets trained on MNIST mini-batches (engine/experiments/epoch-nets.ts; 'shared-batch': its iterationJob). */
export interface TrainingWorkload {
  kind: 'training';
  trainer: 'shared-batch' | 'epoch';
  nets: readonly NetLoad[];
  /** The parameter that sets how many nets train (scales: two nets each; optimizers; trials), if one does. */
  netCount?: MemoryFactor;
  /** How many times the run trains `nets` one after another (the workbench's seeds); default once. */
  repeats?: number;
  /** Rows of a mini-batch. */
  batchRows: number;
  /** How many of a thread's nets train side by side, group after group; undefined: all of them at once. */
  groupSize?: number;
  /** The epoch trainer's accuracy sets (none for the iteration-based trainer). */
  sets: readonly AccuracySetLoad[];
  /** Mini-batches in the whole run (epochs x iterations per epoch): what a batch cache would keep. */
  runBatches: number;
  /** The parameter that sets the run's length (epochs, iterations). */
  length: MemoryFactor;
  /** Points the run records. */
  points: number;
}

/** An experiment that trains no net: its arrays, computed by the experiment itself. */
export interface DirectWorkload {
  kind: 'direct';
  parts: readonly MemoryPart[];
  points: number;
  /** The parameter that sets how many points it records. */
  length: MemoryFactor;
}

export type MemoryWorkload = TrainingWorkload | DirectWorkload;

export const FLOAT32 = 4;
export const FLOAT64 = 8;
const MIB = 2 ** 20;

/** MNIST's geometry: every experiment reads it (a dataset folder of the same format has the same sizes). */
export const MNIST = { trainImages: 60_000, testImages: 10_000, pixels: 784, classes: 10 } as const;

/**
 * The engine's constants that bound memory, mirrored here (src/shared imports no engine code;
 * engine/memory-estimate.test.ts checks the exported ones against the engine's).
 */
export const ENGINE_MEMORY = {
  /** engine/fast/accuracy-set.ts ACCURACY_CHUNK_ROWS: rows per test pass. */
  accuracyChunkRows: 10_000,
  /** engine/experiments/epoch-nets.ts BATCH_CACHE_BYTES: the most the kept mini-batches may take. */
  batchCacheBytes: 512 * MIB,
} as const;

/**
 * What the runtime costs beside the arrays counted here, measured on Node 20: the worker process
 * (Node, tfjs, the backend, the garbage a run leaves for the collector), each training thread (its
 * isolate and tfjs; its WASM heap starts at 16 MiB), and how far the WASM heap grows past the tensors
 * it holds (by a fifth of its size at a time, and it fragments; XNNPACK's packed copies of matMul
 * operands are counted with the tensors).
 */
export const RUNTIME = {
  processBytes: 192 * MIB,
  threadBytes: 64 * MIB,
  wasmInitialBytes: 16 * MIB,
  heapGrowth: 1.25,
  /** A recorded point: x and y in the reporter's arrays, in the record, and its JSON on its way out. */
  pointBytes: 64,
} as const;

/** The bytes of MNIST as read (images and labels of both splits) plus the per-image bit sets of used pixels. */
export const DATASET_BYTES =
  (MNIST.trainImages + MNIST.testImages) * (MNIST.pixels + 1) + MNIST.trainImages * Math.ceil(MNIST.pixels / 32) * 4;

/**
 * How many threads train `members` independent nets on `threads` threads: the engine's shardCount
 * (engine/experiments/members.ts), one per thread when they split evenly or are many, else one per
 * member; 1 means the worker's own thread.
 */
export function trainingThreads(members: number, threads: number): number {
  if (threads <= 1 || members <= 1) return 1;
  if (members % threads === 0 || members > 2 * threads) return Math.min(threads, members);
  return members;
}

/** Weights of a net: every Affine's fan_in x fan_out (784 -> hidden -> 10). */
export function weightCount(hidden: readonly number[]): number {
  const sizes = [MNIST.pixels, ...hidden, MNIST.classes];
  let sum = 0;
  for (let i = 1; i < sizes.length; i++) sum += sizes[i - 1]! * sizes[i]!;
  return sum;
}

/** Parameters of a net: weights, biases, and γ and β per Batch Norm unit. */
export function parameterCount(net: NetLoad): number {
  const units = net.hidden.reduce((a, b) => a + b, 0);
  return weightCount(net.hidden) + units + MNIST.classes + (net.batchNorm ? 2 * units : 0);
}

/**
 * Tensors of one hidden unit per row that a training pass keeps until its tf.tidy ends
 * (engine/fast/fast-net.ts): the Affine's output; Batch Norm's xc, xc², xn, γ xn, + β and as many in
 * backward; the activation (ReLU fused into the Affine: its step and product in backward; unfused:
 * relu, step and the product; sigmoid / tanh: the output and three in backward); Dropout's mask,
 * product and backward product; the next Affine's transpose of it and the gradient into it; and
 * XNNPACK's packed copy of the gradient that multiplies into dW.
 */
function trainTensorsPerUnit(net: NetLoad): number {
  const activation = net.activation === 'relu' ? (net.batchNorm ? 3 : 2) : 4;
  return 1 + (net.batchNorm ? 10 : 0) + activation + (net.dropout ? 3 : 0) + 2 + 1;
}

/** A test pass keeps each layer's output (tfjs counts the fused product twice), unfused activations and dropout's. */
function testTensorsPerUnit(net: NetLoad): number {
  return 2 + (net.activation === 'relu' ? 0 : 1) + (net.dropout ? 1 : 0);
}

/** The first Affine's weights: uploaded, packed and (training) its gradient; the others' also transposed and packed. */
function passWeightFloats(net: NetLoad, training: boolean): number {
  const first = MNIST.pixels * net.hidden[0]!;
  const rest = weightCount(net.hidden) - first;
  return training ? 3 * first + 5 * rest : 2 * (first + rest);
}

const unitCount = (net: NetLoad) => net.hidden.reduce((a, b) => a + b, 0);

/** The net with the most memory per pass (the largest hidden layers; Batch Norm and dropout add tensors). */
function largestNet(nets: readonly NetLoad[]): NetLoad {
  return nets.reduce((best, net) =>
    unitCount(net) * trainTensorsPerUnit(net) + weightCount(net.hidden) >
    unitCount(best) * trainTensorsPerUnit(best) + weightCount(best.hidden)
      ? net
      : best,
  );
}

/** The memory one training thread needs: its parts, the heap its tensors take (growth included) and all of it. */
export interface ThreadMemory {
  parts: MemoryPart[];
  /** The backend's tensor memory of the thread; on WASM the size its heap grows to. */
  heapBytes: number;
  bytes: number;
}

const part = (
  kind: MemoryPartKind,
  place: MemoryPlace,
  bytes: number,
  factors: readonly MemoryFactor[],
): MemoryPart => ({
  kind,
  place,
  bytes,
  factors,
});

/** The busiest thread of a training workload: `members` of its nets, `alive` of them side by side. */
export function trainingThreadMemory(workload: TrainingWorkload, members: number): ThreadMemory {
  const net = largestNet(workload.nets);
  const n = workload.batchRows;
  const hidden: MemoryFactor = { param: 'hidden', value: net.hidden };
  const batchSize: MemoryFactor = { param: 'batchSize', value: n };
  const alive = Math.min(members, workload.groupSize ?? members);
  const netCount = workload.netCount ? [workload.netCount] : [];
  const parts: MemoryPart[] = [];

  parts.push(part('activations', 'heap', n * unitCount(net) * trainTensorsPerUnit(net) * FLOAT32, [batchSize, hidden]));
  parts.push(part('weights', 'heap', passWeightFloats(net, true) * FLOAT32, [hidden]));

  // One mini-batch (x and its transpose at full width, one-hot targets), or every batch of the run kept
  // for the later groups when they fit the engine's cache (epoch-nets.ts).
  const batchBytes = n * (2 * MNIST.pixels + MNIST.classes) * FLOAT32;
  const cached = workload.runBatches * batchBytes;
  const keep = workload.trainer === 'epoch' && members > alive && cached <= ENGINE_MEMORY.batchCacheBytes;
  parts.push(
    keep
      ? part('batches', 'heap', cached, [batchSize, workload.length, ...netCount])
      : part('batches', 'heap', batchBytes, [batchSize]),
  );

  let setBytes = 0;
  let chunkRows = 0;
  let spanBytes = 0;
  const setFactors: MemoryFactor[] = [];
  for (const set of workload.sets) {
    const rank = set.spanRank;
    if (rank === undefined) {
      setBytes += set.rows * MNIST.pixels * FLOAT32;
    } else {
      // Full-width rows and their projection on the basis, the basis twice, and per net x times W1's
      // part outside the span (kept for every net the thread measures) plus the pass's products.
      setBytes += set.rows * (MNIST.pixels + rank) * FLOAT32 + 2 * MNIST.pixels * rank * FLOAT32;
      const chunk = Math.min(set.rows, ENGINE_MEMORY.accuracyChunkRows);
      spanBytes = Math.max(spanBytes, (members * set.rows + 3 * chunk) * net.hidden[0]! * FLOAT32);
    }
    chunkRows = Math.max(chunkRows, Math.min(set.rows, ENGINE_MEMORY.accuracyChunkRows));
    if (set.factor) setFactors.push(set.factor);
  }
  if (setBytes > 0) parts.push(part('accuracySets', 'heap', setBytes + spanBytes, setFactors));
  if (chunkRows > 0) {
    const testBytes = (chunkRows * unitCount(net) * testTensorsPerUnit(net) + passWeightFloats(net, false)) * FLOAT32;
    parts.push(part('testPass', 'heap', testBytes, [hidden, ...setFactors]));
  }

  // JS: the nets alive (parameters in float32, optimizer state in float64), and one step's gradients
  // read back with W1's scattered and gathered copies; the training images as floats.
  const stateArrays = Math.max(...workload.nets.map((m) => OPTIMIZER_STATE_ARRAYS[m.optimizer]));
  const params = parameterCount(net);
  const netBytes = alive * params * (FLOAT32 + stateArrays * FLOAT64) + 3 * params * FLOAT32;
  parts.push(part('nets', 'js', netBytes, [hidden, ...netCount]));
  const copied = workload.sets.filter((s) => s.copied);
  const imageBytes = copied.reduce((sum, s) => sum + s.rows * MNIST.pixels * FLOAT32, 0);
  if (imageBytes > 0)
    parts.push(
      part(
        'trainingImages',
        'js',
        imageBytes,
        copied.flatMap((s) => (s.factor ? [s.factor] : [])),
      ),
    );
  parts.push(part('dataset', 'js', DATASET_BYTES, []));
  return threadTotals(parts, true);
}

/** Heap parts that live only during a training pass, or a test pass: the two never overlap. */
const TRAINING_PASS: readonly MemoryPartKind[] = ['activations', 'weights'];
const TEST_PASS: readonly MemoryPartKind[] = ['testPass'];

/** A thread's heap (tensors, grown as the WASM heap grows) and everything it holds, runtime included. */
export function threadTotals(parts: MemoryPart[], tensors: boolean): ThreadMemory {
  const heap = (keep: (kind: MemoryPartKind) => boolean) =>
    parts.filter((p) => p.place === 'heap' && keep(p.kind)).reduce((sum, p) => sum + p.bytes, 0);
  const passes = Math.max(
    heap((kind) => TRAINING_PASS.includes(kind)),
    heap((kind) => TEST_PASS.includes(kind)),
  );
  const tensorBytes = heap((kind) => !TRAINING_PASS.includes(kind) && !TEST_PASS.includes(kind)) + passes;
  const heapBytes = tensors ? Math.ceil(tensorBytes * RUNTIME.heapGrowth) + RUNTIME.wasmInitialBytes : 0;
  const jsBytes = parts.filter((p) => p.place === 'js').reduce((sum, p) => sum + p.bytes, 0);
  return { parts, heapBytes, bytes: heapBytes + jsBytes + RUNTIME.threadBytes };
}

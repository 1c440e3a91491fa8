import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../shared/events';
import { defaultParams, parseParams } from '../shared/experiments';
import { MemoryBudgetError, formatBytes, memoryWorkload } from '../shared/memory-budget';
import {
  ENGINE_MEMORY,
  MNIST,
  type MemoryPartKind,
  type NetLoad,
  type TrainingWorkload,
  trainingThreadMemory,
  trainingThreads,
} from '../shared/memory-model';
import { OPTIMIZER_NAMES, OPTIMIZER_STATE_ARRAYS, defaultOptimizer } from '../shared/optimizers';
import { initBackend, tf } from './backend';
import { disposeBatch } from './data/batch';
import { firstItems, loadDataset } from './data/mnist';
import { ACCURACY_CHUNK_ROWS, AccuracySet } from './fast/accuracy-set';
import { fastGradient } from './fast/fast-net';
import { makePrunedBatch } from './fast/pruned-batch';
import { sampleTrials, searchJob } from './experiments/hyperparameter-search';
import { shardCount } from './experiments/members';
import { EXPERIMENT_MODULES } from './experiments/registry';
import { MultiLayerNetExtend } from './nn/multi-layer-net-extend';
import { createOptimizer } from './optim';
import { Random } from './random';
import { runExperiment } from './runner';

/*
 * The memory estimate (src/shared/memory-model.ts) against the engine it describes: the constants and
 * splits it mirrors, and the tensors real passes keep, as tfjs counts them and as the WASM heap grows.
 */

beforeAll(async () => {
  await initBackend();
});

describe('what the estimate mirrors', () => {
  it('splits members over threads as members.ts does', () => {
    for (let members = 1; members <= 40; members++)
      for (let threads = 1; threads <= 16; threads++)
        expect(trainingThreads(members, threads), `${members} on ${threads}`).toBe(shardCount(members, threads));
  });

  it('measures accuracy in chunks of the accuracy sets’ rows', () => {
    expect(ENGINE_MEMORY.accuracyChunkRows).toBe(ACCURACY_CHUNK_ROWS);
  });

  it.each(OPTIMIZER_NAMES)('%s keeps as many float64 arrays per parameter as the estimate says', (name) => {
    const optimizer = createOptimizer(defaultOptimizer(name));
    optimizer.update({ W: new Float32Array(3) }, { W: Float32Array.of(0.1, -0.2, 0.3) });
    const state = Object.values(optimizer.state());
    expect(state).toHaveLength(OPTIMIZER_STATE_ARRAYS[name]);
    for (const slot of state) expect(slot.W).toBeInstanceOf(Float64Array);
  });

  it('trains the search’s trials as many side by side as its job does', () => {
    const params = defaultParams('hyperparameter-search');
    const workload = memoryWorkload('hyperparameter-search', params);
    expect(workload.kind === 'training' && workload.groupSize).toBe(searchJob(params, sampleTrials(params)).groupSize);
  });
});

/** One net alone in a thread, on `rows`-row batches, measured on `testRows` images. */
function workloadOf(net: NetLoad, rows: number, testRows: number): TrainingWorkload {
  return {
    kind: 'training',
    trainer: 'shared-batch',
    nets: [net],
    batchRows: rows,
    sets: [{ rows: testRows, copied: false }],
    runBatches: 1,
    length: { param: 'iterations', value: 1 },
    points: 0,
  };
}

const NETS: [string, NetLoad][] = [
  ['ReLU', { hidden: [500, 300], activation: 'relu', batchNorm: false, dropout: false, optimizer: 'SGD' }],
  ['ReLU + Batch Norm', { hidden: [500, 300], activation: 'relu', batchNorm: true, dropout: false, optimizer: 'SGD' }],
  ['ReLU + dropout', { hidden: [500, 300], activation: 'relu', batchNorm: false, dropout: true, optimizer: 'SGD' }],
  ['sigmoid', { hidden: [500, 300], activation: 'sigmoid', batchNorm: false, dropout: false, optimizer: 'SGD' }],
  [
    'tanh + Batch Norm + dropout',
    { hidden: [400, 400], activation: 'tanh', batchNorm: true, dropout: true, optimizer: 'SGD' },
  ],
];
const ROWS = 1000;
const TEST_ROWS = 3000;

/** WASM's heap size now (0 on another backend). */
const wasmHeap = () =>
  (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.buffer.byteLength ?? 0;

describe('the tensors real passes keep', () => {
  let largestHeapEstimate = 0;

  it.each(NETS)('%s: a training pass and a test pass stay within the estimate, and near it', async (_name, load) => {
    const { train } = loadDataset();
    const net = new MultiLayerNetExtend(
      {
        inputSize: MNIST.pixels,
        hidden: load.hidden,
        outputSize: MNIST.classes,
        activation: load.activation,
        useBatchNorm: load.batchNorm,
        dropoutRatio: load.dropout ? 0.3 : 0,
      },
      new Random(1, 1),
      new Random(1, 2),
    );
    const estimate = trainingThreadMemory(workloadOf(load, ROWS, TEST_ROWS), 1);
    const bytes = (kind: MemoryPartKind) => estimate.parts.find((p) => p.kind === kind)!.bytes;
    largestHeapEstimate = Math.max(largestHeapEstimate, estimate.heapBytes);

    const batch = makePrunedBatch(
      train,
      Int32Array.from({ length: ROWS }, (_, r) => r),
    );
    const set = new AccuracySet(firstItems(train, TEST_ROWS));
    try {
      let before = tf.memory().numBytes;
      const trainPeak = (await tf.profile(() => void fastGradient(net, batch))).peakBytes - before;
      // The estimate adds XNNPACK's packed operands, which tfjs does not count: within, and not far off.
      const trainEstimate = bytes('activations') + bytes('weights');
      expect(trainPeak).toBeLessThanOrEqual(trainEstimate);
      expect(trainPeak).toBeGreaterThan(0.6 * trainEstimate);

      before = tf.memory().numBytes;
      const testPeak = (await tf.profile(() => void set.accuracy(net))).peakBytes - before;
      expect(testPeak).toBeLessThanOrEqual(bytes('testPass'));
      expect(testPeak).toBeGreaterThan(0.5 * bytes('testPass'));
    } finally {
      disposeBatch(batch);
      set.dispose();
    }
  });

  it('the WASM heap grew no further than the largest estimate', () => {
    const heap = wasmHeap();
    if (heap === 0) return; // another backend: no WASM heap to measure
    expect(heap, `${formatBytes(heap)} against ${formatBytes(largestHeapEstimate)}`).toBeLessThanOrEqual(
      largestHeapEstimate,
    );
  });
});

describe('runExperiment', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a run that does not fit before it starts, naming its estimate', async () => {
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const run = runExperiment(
      'batch-norm',
      { trainSize: 60000, batchSize: 60000, hidden: Array(16).fill(4096), scales: 64 },
      { onEvent: (event) => events.push(event) },
    );
    await expect(run).rejects.toBeInstanceOf(MemoryBudgetError);
    await expect(run).rejects.toThrow(/too large for memory: the run needs ≈ [\d.]+ [GT]iB.*batchSize 60000/);
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends a run that runs out of memory anyway failed, with a plain message', async () => {
    const module = EXPERIMENT_MODULES['optimizer-paths'];
    vi.spyOn(module, 'run').mockRejectedValue(
      new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.'),
    );
    const record = await runExperiment('optimizer-paths', parseParams('optimizer-paths', {}));
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^out of memory: /);
    expect(record.error).not.toMatch(/Aborted|ASSERTIONS/);
  });
});

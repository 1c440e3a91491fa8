import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, ParamError, defaultParams, parseParams } from './experiments';
import {
  MemoryBudgetError,
  WASM_HEAP_MAX_BYTES,
  assertFitsMemory,
  checkMemory,
  estimateMemoryOf,
  estimateRunMemory,
  formatBytes,
  formatFactor,
  isOutOfMemory,
  memoryBudget,
  memoryMessage,
  outOfMemoryMessage,
  runThreads,
} from './memory-budget';
import { type MemoryPartKind, RUNTIME } from './memory-model';

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/** The issue's run (#16): accepted, silent for 4 minutes, then "Aborted()". */
const ISSUE_BATCH_NORM = { trainSize: 60000, batchSize: 60000, hidden: Array(16).fill(4096), scales: 64 };

const estimate = (id: ExperimentId, params: Record<string, unknown>, threads = 2) => {
  const result = estimateMemoryOf(id, params, threads);
  if (!result) throw new Error(`invalid parameters for ${id}`);
  return result;
};
const partBytes = (id: ExperimentId, params: Record<string, unknown>, kind: MemoryPartKind) =>
  estimate(id, params).thread.parts.find((p) => p.kind === kind)?.bytes ?? 0;

/** The experiments that train nets on mini-batches (their schemas have batchSize and hidden). */
const TRAINING = EXPERIMENT_IDS.filter((id) => 'batchSize' in defaultParams(id) && 'hidden' in defaultParams(id));

describe('the book defaults', () => {
  it.each(EXPERIMENT_IDS)('%s fits with room to spare on WASM: 2 threads in 4 GiB, 8 in 16 GiB', (id) => {
    // Small machines: a run may take half their memory. Every thread reads MNIST and may keep its
    // batches, so the total grows with the threads.
    for (const [threads, machine] of [
      [1, 4 * GIB],
      [2, 4 * GIB],
      [8, 16 * GIB],
    ] as const) {
      const e = estimateRunMemory(id, defaultParams(id), threads);
      expect(checkMemory(e, memoryBudget('wasm', machine)).exceeds, `${threads} threads`).toBeNull();
      expect(e.thread.heapBytes).toBeLessThan(256 * MIB);
      expect(e.totalBytes).toBeLessThan(threads * 0.4 * GIB + 0.5 * GIB);
      expect(e.totalBytes).toBeGreaterThanOrEqual(RUNTIME.processBytes);
    }
  });

  it('gives plausible numbers (checked against real runs: see engine/memory-estimate.test.ts)', () => {
    const bn = estimateRunMemory('batch-norm', defaultParams('batch-norm'), 2);
    // 32 nets, 16 a thread, two at a time: their 200 mini-batches (100 x 784 x 2) are kept for the later pairs.
    expect(bn.threads).toBe(2);
    expect(bn.thread.parts.find((p) => p.kind === 'batches')!.bytes).toBe(200 * 100 * (2 * 784 + 10) * 4);
    // optimizers-mnist: 4 nets of 784-100x4-10; on 2 threads a real run's RSS was 510 MiB (tsx).
    const opt = estimateRunMemory('optimizers-mnist', defaultParams('optimizers-mnist'), 2);
    expect(opt.totalBytes).toBeGreaterThan(450 * MIB);
    expect(opt.totalBytes).toBeLessThan(800 * MIB);
  });
});

describe('the estimate follows the engine', () => {
  it('a known case by hand: one ReLU layer of 1000 units, 1000 rows, SGD', () => {
    const params = { batchSize: 1000, hidden: [1000], optimizers: ['SGD'] };
    // Per unit and row: the Affine's output, ReLU's step and product, the next Affine's transpose and
    // input gradient, the packed gradient: 6 floats.
    expect(partBytes('optimizers-mnist', params, 'activations')).toBe(1000 * 1000 * 6 * 4);
    // W1 uploaded, packed and its gradient; W2 also transposed and packed again.
    expect(partBytes('optimizers-mnist', params, 'weights')).toBe((3 * 784 * 1000 + 5 * 1000 * 10) * 4);
  });

  it.each(TRAINING)('%s: activations grow with batchSize and the hidden sizes', (id) => {
    const base = { ...defaultParams(id), trainSize: 10_000 } as Record<string, unknown>;
    if (!('trainSize' in defaultParams(id))) delete base.trainSize;
    const activations = (change: Record<string, unknown>) => partBytes(id, { ...base, ...change }, 'activations');
    expect(activations({ batchSize: 200 })).toBeGreaterThan(activations({ batchSize: 100 }));
    expect(activations({ hidden: [200, 200] })).toBeGreaterThan(activations({ hidden: [100, 100] }));
    expect(activations({ hidden: [100, 100, 100] })).toBeGreaterThan(activations({ hidden: [100, 100] }));
    const weights = (hidden: number[]) => partBytes(id, { ...base, hidden }, 'weights');
    expect(weights([300])).toBeGreaterThan(weights([100]));
  });

  it('more nets: more memory in all, and in each thread once it holds more of them', () => {
    const total = (trials: number, threads: number) =>
      estimate('hyperparameter-search', { trials }, threads).totalBytes;
    expect(total(40, 2)).toBeGreaterThanOrEqual(total(20, 2));
    const optimizers = (list: string[]) => estimate('optimizers-mnist', { optimizers: list }, 1).totalBytes;
    expect(optimizers(['SGD', 'Adam'])).toBeGreaterThan(optimizers(['SGD']));
    // Adam keeps two float64 arrays per parameter, SGD none.
    expect(optimizers(['Adam'])).toBeGreaterThan(optimizers(['SGD']));
  });

  it('Batch Norm and dropout add tensors per unit', () => {
    const bn = estimate('batch-norm', { hidden: [100], batchSize: 100 });
    const activations = bn.thread.parts.find((p) => p.kind === 'activations')!.bytes;
    // Batch Norm's five tensors forward and five backward, and the ReLU after it unfused: 17 per unit.
    expect(activations).toBe(100 * 100 * 17 * 4);
    const withDropout = partBytes('dropout', { dropoutRatio: 0.5, hidden: [100] }, 'activations');
    const without = partBytes('dropout', { dropoutRatio: 0, hidden: [100] }, 'activations');
    expect(withDropout - without).toBe(100 * 100 * 3 * 4);
  });

  it('splits nets over threads as the engine does, and counts every thread in the total', () => {
    // 4 optimizers on 2 threads: 2 each; on 3: one per member (4 threads); 2 on 8: 2 threads.
    expect(estimate('optimizers-mnist', {}, 2).threads).toBe(2);
    expect(estimate('optimizers-mnist', {}, 3).threads).toBe(4);
    expect(estimate('optimizers-mnist', { optimizers: ['SGD', 'Adam'] }, 8).threads).toBe(2);
    expect(estimate('optimizers-mnist', {}, 4).totalBytes).toBeGreaterThan(
      estimate('optimizers-mnist', {}, 2).totalBytes,
    );
    // The toy function and the histograms train no net: one thread, no tensors.
    expect(estimate('optimizer-paths', {}, 8)).toMatchObject({ threads: 1, thread: { heapBytes: 0 } });
    expect(estimate('init-activations', {}, 8)).toMatchObject({ threads: 1, thread: { heapBytes: 0 } });
  });

  it('names the parameters that drive it, largest first', () => {
    const e = estimate('batch-norm', ISSUE_BATCH_NORM);
    expect(e.drivers.slice(0, 2).map((d) => d.param)).toEqual(['batchSize', 'hidden']);
    expect(e.drivers.map((d) => d.param)).toContain('scales');
  });
});

describe('the budget', () => {
  it('WASM: 4 GiB per worker thread and half the machine; native and cpu: half the machine; unknown: both', () => {
    expect(memoryBudget('wasm', 16 * GIB)).toEqual({
      backend: 'wasm',
      threadHeapBytes: WASM_HEAP_MAX_BYTES,
      totalBytes: 8 * GIB,
    });
    expect(memoryBudget('tensorflow', 16 * GIB)).toEqual({
      backend: 'tensorflow',
      threadHeapBytes: null,
      totalBytes: 8 * GIB,
    });
    expect(memoryBudget('cpu', 16 * GIB).threadHeapBytes).toBeNull();
    expect(memoryBudget(null, 16 * GIB).threadHeapBytes).toBe(WASM_HEAP_MAX_BYTES);
  });

  it("refuses the issue's batch-norm run on WASM and on a native backend with 64 GiB, naming its estimate", () => {
    const params = parseParams('batch-norm', ISSUE_BATCH_NORM);
    for (const budget of [memoryBudget('wasm', 64 * GIB), memoryBudget('tensorflow', 64 * GIB)]) {
      let error: unknown;
      try {
        assertFitsMemory('batch-norm', params, 2, budget);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MemoryBudgetError);
      expect(error).toBeInstanceOf(ParamError);
      const check = (error as MemoryBudgetError).check;
      expect(check.exceeds?.limit).toBe(budget.threadHeapBytes === null ? 'total' : 'threadHeap');
      const message = (error as Error).message;
      expect(message).toContain(`≈ ${formatBytes(check.exceeds!.neededBytes)}`);
      expect(message).toContain('batchSize 60000');
      expect(message).toContain('hidden 16 × 4096');
      expect(message).toMatch(budget.threadHeapBytes === null ? /half of this machine/ : /4 GiB a WASM thread/);
    }
  });

  it('runs just under WASM’s limit pass, just over it are refused', () => {
    const budget = memoryBudget('wasm', 1024 * GIB);
    const heap = (batchSize: number) =>
      estimate('optimizers-mnist', { batchSize, hidden: [4096, 4096], optimizers: ['SGD'] }, 1).thread.heapBytes;
    let fits = 1;
    while (heap(fits * 2) <= WASM_HEAP_MAX_BYTES) fits *= 2;
    const over = parseParams('optimizers-mnist', { batchSize: fits * 2, hidden: [4096, 4096], optimizers: ['SGD'] });
    const under = parseParams('optimizers-mnist', { batchSize: fits, hidden: [4096, 4096], optimizers: ['SGD'] });
    expect(() => assertFitsMemory('optimizers-mnist', under, 1, budget)).not.toThrow();
    expect(() => assertFitsMemory('optimizers-mnist', over, 1, budget)).toThrow(MemoryBudgetError);
  });

  it('a run that fits says its peak', () => {
    const e = estimateRunMemory('weight-decay', defaultParams('weight-decay'), 2);
    expect(memoryMessage(checkMemory(e, memoryBudget('wasm', 16 * GIB)))).toMatch(/^≈ \d+(\.\d+)? MiB peak \(/);
  });

  it('threads per run as the service hands them out', () => {
    expect(runThreads('one', 8, 1)).toBe(8);
    expect(runThreads('one', 8, 3)).toBe(2);
    expect(runThreads('all', 8, 3)).toBe(6);
    expect(runThreads('one', 2, 4)).toBe(1);
  });
});

describe('formatting', () => {
  it('bytes in binary units with three digits', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(310 * MIB)).toBe('310 MiB');
    expect(formatBytes(61.24 * GIB)).toBe('61.2 GiB');
    expect(formatBytes(WASM_HEAP_MAX_BYTES)).toBe('4 GiB');
  });

  it('factors: numbers, equal layers, other lists', () => {
    expect(formatFactor({ param: 'batchSize', value: 60000 })).toBe('batchSize 60000');
    expect(formatFactor({ param: 'hidden', value: Array(16).fill(4096) })).toBe('hidden 16 × 4096');
    expect(formatFactor({ param: 'hidden', value: [100, 50] })).toBe('hidden [100, 50]');
  });
});

describe('out of memory anyway', () => {
  it.each([
    'Aborted(). Build with -sASSERTIONS for more info.',
    'Aborted(OOM)',
    'Cannot enlarge memory arrays to size 4294967296 bytes',
    'RangeError: WebAssembly.Memory(): could not allocate memory',
    'RangeError: Array buffer allocation failed',
    'Worker terminated due to reaching memory limit: JS heap out of memory',
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  ])('%s is out of memory', (text) => {
    expect(isOutOfMemory(text)).toBe(true);
  });

  it.each(['training thread exited with code 1', 'dataset folder not found', 'killed by SIGKILL', 'cancelled'])(
    '%s is not',
    (text) => expect(isOutOfMemory(text)).toBe(false),
  );

  it('says so plainly, with what to lower and never the abort text', () => {
    const message = outOfMemoryMessage('wasm');
    expect(message).toMatch(/^out of memory: /);
    expect(message).toContain('4 GiB per worker thread');
    expect(message).toContain('batchSize');
    expect(message).not.toMatch(/Aborted|ASSERTIONS/);
  });
});

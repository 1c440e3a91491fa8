import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../backend';
import type { Batch } from '../nn/multi-layer-net';
import { MultiLayerNetExtend } from '../nn/multi-layer-net-extend';
import { Random } from '../random';
import { withBatch } from './batch';
import { type Split, firstItems, loadDataset } from './mnist';
import { gatherColumns, gatherColumnsBothWays, usedColumns, withPrunedBatch } from './pruned-batch';

let train: Split;
let before = 0;
beforeAll(async () => {
  await initBackend();
  train = firstItems(loadDataset().train, 1000);
  before = tf.memory().numTensors;
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(before);
});

describe('columns', () => {
  const tiny: Split = { images: Float32Array.from([0, 1, 0, 0, /**/ 0, 0, 2, 0, /**/ 3, 0, 0, 0]), labels: new Uint8Array(3), count: 3, pixels: 4 };

  it('usedColumns lists the pixels non-zero in some of the rows', () => {
    expect(Array.from(usedColumns(tiny))).toEqual([0, 1, 2]);
    expect(Array.from(usedColumns(tiny, [0, 1]))).toEqual([1, 2]);
    expect(Array.from(usedColumns(tiny, [2, 2]))).toEqual([0]);
    // Past 32 pixels the bit sets take a second word.
    const wide: Split = { images: Float32Array.from({ length: 80 }, (_, i) => (i === 33 || i === 40 + 39 ? 1 : 0)), labels: new Uint8Array(2), count: 2, pixels: 40 };
    expect(Array.from(usedColumns(wide, [0, 1]))).toEqual([33, 39]);
    expect(Array.from(usedColumns(wide, [1]))).toEqual([39]);
    expect(Array.from(usedColumns(wide))).toEqual([33, 39]);
    // MNIST's borders: about a third of the pixels are 0 in a hundred images.
    const columns = usedColumns(train, Array.from({ length: 100 }, (_, i) => i));
    expect(columns.length).toBeGreaterThan(400);
    expect(columns.length).toBeLessThan(650);
  });

  it('gatherColumns copies those columns of the rows, row-major or transposed', () => {
    const columns = Int32Array.from([1, 2]);
    expect(Array.from(gatherColumns(tiny, [1, 0], columns))).toEqual([0, 2, 1, 0]);
    const both = gatherColumnsBothWays(tiny, [1, 0], columns);
    expect(Array.from(both.x)).toEqual([0, 2, 1, 0]);
    expect(Array.from(both.xT)).toEqual([0, 1, 2, 0]);
  });
});

describe('a pruned batch', () => {
  it('is the same built from the bytes of a split as loaded as from its floats', () => {
    const loaded = loadDataset().train;
    const floats: Split = { images: loaded.images, labels: loaded.labels, count: loaded.count, pixels: loaded.pixels };
    const indices = new Random(9, 0).choice(loaded.count, 64);
    const read = (batch: Batch) => ({ x: batch.x.dataSync().slice(), xT: batch.xT!.dataSync().slice(), t: batch.t.dataSync().slice(), columns: batch.columns });
    const fromBytes = withPrunedBatch(loaded, indices, read);
    const fromFloats = withPrunedBatch(floats, indices, read);
    expect(fromBytes.columns).toEqual(fromFloats.columns);
    expect(fromBytes.x).toEqual(fromFloats.x);
    expect(fromBytes.xT).toEqual(fromFloats.xT);
    expect(fromBytes.t).toEqual(fromFloats.t);
  });

  it.each([
    ['plain', {}],
    ['weight decay, Batch Norm, dropout', { lambda: 0.1, useBatchNorm: true, dropoutRatio: 0.2 }],
  ])('gives the loss and gradients of the full batch (%s)', (_, options) => {
    const make = () => new MultiLayerNetExtend({ inputSize: 784, hidden: [40, 30], outputSize: 10, ...options }, new Random(5, 1), new Random(5, 2));
    const indices = new Random(5, 0).choice(train.count, 100);
    const full = withBatch(train, indices, (batch) => make().gradient(batch));
    const pruned = withPrunedBatch(train, indices, (batch) => {
      expect(batch.columns!.length).toBeLessThan(700);
      return make().gradient(batch);
    });
    expect(pruned.loss).toBeCloseTo(full.loss, 5);
    for (const key of Object.keys(full.grads)) {
      const a = full.grads[key]!;
      const b = pruned.grads[key]!;
      expect(b, key).toHaveLength(a.length);
      const scale = Math.max(...Array.from(a, Math.abs));
      a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 * scale));
    }
  });
});

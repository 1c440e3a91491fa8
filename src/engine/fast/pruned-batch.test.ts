import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../backend';
import { disposeBatch } from '../data/batch';
import { type Split, firstItems, loadDataset } from '../data/mnist';
import { Random } from '../random';
import { PrunedBatches, gatherColumns, gatherColumnsBothWays, makePrunedBatch, usedColumns } from './pruned-batch';

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
  const tiny: Split = {
    images: Float32Array.from([0, 1, 0, 0, /**/ 0, 0, 2, 0, /**/ 3, 0, 0, 0]),
    labels: new Uint8Array(3),
    count: 3,
    pixels: 4,
  };

  it('usedColumns lists the pixels non-zero in some of the rows', () => {
    expect(Array.from(usedColumns(tiny))).toEqual([0, 1, 2]);
    expect(Array.from(usedColumns(tiny, [0, 1]))).toEqual([1, 2]);
    expect(Array.from(usedColumns(tiny, [2, 2]))).toEqual([0]);
    // Past 32 pixels the bit sets take a second word.
    const wide: Split = {
      images: Float32Array.from({ length: 80 }, (_, i) => (i === 33 || i === 40 + 39 ? 1 : 0)),
      labels: new Uint8Array(2),
      count: 2,
      pixels: 40,
    };
    expect(Array.from(usedColumns(wide, [0, 1]))).toEqual([33, 39]);
    expect(Array.from(usedColumns(wide, [1]))).toEqual([39]);
    expect(Array.from(usedColumns(wide))).toEqual([33, 39]);
    // MNIST's borders: about a third of the pixels are 0 in a hundred images.
    const columns = usedColumns(
      train,
      Array.from({ length: 100 }, (_, i) => i),
    );
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
    const read = (split: Split) => {
      const batch = makePrunedBatch(split, indices);
      const values = {
        x: batch.x.dataSync().slice(),
        xT: batch.xT!.dataSync().slice(),
        t: batch.t.dataSync().slice(),
        columns: batch.columns,
      };
      disposeBatch(batch);
      return values;
    };
    const fromBytes = read(loaded);
    const fromFloats = read(floats);
    expect(fromBytes.columns).toEqual(fromFloats.columns);
    expect(fromBytes.x).toEqual(fromFloats.x);
    expect(fromBytes.xT).toEqual(fromFloats.xT);
    expect(fromBytes.t).toEqual(fromFloats.t);
  });

  it('keeps the used columns of the rows, with the transpose', () => {
    const indices = new Random(9, 1).choice(train.count, 100);
    const batch = makePrunedBatch(train, indices);
    const columns = batch.columns!;
    expect(columns.length).toBeLessThan(700);
    expect(batch.x.shape).toEqual([100, columns.length]);
    expect(batch.xT!.shape).toEqual([columns.length, 100]);
    expect(batch.x.dataSync()).toEqual(Float32Array.from(gatherColumns(train, indices, columns)));
    expect(tf.tidy(() => tf.transpose(batch.xT!).dataSync())).toEqual(batch.x.dataSync());
    disposeBatch(batch);
  });
});

describe('PrunedBatches', () => {
  it('with keep, builds each batch once and frees them all at dispose; without, frees each batch on release', () => {
    const indices = [1, 2, 3];
    const count = tf.memory().numTensors;
    const kept = new PrunedBatches(train, true);
    const first = kept.get(0, indices);
    kept.release(first);
    expect(kept.get(0, indices)).toBe(first);
    expect(tf.memory().numTensors).toBe(count + 3);
    kept.dispose();
    expect(tf.memory().numTensors).toBe(count);

    const once = new PrunedBatches(train, false);
    const batch = once.get(0, indices);
    once.release(batch);
    expect(tf.memory().numTensors).toBe(count);
    const again = once.get(0, indices);
    expect(again).not.toBe(batch);
    once.release(again);
    once.dispose();
    expect(tf.memory().numTensors).toBe(count);
  });
});

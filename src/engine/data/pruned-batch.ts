import { tf } from '../backend';
import type { Batch } from '../nn/multi-layer-net';
import { disposeBatch } from './batch';
import { NUM_CLASSES, type Split, oneHot } from './mnist';

/*
 * MNIST leaves a third of its pixels 0 in any hundred images (the borders), and a pixel that is 0 in
 * every row of x contributes nothing to x W1 nor to the gradient of W1. Dropping those columns from x
 * (and the matching rows from W1) gives the same products with a third fewer multiply-adds.
 */

/** The pixels that are non-zero in at least one of the rows `rows` (all rows when omitted), ascending. */
export function usedColumns(split: Split, rows?: ArrayLike<number>): Int32Array {
  const { images } = split;
  const used = new Uint8Array(split.pixels);
  const count = rows ? rows.length : split.count;
  for (let r = 0; r < count; r++) {
    const from = (rows ? rows[r]! : r) * split.pixels;
    for (let c = 0; c < split.pixels; c++) if (images[from + c] !== 0) used[c] = 1;
  }
  return Int32Array.from(used.keys()).filter((c) => used[c] === 1);
}

/** The rows `rows` restricted to `columns`, row-major (rows x columns), or transposed (columns x rows). */
export function gatherColumns(split: Split, rows: ArrayLike<number>, columns: Int32Array, transposed = false): Float32Array {
  const n = rows.length;
  const width = columns.length;
  const { images, pixels } = split;
  const out = new Float32Array(n * width);
  for (let r = 0; r < n; r++) {
    const from = rows[r]! * pixels;
    if (transposed) for (let c = 0; c < width; c++) out[c * n + r] = images[from + columns[c]!]!;
    else for (let c = 0; c < width; c++) out[r * width + c] = images[from + columns[c]!]!;
  }
  return out;
}

/** The rows `indices` of a split as a training batch keeping only their used pixel columns. */
export function makePrunedBatch(split: Split, indices: ArrayLike<number>): Batch {
  const columns = usedColumns(split, indices);
  const n = indices.length;
  return {
    x: tf.tensor2d(gatherColumns(split, indices, columns), [n, columns.length]),
    xT: tf.tensor2d(gatherColumns(split, indices, columns, true), [columns.length, n]),
    t: tf.tensor2d(oneHot(split.labels, indices), [n, NUM_CLASSES]),
    columns,
  };
}

/** Runs `use` on a pruned batch and frees the batch afterwards, whatever happens. */
export function withPrunedBatch<T>(split: Split, indices: ArrayLike<number>, use: (batch: Batch) => T): T {
  const batch = makePrunedBatch(split, indices);
  try {
    return use(batch);
  } finally {
    disposeBatch(batch);
  }
}

/**
 * Pruned batches kept by a key after their first use, for nets that train group after group on the
 * same batches: each batch is gathered and uploaded once instead of once per group.
 */
export class PrunedBatchCache {
  private readonly batches = new Map<number, Batch>();

  constructor(private readonly split: Split) {}

  use<T>(key: number, indices: ArrayLike<number>, use: (batch: Batch) => T): T {
    let batch = this.batches.get(key);
    if (!batch) this.batches.set(key, (batch = makePrunedBatch(this.split, indices)));
    return use(batch);
  }

  dispose(): void {
    this.batches.forEach(disposeBatch);
    this.batches.clear();
  }
}

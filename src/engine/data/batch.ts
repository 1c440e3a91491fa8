import { tf } from '../backend';
import type { Batch } from '../nn/multi-layer-net';
import { NUM_CLASSES, type Split, gatherRows, gatherRowsTransposed, oneHot } from './mnist';

/** The rows `indices` of a split as a training batch (inputs, their transpose, one-hot targets). */
export function makeBatch(split: Split, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  return {
    x: tf.tensor2d(gatherRows(split.images, split.pixels, indices), [n, split.pixels]),
    xT: tf.tensor2d(gatherRowsTransposed(split.images, split.pixels, indices), [split.pixels, n]),
    t: tf.tensor2d(oneHot(split.labels, indices), [n, NUM_CLASSES]),
  };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.x, batch.t, ...(batch.xT ? [batch.xT] : [])]);
}

/** Runs `use` on `batch` and frees the batch afterwards, whatever happens. */
export function usingBatch<T>(batch: Batch, use: (batch: Batch) => T): T {
  try {
    return use(batch);
  } finally {
    disposeBatch(batch);
  }
}

/** Runs `use` on a batch of the rows `indices` and frees the batch afterwards. */
export function withBatch<T>(split: Split, indices: ArrayLike<number>, use: (batch: Batch) => T): T {
  return usingBatch(makeBatch(split, indices), use);
}

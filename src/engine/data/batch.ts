import { tf } from '../backend';
import { NUM_CLASSES, type Split, imageRows, oneHot } from './mnist';

/** A mini-batch as the book's nets take it: inputs x (rows x pixels) and one-hot targets t (rows x 10). */
export interface Batch {
  x: tf.Tensor2D;
  t: tf.Tensor2D;
}

/** The rows `indices` of a split as a batch (the book's x_train[batch_mask], t_train[batch_mask]). */
export function makeBatch(split: Split, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  return {
    x: tf.tensor2d(imageRows(split, indices), [n, split.pixels]),
    t: tf.tensor2d(oneHot(split.labels, indices), [n, NUM_CLASSES]),
  };
}

/** Frees a batch's tensors (the transpose of a pruned batch too). */
export function disposeBatch(batch: Batch & { xT?: tf.Tensor2D }): void {
  tf.dispose([batch.x, batch.t, ...(batch.xT ? [batch.xT] : [])]);
}

/** Runs `use` on a batch of the rows `indices` and frees the batch afterwards, whatever happens. */
export function withBatch<T>(split: Split, indices: ArrayLike<number>, use: (batch: Batch) => T): T {
  const batch = makeBatch(split, indices);
  try {
    return use(batch);
  } finally {
    disposeBatch(batch);
  }
}

import { tf } from '../backend';
import { disposeBatch } from '../data/batch';
import { NUM_CLASSES, type Split, oneHot, storedPixels } from '../data/mnist';
import type { FastBatch } from './fast-net';

/*
 * MNIST leaves a third of its pixels 0 in any hundred images (the borders), and a pixel that is 0 in
 * every row of x contributes nothing to x W1 nor to the gradient of W1. Dropping those columns from x
 * (and the matching rows from W1) gives the same products with a third fewer multiply-adds.
 */

/** The pixels that are non-zero in at least one of the rows `rows` (all rows when omitted), ascending. */
export function usedColumns(split: Split, rows?: ArrayLike<number>): Int32Array {
  const all = rows ?? Int32Array.from({ length: split.count }, (_, r) => r);
  return bitColumns(orOfRows(nonZeroBits(split), split.pixels, all), split.pixels);
}

/**
 * Each image's non-zero pixels as bits (32 a word), per split, computed on first use: a batch's columns are
 * then an OR of words.
 */
const pixelBits = new WeakMap<Split, Uint32Array>();

function nonZeroBits(split: Split): Uint32Array {
  let bits = pixelBits.get(split);
  if (bits) return bits;
  const { pixels } = split;
  const { values } = storedPixels(split);
  const words = Math.ceil(pixels / 32);
  bits = new Uint32Array(split.count * words);
  for (let r = 0; r < split.count; r++) {
    for (let c = 0; c < pixels; c++) if (values[r * pixels + c] !== 0) bits[r * words + (c >>> 5)]! |= 1 << (c & 31);
  }
  pixelBits.set(split, bits);
  return bits;
}

function orOfRows(bits: Uint32Array, pixels: number, rows: ArrayLike<number>): Uint32Array {
  const words = Math.ceil(pixels / 32);
  const union = new Uint32Array(words);
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r]! * words;
    for (let w = 0; w < words; w++) union[w]! |= bits[from + w]!;
  }
  return union;
}

function bitColumns(union: Uint32Array, pixels: number): Int32Array {
  const columns: number[] = [];
  for (let c = 0; c < pixels; c++) if ((union[c >>> 5]! >>> (c & 31)) & 1) columns.push(c);
  return Int32Array.from(columns);
}

/** The rows `rows` restricted to `columns`, row-major (rows x columns). */
export function gatherColumns(split: Split, rows: ArrayLike<number>, columns: Int32Array): Float32Array {
  return gather(split, rows, columns, false).x;
}

/** gatherColumns and its transpose (columns x rows), in one pass over the rows. */
export function gatherColumnsBothWays(
  split: Split,
  rows: ArrayLike<number>,
  columns: Int32Array,
): { x: Float32Array; xT: Float32Array } {
  const { x, xT } = gather(split, rows, columns, true);
  return { x, xT: xT! };
}

/** Reads the split's pixels as stored (see storedPixels): a split as loaded is never converted whole. */
function gather(
  split: Split,
  rows: ArrayLike<number>,
  columns: Int32Array,
  transposeToo: boolean,
): { x: Float32Array; xT?: Float32Array } {
  const n = rows.length;
  const width = columns.length;
  const { pixels } = split;
  const { values, divisor } = storedPixels(split);
  const x = new Float32Array(n * width);
  const xT = transposeToo ? new Float32Array(n * width) : undefined;
  for (let r = 0; r < n; r++) {
    const from = rows[r]! * pixels;
    for (let c = 0; c < width; c++) {
      const value = values[from + columns[c]!]! / divisor;
      x[r * width + c] = value;
      if (xT) xT[c * n + r] = value;
    }
  }
  return { x, xT };
}

/**
 * The rows `indices` of a split as a training batch keeping only their used pixel columns, with its
 * transpose (for the first Affine's backward: see fused-affine.ts).
 */
export function makePrunedBatch(split: Split, indices: ArrayLike<number>): FastBatch {
  const columns = usedColumns(split, indices);
  const n = indices.length;
  const { x, xT } = gatherColumnsBothWays(split, indices, columns);
  return {
    x: tf.tensor2d(x, [n, columns.length]),
    xT: tf.tensor2d(xT, [columns.length, n]),
    t: tf.tensor2d(oneHot(split.labels, indices), [n, NUM_CLASSES]),
    columns,
  };
}

/**
 * A run's pruned batches by key. With `keep`, for nets that train group after group on the same
 * batches, each batch is gathered and uploaded once and kept for the later groups (until dispose);
 * without, release frees it after its use.
 */
export class PrunedBatches {
  private readonly kept = new Map<number, FastBatch>();

  constructor(
    private readonly split: Split,
    private readonly keep: boolean,
  ) {}

  get(key: number, indices: ArrayLike<number>): FastBatch {
    let batch = this.kept.get(key);
    if (!batch) {
      batch = makePrunedBatch(this.split, indices);
      if (this.keep) this.kept.set(key, batch);
    }
    return batch;
  }

  /** Done with a batch from get: frees it unless it is kept. */
  release(batch: FastBatch): void {
    if (!this.keep) disposeBatch(batch);
  }

  dispose(): void {
    this.kept.forEach(disposeBatch);
    this.kept.clear();
  }
}

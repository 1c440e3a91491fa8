import { tf } from '../backend';
import type { Split } from '../data/mnist';
import type { MultiLayerNet } from '../nn/multi-layer-net';
import { fastCorrectCount } from './fast-net';
import { gatherColumns, usedColumns } from './pruned-batch';
import { SpanProjection } from './span-projection';

/**
 * Rows per forward pass when measuring accuracy: bounds the activations' memory, large enough to keep per-op
 * overhead small.
 */
export const ACCURACY_CHUNK_ROWS = 10000;

/**
 * A fixed set of images on which nets' accuracy is measured again and again (every epoch): the
 * book's net.accuracy(x, t), through the fast path (fast-net.ts) on tensors uploaded once.
 */
export interface AccuracyMeasure {
  /** The fraction of the images whose highest score (the net in test mode) is their label. */
  accuracy(net: MultiLayerNet): number;
  dispose(): void;
}

interface Chunk {
  x: tf.Tensor2D;
  labels: Uint8Array;
}

/** The set's images as tensors of at most `chunkRows` rows, keeping only the pixel columns `columns`. */
function uploadChunks(split: Split, columns: Int32Array, chunkRows: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < split.count; start += chunkRows) {
    const rows = Int32Array.from({ length: Math.min(chunkRows, split.count - start) }, (_, r) => start + r);
    chunks.push({
      x: tf.tensor2d(gatherColumns(split, rows, columns), [rows.length, columns.length]),
      labels: split.labels.subarray(start, start + rows.length),
    });
  }
  return chunks;
}

/**
 * Uploaded once, measured directly; pixels that are 0 in every image of the set are left out (see
 * data/pruned-batch.ts).
 */
export class AccuracySet implements AccuracyMeasure {
  private readonly columns: Int32Array;
  private readonly chunks: Chunk[];
  readonly count: number;

  constructor(split: Split, chunkRows = ACCURACY_CHUNK_ROWS) {
    this.count = split.count;
    this.columns = usedColumns(split);
    this.chunks = uploadChunks(split, this.columns, chunkRows);
  }

  accuracy(net: MultiLayerNet): number {
    let correct = 0;
    for (const chunk of this.chunks)
      correct += fastCorrectCount(net, { x: chunk.x, columns: this.columns }, chunk.labels);
    return correct / this.count;
  }

  dispose(): void {
    tf.dispose(this.chunks.map((chunk) => chunk.x));
    this.chunks.length = 0;
  }
}

/**
 * For a large set and nets trained on few images: the first product x W1 through the span of the
 * training images (see SpanProjection), at a fraction of the cost of the direct product.
 */
export class SpanAccuracySet implements AccuracyMeasure {
  private readonly chunks: (Chunk & { xBasis: tf.Tensor2D })[];
  readonly count: number;

  constructor(
    split: Split,
    private readonly span: SpanProjection,
    chunkRows = ACCURACY_CHUNK_ROWS,
  ) {
    this.count = split.count;
    const allColumns = Int32Array.from({ length: split.pixels }, (_, c) => c);
    this.chunks = uploadChunks(split, allColumns, chunkRows).map((chunk) => ({
      ...chunk,
      xBasis: span.project(chunk.x),
    }));
  }

  accuracy(net: MultiLayerNet): number {
    let correct = 0;
    this.span.firstProducts(
      net,
      this.chunks,
      (chunk, xW1) => (correct += fastCorrectCount(net, { xW1 }, chunk.labels)),
    );
    return correct / this.count;
  }

  dispose(): void {
    tf.dispose(this.chunks.flatMap((chunk) => [chunk.x, chunk.xBasis]));
    this.chunks.length = 0;
    this.span.dispose();
  }
}

/**
 * Images on which nets trained on `trainRows` are measured: through the span of the training images
 * when that is much cheaper (few training images, at most half as many as pixels, and many more
 * images to measure), else directly.
 */
export function evaluationSet(rows: Split, trainRows: Split): AccuracyMeasure {
  const cheaper = trainRows.count <= trainRows.pixels / 2 && rows.count >= 4 * trainRows.count;
  return cheaper ? new SpanAccuracySet(rows, new SpanProjection(trainRows)) : new AccuracySet(rows);
}

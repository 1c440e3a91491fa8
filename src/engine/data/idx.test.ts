import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from './mnist';
import { DatasetError, parseIdx, readIdxFile } from './idx';

const dir = mkdtempSync(path.join(tmpdir(), 'dlfs-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file of unsigned bytes: 0x00 0x00 0x08 rank, big-endian dims, then the data. */
function idx(dims: number[], data: ArrayLike<number>, magic = 0x0800 | dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The DatasetError `read` throws; its message must start with the file and mention `problem`. */
function expectDatasetError(read: () => unknown, file: string, problem: RegExp): DatasetError {
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DatasetError').toBeInstanceOf(DatasetError);
  const error = caught as DatasetError;
  expect(error.name).toBe('DatasetError');
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `), error.message).toBe(true);
  expect(error.message).toMatch(problem);
  return error;
}

const PIXELS = [0, 1, 2, 3, 250, 251, 252, 255, 7, 8, 9, 10]; // 3 images of 2 x 2
const LABELS = [7, 2, 1];

describe('readIdxFile on well-formed files', () => {
  it('reads a rank-3 image file and a rank-1 label file', () => {
    const images = readIdxFile(write('ok-images', idx([3, 2, 2], PIXELS)), 3);
    expect(images.dims).toEqual([3, 2, 2]);
    expect(Array.from(images.data)).toEqual(PIXELS);
    const labels = readIdxFile(write('ok-labels', idx([3], LABELS)), 1);
    expect(labels.dims).toEqual([3]);
    expect(Array.from(labels.data)).toEqual(LABELS);
  });

  it('reads the same content gzip-compressed, whatever the file is called', () => {
    const raw = readIdxFile(write('gz-plain', idx([3, 2, 2], PIXELS)), 3);
    const gz = readIdxFile(write('gz-images.gz', gzipSync(idx([3, 2, 2], PIXELS))), 3);
    const gzNoSuffix = readIdxFile(write('gz-no-suffix', gzipSync(idx([3, 2, 2], PIXELS))), 3);
    expect(gz).toEqual(raw);
    expect(gzNoSuffix).toEqual(raw);
  });

  it('parseIdx reads from a view into a larger buffer', () => {
    const bytes = idx([3], LABELS);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    const parsed = parseIdx('in-memory', padded.subarray(5, 5 + bytes.length), 1);
    expect(parsed.dims).toEqual([3]);
    expect(Array.from(parsed.data)).toEqual(LABELS);
  });

  it('reads the real MNIST training labels: 60,000 of them, starting 5 0 4 1 9', () => {
    const labels = readIdxFile(path.join(defaultDataDir(), 'train-labels-idx1-ubyte'), 1);
    expect(labels.dims).toEqual([60000]);
    expect(Array.from(labels.data.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });
});

describe('readIdxFile on bad files: a DatasetError naming the file and the problem', () => {
  it('missing file', () => {
    const file = path.join(dir, 'does-not-exist-idx1-ubyte');
    expectDatasetError(() => readIdxFile(file, 1), file, /file not found/);
  });

  it('a folder instead of a file', () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expectDatasetError(() => readIdxFile(folder, 1), folder, /cannot be read \(EISDIR\)/);
  });

  it('wrong magic number: a label file read as images', () => {
    const file = write('labels-as-images', idx([3], LABELS));
    expectDatasetError(() => readIdxFile(file, 3), file, /wrong magic number 0x00000801 \(expected 0x00000803/);
  });

  it('wrong magic number: not unsigned bytes (float data type 0x0D)', () => {
    const file = write('floats', idx([3], LABELS, 0x0d01));
    expectDatasetError(
      () => readIdxFile(file, 1),
      file,
      /wrong magic number 0x00000d01 \(expected 0x00000801: unsigned bytes in 1 dimension\)/,
    );
  });

  it('wrong magic number: not an IDX file at all', () => {
    const file = write('text.txt', new TextEncoder().encode('hello, this is not IDX'));
    expectDatasetError(() => readIdxFile(file, 1), file, /wrong magic number/);
  });

  it('shorter than a magic number', () => {
    const file = write('tiny', new Uint8Array([0, 0]));
    expectDatasetError(() => readIdxFile(file, 1), file, /too short for an IDX header \(2 bytes\)/);
    const empty = write('empty', new Uint8Array(0));
    expectDatasetError(() => readIdxFile(empty, 1), empty, /too short/);
  });

  it('truncated header', () => {
    const file = write('short-header', idx([3, 2, 2], PIXELS).subarray(0, 10));
    expectDatasetError(() => readIdxFile(file, 3), file, /truncated header \(10 of 16 bytes\)/);
  });

  it('truncated data', () => {
    const file = write('truncated', idx([3, 2, 2], PIXELS).subarray(0, 16 + 7));
    expectDatasetError(() => readIdxFile(file, 3), file, /truncated: 23 bytes, but its header \(3 x 2 x 2\) needs 28/);
  });

  it('truncated data inside a gzip file', () => {
    const file = write('truncated-inside.gz', gzipSync(idx([3, 2, 2], PIXELS).subarray(0, 20)));
    expectDatasetError(() => readIdxFile(file, 3), file, /truncated/);
  });

  it('extra bytes after the data', () => {
    const file = write('too-long', idx([3], [...LABELS, 0, 0]));
    expectDatasetError(() => readIdxFile(file, 1), file, /2 bytes longer than its header \(3\) says/);
  });

  it('a zero dimension', () => {
    const file = write('zero-dim', idx([0, 2, 2], []));
    expectDatasetError(() => readIdxFile(file, 3), file, /a dimension is zero \(0 x 2 x 2\)/);
  });

  it('corrupt gzip: garbage after a gzip header', () => {
    const file = write(
      'garbage.gz',
      new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    );
    expectDatasetError(() => readIdxFile(file, 1), file, /corrupt gzip data/);
  });

  it('corrupt gzip: a cut-off gzip stream', () => {
    const whole = gzipSync(idx([3, 2, 2], PIXELS));
    const file = write('cut.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    expectDatasetError(() => readIdxFile(file, 3), file, /corrupt gzip data/);
  });

  it('corrupt gzip: a flipped byte (CRC mismatch)', () => {
    const bytes = Uint8Array.from(gzipSync(idx([3, 2, 2], PIXELS)));
    bytes[bytes.length - 6]! ^= 0xff; // inside the CRC32 trailer
    const file = write('crc.gz', bytes);
    expectDatasetError(() => readIdxFile(file, 3), file, /corrupt gzip data/);
  });
});

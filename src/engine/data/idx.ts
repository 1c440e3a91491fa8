import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A parse failure that names the file and what is wrong with it. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetError';
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Reads an IDX file of unsigned bytes (raw, or gzip-compressed), checking its header against its length. */
export function readIdxFile(file: string, expectedRank: number): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DatasetError(file, `corrupt gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(file, bytes, expectedRank);
}

export function parseIdx(file: string, bytes: Uint8Array, expectedRank: number): IdxArray {
  if (bytes.length < 4) throw new DatasetError(file, `too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const expectedMagic = (UNSIGNED_BYTE << 8) | expectedRank;
  if (magic !== expectedMagic) {
    throw new DatasetError(
      file,
      `wrong magic number 0x${hex(magic)} (expected 0x${hex(expectedMagic)}: unsigned bytes in ${expectedRank} dimension${expectedRank > 1 ? 's' : ''})`,
    );
  }
  const headerLength = 4 + 4 * expectedRank;
  if (bytes.length < headerLength)
    throw new DatasetError(file, `truncated header (${bytes.length} of ${headerLength} bytes)`);
  const dims = Array.from({ length: expectedRank }, (_, i) => view.getUint32(4 + 4 * i));
  if (dims.some((d) => d === 0)) throw new DatasetError(file, `a dimension is zero (${dims.join(' x ')})`);
  const expectedLength = headerLength + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expectedLength) {
    throw new DatasetError(
      file,
      `truncated: ${bytes.length} bytes, but its header (${dims.join(' x ')}) needs ${expectedLength}`,
    );
  }
  if (bytes.length > expectedLength) {
    throw new DatasetError(
      file,
      `${bytes.length - expectedLength} bytes longer than its header (${dims.join(' x ')}) says`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

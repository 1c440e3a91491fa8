import { inflateSync } from 'node:zlib';

/**
 * Just enough PNG reading to check an export: signature, size, and whether it holds more than one colour.
 * For the tests of `lab figures` (src/cli) and the e2e specs (the window's export): src/engine is the one
 * layer both may import that runs under Node.
 */
export interface PngSummary {
  width: number;
  height: number;
  distinctColours: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function readPng(file: Buffer): PngSummary {
  if (!SIGNATURE.every((byte, i) => file[i] === byte)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = 0;
  let bitDepth = 0;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  if (bitDepth !== 8 || (colourType !== 6 && colourType !== 2))
    throw new Error(`unexpected PNG format: depth ${bitDepth}, colour type ${colourType}`);
  const channels = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const colours = new Set<number>();
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height && colours.size < 1000; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    unfilter(filter, line, previous, channels);
    for (let x = 0; x < width; x += 3) colours.add(line.readUIntBE(x * channels, 3));
    previous = line;
  }
  return { width, height, distinctColours: colours.size };
}

function unfilter(filter: number, line: Buffer, previous: Buffer, bpp: number): void {
  for (let i = 0; i < line.length; i++) {
    const left = i >= bpp ? line[i - bpp]! : 0;
    const up = previous[i]!;
    const upLeft = i >= bpp ? previous[i - bpp]! : 0;
    let add = 0;
    if (filter === 1) add = left;
    else if (filter === 2) add = up;
    else if (filter === 3) add = (left + up) >> 1;
    else if (filter === 4) {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    line[i] = (line[i]! + add) & 0xff;
  }
}

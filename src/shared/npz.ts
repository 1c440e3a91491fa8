import { type TrainedNet, base64ToBytes } from './trained-nets';

/*
 * A kept net as NumPy's .npz (a zip of .npy files, stored without compression), under the book's names,
 * so that the book's Python code loads it (docs/RUN-RECORD.md, "The trained nets"):
 *
 *   f = np.load('net.npz')
 *   for key in net.params: net.params[key][...] = f[key]
 *
 * src/cli/npz.test.ts loads such a file into a copy of the book's forward pass (tests/python) and gets
 * the lab's test accuracy.
 */

/** One .npy file (format 1.0): little-endian float32 `<f4`, C order. */
function npy(shape: readonly number[], data: Uint8Array): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, '\n' last.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of `files`, each stored (no compression), as numpy.savez writes. */
export function zipStored(files: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = new TextEncoder().encode(file.name);
    const crc = crc32(file.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, file.data.length, true);
    local.setUint32(22, file.data.length, true);
    local.setUint16(26, name.length, true);
    parts.push(new Uint8Array(local.buffer), name, file.data);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    entry.setUint16(6, 20, true);
    entry.setUint32(16, crc, true);
    entry.setUint32(20, file.data.length, true);
    entry.setUint32(24, file.data.length, true);
    entry.setUint16(28, name.length, true);
    entry.setUint32(42, offset, true);
    central.push(new Uint8Array(entry.buffer), name);
    offset += 30 + name.length + file.data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A kept net as an .npz: one float32 array per book name (W1, b1, gamma1, ..., running_var1). */
export function netNpz(net: Pick<TrainedNet, 'arrays'>): Uint8Array {
  return zipStored(net.arrays.map((a) => ({ name: `${a.name}.npy`, data: npy(a.shape, base64ToBytes(a.float32)) })));
}

/** A file name for a net's .npz: `<experiment>-<label>.npz` with the label's odd characters replaced. */
export const npzFileName = (experiment: string, label: string): string =>
  `${experiment}-${label}`.replace(/[^\w.=-]+/g, '_') + '.npz';

/*
 * Reading an .npz back (issue #19, "import such a file back to draw digits with it"): a zip of .npy
 * files as numpy.savez (stored) and numpy.savez_compressed (deflate) write it, float32 or float64
 * arrays of one or two dimensions in C order. Entries are found through the central directory, whose
 * sizes are right even when the local headers defer them (Python's zipfile writes zip64 extras or data
 * descriptors there).
 */

/** What can be wrong with an imported .npz; the window names each in its language (i18n `npzImport.errors`). */
export const NPZ_PROBLEMS = [
  'notZip',
  'truncated',
  'damaged',
  'zip64',
  'compression',
  'noArrays',
  'notNpy',
  'npyHeader',
  'dtype',
  'fortranOrder',
  'dimensions',
  'missing',
  'unexpected',
  'shape',
  'batchNorm',
  'dropoutRatio',
] as const;
export type NpzProblem = (typeof NPZ_PROBLEMS)[number];

/** Each problem in English, `{param}` for its details (the window's English messages, i18n/en.ts). */
export const NPZ_PROBLEM_TEXT: Record<NpzProblem, string> = {
  notZip: 'This is not an .npz file (not a zip archive).',
  truncated: 'The file is cut short (truncated).',
  damaged: 'The entry {entry} is damaged.',
  zip64: 'Zip64 archives are not supported.',
  compression: 'The entry {entry} uses an unsupported compression (method {method}).',
  noArrays: 'The archive holds no arrays.',
  notNpy: 'The entry {entry} is not an .npy array.',
  npyHeader: 'The entry {entry} has an unreadable .npy header.',
  dtype: 'The array {entry} has dtype {dtype}; only float32 (<f4) and float64 (<f8) are read.',
  fortranOrder: 'The array {entry} is in Fortran order; save it in C order (np.ascontiguousarray).',
  dimensions: 'The array {entry} has shape {shape}; only 1-D and 2-D arrays are read.',
  missing: 'The net has no {name}.',
  unexpected:
    "{name} is not one of the book's names for this net (W1, b1, ..., gamma1, beta1, running_mean1, running_var1).",
  shape: '{name} has shape {shape}, expected {expected}.',
  batchNorm: 'Batch Norm needs gamma, beta, running_mean and running_var for every hidden layer; missing: {missing}.',
  dropoutRatio: 'The dropout ratio must be at least 0 and below 1.',
};

export class NpzError extends Error {
  constructor(
    readonly problem: NpzProblem,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(NPZ_PROBLEM_TEXT[problem].replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole));
    this.name = 'NpzError';
  }
}

/** A shape as NumPy prints it: (784, 50), (50,). */
export const shapeText = (shape: readonly (number | string)[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const first = bytes.length >= 4 ? u32(0) : 0;
  if (first !== LOCAL_HEADER && first !== END_OF_CENTRAL_DIRECTORY) throw new NpzError('notZip');
  // The end record is the last 22 bytes, unless a comment (up to 65535 bytes) follows it.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new NpzError('truncated');
  const count = u16(end + 10);
  const directoryOffset = u32(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new NpzError('zip64');
  if (directoryOffset + u32(end + 12) > end) throw new NpzError('truncated');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(at) !== CENTRAL_HEADER) throw new NpzError('truncated');
    const [nameLength, extraLength, commentLength] = [u16(at + 28), u16(at + 30), u16(at + 32)];
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localOffset: u32(at + 42),
    };
    zip64Sizes(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset saturated at 0xffffffff are in the zip64 extra field (id 1), in this order. */
function zip64Sizes(view: DataView, start: number, length: number, entry: ZipEntry): void {
  for (let at = start; at + 4 <= start + length;) {
    const [id, size] = [view.getUint16(at, true), view.getUint16(at + 2, true)];
    if (id === 1) {
      let field = at + 4;
      const next = (): number => {
        const value = Number(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
    }
    at += 4 + size;
  }
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data.slice()]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function entryData(bytes: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localOffset;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER) throw new NpzError('truncated');
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new NpzError('truncated');
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = await inflateRaw(raw);
    } catch {
      throw new NpzError('damaged', { entry: entry.name });
    }
  } else throw new NpzError('compression', { entry: entry.name, method: String(entry.method) });
  if (data.length !== entry.size || crc32(data) !== entry.crc) throw new NpzError('damaged', { entry: entry.name });
  return data;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** One .npy file: format 1.0 (2-byte header length) or 2.0 and 3.0 (4-byte). */
function parseNpy(name: string, bytes: Uint8Array): { shape: number[]; values: Float32Array } {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) throw new NpzError('npyHeader', { entry: name });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new NpzError('npyHeader', { entry: name });
  if (major > 1 && bytes.length < 12) throw new NpzError('truncated');
  const headerStart = major === 1 ? 10 : 12;
  const headerEnd = headerStart + (major === 1 ? view.getUint16(8, true) : view.getUint32(8, true));
  if (headerEnd > bytes.length) throw new NpzError('truncated');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerEnd));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeMatch === undefined)
    throw new NpzError('npyHeader', { entry: name });
  if (descr !== '<f4' && descr !== '<f8') throw new NpzError('dtype', { entry: name, dtype: descr });
  if (fortran === 'True') throw new NpzError('fortranOrder', { entry: name });
  const dims = shapeMatch
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (dims.some((d) => !/^\d+$/.test(d))) throw new NpzError('npyHeader', { entry: name });
  const shape = dims.map(Number);
  if (shape.length < 1 || shape.length > 2) throw new NpzError('dimensions', { entry: name, shape: shapeText(shape) });

  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = descr === '<f4' ? 4 : 8;
  if (headerEnd + count * itemSize > bytes.length) throw new NpzError('truncated');
  // A copy: the data's offset in the file need not be aligned to the item size.
  const buffer = bytes.slice(headerEnd, headerEnd + count * itemSize).buffer;
  const values = itemSize === 4 ? new Float32Array(buffer) : Float32Array.from(new Float64Array(buffer));
  return { shape, values };
}

/** The arrays of an .npz (numpy.savez or numpy.savez_compressed), named without `.npy`, as float32. */
export async function parseNpz(bytes: Uint8Array): Promise<{ name: string; shape: number[]; values: Float32Array }[]> {
  const arrays: { name: string; shape: number[]; values: Float32Array }[] = [];
  for (const entry of zipEntries(bytes)) {
    if (entry.name.endsWith('/')) continue;
    if (!entry.name.endsWith('.npy')) throw new NpzError('notNpy', { entry: entry.name });
    const name = entry.name.slice(0, -'.npy'.length);
    arrays.push({ name, ...parseNpy(name, await entryData(bytes, entry)) });
  }
  if (arrays.length === 0) throw new NpzError('noArrays');
  return arrays;
}

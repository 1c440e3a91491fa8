/*
 * A drawn digit prepared as MNIST's digits were (LeCun et al.): the ink's bounding box scaled, aspect
 * ratio kept, so that its longer side is 20 pixels, then placed in a 28 x 28 image with the ink's
 * centre of mass at the image's centre. Pixel (i, j) covers [i, i + 1) x [j, j + 1), so the centre
 * is (14, 14) and a centre of mass is taken at the pixels' centres (i + 0.5, j + 0.5).
 */

export const MNIST_SIDE = 28;
/** The box MNIST fitted each digit into before centring it. */
export const MNIST_BOX = 20;

/** A drawing's ink, one value in [0, 1] per pixel, row by row. */
export interface InkImage {
  width: number;
  height: number;
  ink: Float32Array;
}

/** The ink of a canvas drawn on a transparent background: each pixel's alpha. */
export function inkFromRgba(rgba: Uint8ClampedArray, width: number, height: number): InkImage {
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3]! / 255;
  return { width, height, ink };
}

/** The smallest box holding every inked pixel ([x0, x1) x [y0, y1)), or null when there is no ink. */
export function inkBox(image: InkImage): { x0: number; y0: number; x1: number; y1: number } | null {
  let [x0, y0, x1, y1] = [image.width, image.height, 0, 0];
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      if (image.ink[y * image.width + x]! > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x + 1);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y + 1);
      }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** The centre of mass of an image's values, at the pixels' centres; null when they sum to nothing. */
export function centreOfMass(values: ArrayLike<number>, width: number): { x: number; y: number } | null {
  let [sum, sx, sy] = [0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    sx += v * ((i % width) + 0.5);
    sy += v * (Math.floor(i / width) + 0.5);
  }
  return sum > 0 ? { x: sx / sum, y: sy / sum } : null;
}

/**
 * Weights that resample a row of `source` pixels into MNIST_SIDE pixels: output pixel i averages the
 * source over [from + (i - offset) / scale, from + (i + 1 - offset) / scale), each source pixel
 * weighted by how much of it that span covers (a box filter, exact for any scale).
 */
function spanWeights(source: number, from: number, scale: number, offset: number): Float64Array {
  const weights = new Float64Array(MNIST_SIDE * source);
  for (let i = 0; i < MNIST_SIDE; i++) {
    const start = from + (i - offset) / scale;
    const end = start + 1 / scale;
    for (let s = Math.max(0, Math.floor(start)); s < Math.min(source, Math.ceil(end)); s++) {
      const covered = Math.min(end, s + 1) - Math.max(start, s);
      if (covered > 0) weights[i * source + s] = covered * scale;
    }
  }
  return weights;
}

/**
 * The drawing as the nets' input: MNIST_SIDE x MNIST_SIDE values in [0, 1] (its strongest ink 1, as in
 * MNIST's digits), row by row; null for a drawing without ink.
 */
export function prepareLikeMnist(image: InkImage): Float32Array | null {
  const box = inkBox(image);
  if (!box) return null;
  const { width, ink } = image;
  const scale = MNIST_BOX / Math.max(box.x1 - box.x0, box.y1 - box.y0);
  const mass = centreOfMass(ink, width)!;
  // Where the box's corner lands so that the centre of mass lands on the image's centre.
  const half = MNIST_SIDE / 2;
  const wx = spanWeights(width, box.x0, scale, half - (mass.x - box.x0) * scale);
  const wy = spanWeights(image.height, box.y0, scale, half - (mass.y - box.y0) * scale);
  // Rows first (MNIST_SIDE x width), then columns.
  const rows = new Float64Array(MNIST_SIDE * width);
  for (let j = 0; j < MNIST_SIDE; j++)
    for (let y = box.y0; y < box.y1; y++) {
      const w = wy[j * image.height + y]!;
      if (w === 0) continue;
      for (let x = box.x0; x < box.x1; x++) rows[j * width + x]! += w * ink[y * width + x]!;
    }
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let j = 0; j < MNIST_SIDE; j++)
    for (let i = 0; i < MNIST_SIDE; i++) {
      let v = 0;
      for (let x = box.x0; x < box.x1; x++) v += wx[i * width + x]! * rows[j * width + x]!;
      out[j * MNIST_SIDE + i] = v;
    }
  const max = out.reduce((m, v) => Math.max(m, v), 0);
  if (max <= 0) return null;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i]! / max);
  return out;
}

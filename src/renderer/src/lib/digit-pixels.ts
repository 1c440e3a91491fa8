import { base64ToBytes } from '../../../shared/trained-nets';

/*
 * The small images of "What it learned": digits (ink dark on white, as drawn on the pad) and the first
 * layer's weights (grey, symmetric around 0), as RGBA for a canvas's putImageData.
 */

/** Ink in [0, max] per pixel as RGBA: none white, `max` black. */
export function inkRgba(values: ArrayLike<number>, max = 1): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const grey = 255 - Math.round((255 * Math.min(max, Math.max(0, values[i]!))) / max);
    rgba.set([grey, grey, grey, 255], i * 4);
  }
  return rgba;
}

/** A test digit as kept in a report (784 bytes, base64, 255 the strongest ink) as RGBA. */
export const testDigitRgba = (pixels: string): Uint8ClampedArray<ArrayBuffer> => inkRgba(base64ToBytes(pixels), 255);

/**
 * Weights as grey levels symmetric around 0: 0 mid grey, the largest magnitude white when positive and
 * black when negative.
 */
export function weightRgba(values: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const grey = largest > 0 ? Math.round(127.5 + (127.5 * values[i]!) / largest) : 128;
    rgba.set([grey, grey, grey, 255], i * 4);
  }
  return rgba;
}

/** Column `unit` of a row-major [rows, units] matrix: the first layer's weights into one hidden unit. */
export function weightColumn(values: Float32Array, units: number, unit: number): Float32Array {
  const rows = values.length / units;
  const column = new Float32Array(rows);
  for (let i = 0; i < rows; i++) column[i] = values[i * units + unit]!;
  return column;
}

import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../../shared/trained-nets';
import { inkRgba, testDigitRgba, weightColumn, weightRgba } from './digit-pixels';

const greys = (rgba: Uint8ClampedArray) => [...rgba].filter((_, i) => i % 4 === 0);

describe('the pixels of digits and weights', () => {
  it('draws ink dark on white, opaque', () => {
    const rgba = inkRgba([0, 0.5, 1, 2]);
    expect(greys(rgba)).toEqual([255, 127, 0, 0]);
    expect([...rgba].filter((_, i) => i % 4 === 3)).toEqual([255, 255, 255, 255]);
    expect(greys(testDigitRgba(bytesToBase64(new Uint8Array([0, 255]))))).toEqual([255, 0]);
  });

  it('draws weights symmetric around 0: the largest magnitude white or black', () => {
    expect(greys(weightRgba([0, 2, -2, 1, -0.5]))).toEqual([128, 255, 0, 191, 96]);
    expect(greys(weightRgba([0, 0]))).toEqual([128, 128]);
  });

  it('takes a column of a row-major matrix', () => {
    // [[1, 2, 3], [4, 5, 6]]: column 1 is [2, 5].
    expect([...weightColumn(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 1)]).toEqual([2, 5]);
  });
});

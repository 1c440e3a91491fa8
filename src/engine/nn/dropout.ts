import { tf } from '../backend';
import type { Random } from '../random';
import type { Layer } from './layers';

type T2 = tf.Tensor2D;

/** Where a training pass gets its dropout masks: rows x units values, 1 for a kept unit, 0 for a dropped one. */
export type MaskSource = (rows: number, units: number) => Float32Array;

/**
 * The book's masks (keep where uniform > ratio), drawn in JS from a seeded stream so that a run's
 * masks depend only on the seed and the member, never on the backend or the thread.
 */
export function randomMasks(ratio: number, random: Random): MaskSource {
  return (rows, units) => {
    const mask = new Float32Array(rows * units);
    for (let i = 0; i < mask.length; i++) mask[i] = random.uniform() > ratio ? 1 : 0;
    return mask;
  };
}

/** Training passes zero the units the mask drops; test passes scale every unit by 1 - ratio instead. */
export class Dropout implements Layer {
  private mask: T2 | undefined;

  constructor(
    private readonly ratio: number,
    private readonly masks: MaskSource,
  ) {}

  forward(x: T2, train: boolean): T2 {
    if (!train) return tf.mul(x, 1 - this.ratio);
    const [rows, units] = x.shape;
    this.mask = tf.tensor2d(this.masks(rows, units), [rows, units]);
    return tf.mul(x, this.mask);
  }

  backward(dout: T2): T2 {
    return tf.mul(dout, this.mask!);
  }
}

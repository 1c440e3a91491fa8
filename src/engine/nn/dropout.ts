import { tf } from '../backend';
import type { MaskSource } from './dropout-masks';
import type { Layer } from './layers';

export { type MaskSource, randomMasks } from './dropout-masks';

type T2 = tf.Tensor2D;

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

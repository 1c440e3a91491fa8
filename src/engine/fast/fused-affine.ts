import { tf } from '../backend';
import type { Layer } from '../nn/layers';

type T2 = tf.Tensor2D;

/**
 * The fast path's Affine (nn/layers.ts Affine, optionally with the ReLU after it): the same
 * out = x W + b, computed as the trainers need it on the WASM backend.
 * - The product, the bias and the ReLU run in one fused matMul kernel (no separate passes over the
 *   output); backward takes the ReLU's mask from the output (out > 0 exactly where x W + b > 0).
 * - Backward multiplies by explicit transposes: a matMul with transposeA/transposeB is many times
 *   slower than the same product on transposed operands. The first layer gets its input already
 *   transposed (xT, built in JS from the same rows) and skips the input gradient nobody uses.
 * - fromProduct(x W) finishes the layer when the product was computed elsewhere (span-projection.ts);
 *   with a folded Batch Norm, W is W0 diag(scale) and the product given is x W0.
 */
export class FusedAffine implements Layer {
  dW: T2 | undefined;
  db: tf.Tensor1D | undefined;
  private x: T2 | undefined;
  private xT: T2 | undefined;
  private out: T2 | undefined;

  constructor(
    readonly W: T2,
    readonly b: tf.Tensor1D,
    /** The ReLU after this Affine runs fused in. */
    readonly relu: boolean,
    /** The first layer's input gradient is never used: skip computing it. */
    private readonly needsInputGradient: boolean,
    /** When W is some W0 with each column scaled (a folded Batch Norm): the scales, for fromProduct(x W0). */
    private readonly columnScale?: tf.Tensor1D,
  ) {}

  forward(x: T2, train = true, xT?: T2): T2 {
    this.x = x;
    this.xT = xT;
    const out = tf.fused.matMul({ a: x, b: this.W, bias: this.b, activation: this.relu ? 'relu' : 'linear' }) as T2;
    if (this.relu && train) this.out = out;
    return out;
  }

  fromProduct(xW: T2): T2 {
    const out: T2 = tf.add(this.columnScale ? tf.mul(xW, this.columnScale) : xW, this.b);
    return this.relu ? tf.relu(out) : out;
  }

  backward(dout: T2): T2 {
    if (this.relu) dout = tf.mul(dout, tf.step(this.out!, 0));
    this.dW = tf.matMul<T2>(this.xT ?? tf.transpose(this.x!), dout);
    this.db = tf.sum<tf.Tensor1D>(dout, 0);
    return this.needsInputGradient ? tf.matMul(dout, tf.transpose(this.W)) : dout;
  }
}

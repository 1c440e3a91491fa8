import { tf } from '../backend';

type T2 = tf.Tensor2D;

/**
 * The book's layers (common/layers.py), one class per concept: forward keeps what backward needs.
 * They are used inside one tf.tidy per training step, which frees every cached tensor afterwards.
 */
export interface Layer {
  forward(x: T2, train: boolean): T2;
  backward(dout: T2): T2;
}

export class Relu implements Layer {
  private mask: tf.Tensor | undefined;
  forward(x: T2, train: boolean): T2 {
    const out = tf.relu(x);
    if (train) this.mask = tf.step(x, 0);
    return out;
  }
  backward(dout: T2): T2 {
    return tf.mul(dout, this.mask!);
  }
}

export class Sigmoid implements Layer {
  private out: T2 | undefined;
  forward(x: T2): T2 {
    this.out = tf.sigmoid(x);
    return this.out;
  }
  backward(dout: T2): T2 {
    const y = this.out!;
    return tf.mul(dout, tf.mul(y, tf.sub(1, y)));
  }
}

export class Tanh implements Layer {
  private out: T2 | undefined;
  forward(x: T2): T2 {
    this.out = tf.tanh(x);
    return this.out;
  }
  backward(dout: T2): T2 {
    return tf.mul(dout, tf.sub(1, tf.square(this.out!)));
  }
}

/**
 * out = x W + b. Backward multiplies by explicit transposes: a matMul with transposeA/transposeB is
 * many times slower than the same product on transposed operands on the WASM backend.
 */
export class Affine implements Layer {
  dW: T2 | undefined;
  db: tf.Tensor1D | undefined;
  private x: T2 | undefined;
  private xT: T2 | undefined;

  constructor(
    readonly W: T2,
    readonly b: tf.Tensor1D,
    /** The first layer's input gradient is never used: skip computing it. */
    private readonly needsInputGradient = true,
    /** When W is some W0 with each column scaled (a folded Batch Norm): the scales, for fromProduct(x W0). */
    private readonly columnScale?: tf.Tensor1D,
  ) {}

  /** What the matMul kernel applies to x W + b: nothing here; AffineRelu fuses a ReLU in. */
  protected readonly activation: 'linear' | 'relu' = 'linear';

  forward(x: T2, _train = true, xT?: T2): T2 {
    this.x = x;
    this.xT = xT;
    return tf.fused.matMul({ a: x, b: this.W, bias: this.b, activation: this.activation }) as T2;
  }

  /** The output when the product x W (x W0, for folded scales) is already known: x W + b. */
  fromProduct(xW: T2): T2 {
    return tf.add(this.columnScale ? tf.mul(xW, this.columnScale) : xW, this.b);
  }

  backward(dout: T2): T2 {
    this.dW = tf.matMul(this.xT ?? tf.transpose(this.x!), dout) as T2;
    this.db = tf.sum(dout, 0) as tf.Tensor1D;
    return this.needsInputGradient ? tf.matMul(dout, tf.transpose(this.W)) : dout;
  }
}

/**
 * Affine -> Relu in one layer: the ReLU runs inside the matMul kernel (no separate pass over the
 * output), and backward takes its mask from the output (out > 0 exactly where x W + b > 0).
 */
export class AffineRelu extends Affine {
  protected override readonly activation = 'relu';
  private out: T2 | undefined;

  override forward(x: T2, train = true, xT?: T2): T2 {
    const out = super.forward(x, train, xT);
    if (train) this.out = out;
    return out;
  }

  override fromProduct(xW: T2): T2 {
    return tf.relu(super.fromProduct(xW));
  }

  override backward(dout: T2): T2 {
    return super.backward(tf.mul(dout, tf.step(this.out!, 0)));
  }
}

/** Softmax followed by the cross-entropy loss -sum(t log(y + 1e-7)) / batch. */
export class SoftmaxWithLoss {
  private y: T2 | undefined;
  private t: T2 | undefined;

  forward(x: T2, t: T2): tf.Scalar {
    this.y = tf.softmax(x);
    this.t = t;
    return crossEntropy(this.y, t);
  }

  backward(): T2 {
    const batch = this.t!.shape[0];
    return tf.div(tf.sub(this.y!, this.t!), batch);
  }
}

export function crossEntropy(y: T2, t: T2): tf.Scalar {
  return tf.neg(tf.div(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7)))), y.shape[0])) as tf.Scalar;
}

export function activationLayer(name: 'relu' | 'sigmoid' | 'tanh'): Layer {
  if (name === 'relu') return new Relu();
  if (name === 'sigmoid') return new Sigmoid();
  return new Tanh();
}

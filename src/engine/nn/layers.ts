import { tf } from '../backend';

type T2 = tf.Tensor2D;

/**
 * The book's layers (common/layers.py), one class per concept: forward keeps what backward needs.
 * Parameters stay in the net's Float32Arrays (the book's params dict, updated in place by the
 * optimizers); a layer holds those arrays and uploads them as tensors in each forward. A forward and
 * its backward run inside one tf.tidy, which frees every tensor a layer kept once the pass is over.
 * Batch Normalization and Dropout are in batch-norm.ts and dropout.ts.
 */
export interface Layer {
  forward(x: T2, train: boolean): T2;
  backward(dout: T2): T2;
}

export class Relu implements Layer {
  private mask: tf.Tensor | undefined;

  forward(x: T2, train: boolean): T2 {
    const out = tf.relu(x);
    if (train) this.mask = tf.step(x, 0); // 1 where x > 0: the units that pass the gradient
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

/** out = x W + b, for W of fan_in x fan_out (row-major, `shape`) and b of fan_out. */
export class Affine implements Layer {
  dW: T2 | undefined;
  db: tf.Tensor1D | undefined;
  private x: T2 | undefined;
  private tensorW: T2 | undefined;

  constructor(
    readonly W: Float32Array,
    readonly b: Float32Array,
    readonly shape: readonly [number, number],
  ) {}

  forward(x: T2): T2 {
    this.x = x;
    this.tensorW = tf.tensor2d(this.W, [...this.shape]);
    return tf.add<T2>(tf.matMul(x, this.tensorW), tf.tensor1d(this.b));
  }

  backward(dout: T2): T2 {
    const dx = tf.matMul<T2>(dout, tf.transpose(this.tensorW!));
    this.dW = tf.matMul<T2>(tf.transpose(this.x!), dout);
    this.db = tf.sum<tf.Tensor1D>(dout, 0);
    return dx;
  }
}

/** Softmax followed by the cross-entropy loss -sum(t log(y + 1e-7)) / batch, for one-hot targets t. */
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

/** The book's cross_entropy_error (common/functions.py) for one-hot targets. */
export function crossEntropy(y: T2, t: T2): tf.Scalar {
  return tf.neg(tf.div(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7)))), y.shape[0])) as tf.Scalar;
}

export function activationLayer(name: 'relu' | 'sigmoid' | 'tanh'): Layer {
  if (name === 'relu') return new Relu();
  if (name === 'sigmoid') return new Sigmoid();
  return new Tanh();
}

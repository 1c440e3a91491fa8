import { tf } from '../backend';
import type { Split } from '../data/mnist';
import type { MultiLayerNet } from '../nn/multi-layer-net';

type T2 = tf.Tensor2D;

/**
 * A cheaper first product x W1 for a large fixed set of images x, for nets that learn from few images.
 *
 * Every gradient of W1 is X_bᵀ dA (+ λ W1): its columns are combinations of training images. With
 * SGD (or Momentum) W1 therefore stays W1_0 times a factor `a` (weight decay shrinks it) plus a part
 * in the span of the training images. With Q an orthonormal basis of that span (pixels x r), the part
 * of W1 outside it, W1 - Q Qᵀ W1, is `a` times the same part of W1_0, so
 *   x W1 = (x Q)(Qᵀ W1) + a x (W1_0 - Q Qᵀ W1_0),
 * where x Q is computed once per set and the last product once per net. For 300 training images and
 * 10,000 test images that is 300 instead of 784 multiply-adds per image and unit. Each evaluation
 * checks that the outside part really is a multiple of the first one (it is not under AdaGrad or Adam,
 * which rescale coordinates) and otherwise multiplies the plain way.
 */
export class SpanProjection {
  readonly rank: number;
  private readonly Q: T2;
  private readonly Qt: T2;
  /** Per net: W1's part outside the span at its first evaluation, and x times it, per chunk. */
  private readonly starts = new Map<MultiLayerNet, { outside: Float32Array; xOutside: T2[] }>();

  constructor(trainRows: Split) {
    const basis = orthonormalBasis(trainRows);
    const width = trainRows.pixels;
    this.rank = basis.length;
    const q = new Float32Array(width * this.rank);
    const qt = new Float32Array(width * this.rank);
    basis.forEach((v, k) => {
      for (let i = 0; i < width; i++) {
        q[i * this.rank + k] = v[i]!;
        qt[k * width + i] = v[i]!;
      }
    });
    this.Q = tf.tensor2d(q, [width, this.rank]);
    this.Qt = tf.tensor2d(qt, [this.rank, width]);
  }

  /** x Q: the coordinates of the rows of x in the basis (the caller keeps and disposes it). */
  project(x: T2): T2 {
    return tf.matMul(x, this.Q);
  }

  /** Hands `use` x W1 for each chunk (x and its projection x Q), inside a tf.tidy per chunk. */
  firstProducts<C extends { x: T2; xBasis: T2 }>(
    net: MultiLayerNet,
    chunks: C[],
    use: (chunk: C, xW1: T2) => void,
  ): void {
    const W1 = tf.tensor2d(net.params.W1!, net.shapes.W1 as [number, number]);
    const basisW1 = tf.matMul(this.Qt, W1);
    const outsideTensor = tf.tidy(() => tf.sub(W1, tf.matMul(this.Q, basisW1)));
    const outside = outsideTensor.dataSync() as Float32Array;
    let start = this.starts.get(net);
    if (!start) {
      start = { outside: outside.slice(), xOutside: chunks.map((chunk) => tf.matMul(chunk.x, outsideTensor)) };
      this.starts.set(net, start);
    }
    const a = proportion(outside, start.outside);
    chunks.forEach((chunk, k) =>
      tf.tidy(() => {
        const xW1 =
          a === undefined
            ? tf.matMul(chunk.x, W1)
            : tf.add(tf.matMul(chunk.xBasis, basisW1), tf.mul(start.xOutside[k]!, a));
        use(chunk, xW1 as T2);
      }),
    );
    tf.dispose([W1, basisW1, outsideTensor]);
  }

  dispose(): void {
    tf.dispose([this.Q, this.Qt, ...[...this.starts.values()].flatMap((start) => start.xOutside)]);
    this.starts.clear();
  }
}

/** Float32 rounding of the updates leaves ~1e-6 of the outside part unexplained; a rescaling optimizer, far more. */
const PROPORTION_TOLERANCE = 1e-3;

/** a with v = a v0 (to the tolerance, relative to |v|), or undefined when v is not a multiple of v0. */
export function proportion(v: ArrayLike<number>, v0: ArrayLike<number>): number | undefined {
  let dot = 0;
  let squares0 = 0;
  let squares = 0;
  for (let i = 0; i < v.length; i++) {
    dot += v[i]! * v0[i]!;
    squares0 += v0[i]! ** 2;
    squares += v[i]! ** 2;
  }
  if (squares0 === 0) return squares === 0 ? 0 : undefined;
  const a = dot / squares0;
  let residual = 0;
  for (let i = 0; i < v.length; i++) residual += (v[i]! - a * v0[i]!) ** 2;
  return residual <= PROPORTION_TOLERANCE ** 2 * squares ? a : undefined;
}

/**
 * An orthonormal basis of the span of the rows (modified Gram-Schmidt, twice, in float64); rows already in
 * the span are skipped.
 */
export function orthonormalBasis(rows: Split): Float64Array[] {
  const width = rows.pixels;
  const basis: Float64Array[] = [];
  for (let r = 0; r < rows.count; r++) {
    const v = Float64Array.from(rows.images.subarray(r * width, (r + 1) * width));
    const length = Math.hypot(...v);
    if (length === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < width; i++) dot += q[i]! * v[i]!;
        for (let i = 0; i < width; i++) v[i]! -= dot * q[i]!;
      }
    }
    const rest = Math.hypot(...v);
    if (rest > 1e-6 * length) basis.push(v.map((value) => value / rest));
  }
  return basis;
}

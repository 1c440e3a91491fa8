import type { NamedArray } from './imported-net';
import { type TrainedNet, float32ToBase64 } from './trained-nets';

/** Reproducible values in about [-0.5, 0.5). */
function values(count: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  });
}

/** The arrays of a lab net of these hidden sizes (with Batch Norm's four arrays per hidden layer). */
export function labArrays(hidden: readonly number[], batchNorm: boolean): NamedArray[] {
  const sizes = [784, ...hidden, 10];
  const arrays: NamedArray[] = [];
  let seed = 1;
  for (let l = 1; l < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l - 1]!, sizes[l]!];
    arrays.push({ name: `W${l}`, shape: [fanIn, fanOut], values: values(fanIn * fanOut, seed++) });
    arrays.push({ name: `b${l}`, shape: [fanOut], values: values(fanOut, seed++) });
    if (batchNorm && l < sizes.length - 1) {
      for (const kind of ['gamma', 'beta', 'running_mean', 'running_var']) {
        const v = values(fanOut, seed++);
        // A variance must be positive.
        if (kind === 'running_var') v.forEach((x, i) => (v[i] = x + 1));
        arrays.push({ name: `${kind}${l}`, shape: [fanOut], values: v });
      }
    }
  }
  return arrays;
}

/** A kept net as the engine writes it, with `labArrays`. */
export function labNet(
  options: Pick<TrainedNet, 'label' | 'hidden' | 'activation' | 'batchNorm' | 'dropoutRatio'>,
): TrainedNet {
  const arrays = labArrays(options.hidden, options.batchNorm).map((a) => ({
    name: a.name,
    shape: a.shape,
    float32: float32ToBase64(a.values),
  }));
  return { ...options, arrays, report: null };
}

/**
 * The book's smooth_curve (common/util.py): convolve with an 11-point Kaiser window (beta 2) over the
 * series reflected at both ends, so the curve keeps its length.
 */
const WINDOW_LENGTH = 11;
const KAISER_BETA = 2;

export function smoothCurve(values: readonly number[]): number[] {
  const n = values.length;
  if (n < WINDOW_LENGTH) return [...values];
  const w = kaiserWindow(WINDOW_LENGTH, KAISER_BETA);
  const total = w.reduce((a, b) => a + b, 0);
  const half = WINDOW_LENGTH - 1;
  // numpy: s = r_[x[half:0:-1], x, x[-1:-half-1:-1]]; y = convolve(w/sum(w), s, 'valid'); y[5:len(y)-5]
  const s: number[] = [];
  for (let i = half; i >= 1; i--) s.push(values[i]!);
  s.push(...values);
  for (let i = n - 1; i >= n - half; i--) s.push(values[i]!);
  const valid: number[] = [];
  for (let i = 0; i + WINDOW_LENGTH <= s.length; i++) {
    let acc = 0;
    for (let k = 0; k < WINDOW_LENGTH; k++) acc += w[WINDOW_LENGTH - 1 - k]! * s[i + k]!;
    valid.push(acc / total);
  }
  return valid.slice(5, valid.length - 5);
}

export function kaiserWindow(length: number, beta: number): number[] {
  const out: number[] = [];
  const denom = besselI0(beta);
  for (let n = 0; n < length; n++) {
    const r = (2 * n) / (length - 1) - 1;
    out.push(besselI0(beta * Math.sqrt(1 - r * r)) / denom);
  }
  return out;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return sum;
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `weight` (0: none, 0.99: heavy),
 * debiased at the start (divided by 1 - weight^k, so the first points are not pulled towards 0).
 * Non-finite values are passed through and do not enter the average.
 */
export function emaCurve(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    count++;
    return last / (1 - weight ** count);
  });
}

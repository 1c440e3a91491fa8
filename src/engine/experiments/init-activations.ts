// Reproduces the book's ch06/weight_init_activation_histogram.py (§6.2.2, 6.2.3, Fig. 6-10, 6-11, 6-13, 6-14).
import {
  GRID_ACTIVATIONS,
  GRID_INITS,
  type InitActivationsParams,
  type LayerSummary,
  activationSeries,
} from '../../shared/slots/init-activations';
import type { Activation, WeightInit } from '../../shared/params';
import { initStd } from '../nn/init';
import { Random } from '../random';
import { RandomStream } from '../random-streams';
import { Yielder } from '../yielder';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';

/**
 * §3: standard normal inputs through `layers` layers of `nodes` units without biases, a = x W,
 * z = activation(a), W drawn with the init's std; one histogram of each layer's outputs. Plain JS in
 * float64 like the book's NumPy (a 1,000 x 100 x 100 product per layer is quick). Every combination
 * sees the same inputs and the same standard normal draws for W, scaled by its std, so the
 * histograms differ only by activation and init.
 */

const ACTIVATION_FUNCTIONS: Record<Activation, (a: number) => number> = {
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  tanh: Math.tanh,
  relu: (a) => (a > 0 ? a : 0),
};

/** Sigmoid outputs below 0.05 or above 0.95 count as saturated (their gradient is < 0.05). */
const SATURATED_BELOW = 0.05;
const SATURATED_ABOVE = 0.95;
/** Rows multiplied between two looks at the event loop (progress out, cancel in). */
const ROWS_PER_SLICE = 250;

interface Combination {
  activation: Activation;
  init: WeightInit;
}

function standardNormals(random: Random, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = random.normal();
  return out;
}

/** activation(scale * (input W)) for a (rows x n) input and an (n x n) W; cancellable between row slices. */
async function layerOutputs(
  input: Float64Array,
  weights: Float64Array,
  n: number,
  scale: number,
  activation: (a: number) => number,
  yielder: Yielder,
  signal: AbortSignal,
): Promise<Float64Array | undefined> {
  const rows = input.length / n;
  const out = new Float64Array(input.length);
  for (let start = 0; start < rows; start += ROWS_PER_SLICE) {
    for (let i = start; i < Math.min(rows, start + ROWS_PER_SLICE); i++) {
      const row = i * n;
      for (let k = 0; k < n; k++) {
        const x = input[row + k]!;
        if (x === 0) continue;
        const w = k * n;
        for (let j = 0; j < n; j++) out[row + j]! += x * weights[w + j]!;
      }
      for (let j = row; j < row + n; j++) out[j] = activation(scale * out[j]!);
    }
    await yielder.maybeYield();
    if (signal.aborted) return undefined;
  }
  return out;
}

/** numpy.histogram: `bins` equal bins over [lo, hi] (the last one closed), values outside dropped. */
export function histogram(
  values: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number,
): { centres: number[]; counts: number[] } {
  if (hi <= lo) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  }
  return { centres: counts.map((_, b) => lo + (b + 0.5) * width), counts };
}

function summarize(values: Float64Array, activation: Activation, lo: number, hi: number): LayerSummary {
  let sum = 0;
  let saturated = 0;
  let zero = 0;
  let outside = 0;
  for (const v of values) {
    sum += v;
    if (v < SATURATED_BELOW || v > SATURATED_ABOVE) saturated++;
    if (v === 0) zero++;
    if (!(v >= lo && v <= hi)) outside++;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const percent = (count: number) => (100 * count) / values.length;
  return {
    mean,
    std: Math.sqrt(squares / values.length),
    saturated: activation === 'sigmoid' ? percent(saturated) : null,
    zero: activation === 'relu' ? percent(zero) : null,
    outsideRange: percent(outside),
  };
}

function minMax(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function combinations(params: InitActivationsParams): Combination[] {
  if (!params.grid) return [{ activation: params.activation, init: params.init }];
  return GRID_ACTIVATIONS.flatMap((activation) => GRID_INITS.map((init) => ({ activation, init })));
}

async function run(params: InitActivationsParams, context: ExperimentContext): Promise<ExperimentResult> {
  const { reporter, signal } = context;
  const { nodes, layers } = params;
  const input = standardNormals(new Random(params.seed, RandomStream.activationInputs), params.samples * nodes);
  const weightRandom = new Random(params.seed, RandomStream.activationWeights);
  const unitWeights = Array.from({ length: layers }, () => standardNormals(weightRandom, nodes * nodes));
  const combos = combinations(params);
  for (const { activation, init } of combos) {
    for (let k = 1; k <= layers; k++) reporter.declare(activationSeries(activation, init, k));
  }

  const summary: Record<string, LayerSummary> = {};
  const yielder = new Yielder();
  let done = 0;
  for (const { activation, init } of combos) {
    let h = input;
    for (let k = 1; k <= layers; k++) {
      const z = await layerOutputs(
        h,
        unitWeights[k - 1]!,
        nodes,
        initStd(init, nodes),
        ACTIVATION_FUNCTIONS[activation],
        yielder,
        signal,
      );
      if (!z) return { summary };
      const [lo, hi] = params.range === 'unit' ? [0, 1] : minMax(z);
      const series = activationSeries(activation, init, k);
      const { centres, counts } = histogram(z, params.bins, lo, hi);
      centres.forEach((centre, b) => reporter.point(series, centre, counts[b]!));
      const layer = (summary[series.name] = summarize(z, activation, lo, hi));
      reporter.log(`${series.name}: ${describeLayer(layer)}`);
      reporter.advance(++done);
      h = z;
    }
  }
  return { summary };
}

function describeLayer({ mean, std, saturated, zero }: LayerSummary): string {
  const parts = [`mean ${mean.toFixed(4)}`, `std ${std.toFixed(4)}`];
  if (saturated !== null) parts.push(`saturated ${saturated.toFixed(1)}%`);
  if (zero !== null) parts.push(`zero ${zero.toFixed(1)}%`);
  return parts.join(', ');
}

export const initActivations: ExperimentModule<InitActivationsParams> = {
  run,
  totalSteps: (params) => combinations(params).length * params.layers,
};

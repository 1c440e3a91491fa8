import { z } from 'zod';
import { seriesKeySchema } from './series';

/*
 * Inside the net over training (issue #19): at a bounded number of moments of a run, per layer, the
 * histograms of its activations (and, with Batch Norm, of the normalised outputs), of its weights and
 * of their gradients, the gradient's norm and the size of the update against the weights. Opt-in per
 * run (`insideEvery`); the engine records it (engine/inside.ts), the history keeps it beside the record
 * (inside.json), the run page draws it (InsideTheNet.vue, charts/inside.ts), and the record keeps each
 * layer's activation spread for the claims (`insideSpreadSchema`).
 */

/** Bins of every histogram, equal width between its min and max. */
export const INSIDE_BINS = 30;
/** At most this many moments per net: a smaller interval than this allows is stretched. */
export const INSIDE_MOMENTS_LIMIT = 100;
/** At most this many bytes of inside.json per run: the interval is stretched to fit, or nothing is recorded. */
export const INSIDE_LIMIT_BYTES = 16 * 2 ** 20;

/** The parameter: record every N updates (0: not at all). */
export const insideEveryParam = () =>
  z.int().min(0).max(1_000_000).default(0).meta({ label: 'record inside the net every N updates (0: off)' });

export const histogramSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number(),
  /** How many values fall in each of INSIDE_BINS equal bins from min to max (the last bin holds max). */
  counts: z.array(z.int().min(0)),
  /** Values that were NaN or infinite (a diverging net), left out of the rest. */
  nonFinite: z.int().min(1).optional(),
});
export type Histogram = z.output<typeof histogramSchema>;

/** Layer i of a net at one moment: Affine i with what follows it (hidden layers), or the output Affine. */
export const insideLayerSchema = z.object({
  /** The outputs of the layer's activation function on the mini-batch (hidden layers only). */
  activation: histogramSchema.optional(),
  /** The outputs of its Batch Norm, before the activation function (nets with Batch Norm, hidden layers). */
  normalized: histogramSchema.optional(),
  /** W_i before this update, and its gradient on the mini-batch (with weight decay). */
  weight: histogramSchema,
  gradient: histogramSchema,
  /** ||dW_i||, the gradient's Euclidean norm (null: not finite). */
  gradientNorm: z.number().nullable(),
  /** ||ΔW_i|| / ||W_i||: how much this update moved the weights, relative to their size (null: not finite). */
  updateRatio: z.number().nullable(),
});
export type InsideLayer = z.output<typeof insideLayerSchema>;

export const insideMomentSchema = z.object({
  /** The update (0-based) whose forward and backward pass the moment shows: the weights after `step` updates. */
  step: z.int().min(0),
  layers: z.array(insideLayerSchema).min(1),
});
export type InsideMoment = z.output<typeof insideMomentSchema>;

export const insideNetSchema = z.object({
  /** Which net: the label its kept net has (`Adam`, `Batch Norm|std=0.0001`, `plain · seed 2`). */
  label: z.string().min(1),
  /** Its series' key: what the net is, in typed fields (optimizer, batchNorm and scale, λ, ...). */
  key: seriesKeySchema,
  batchNorm: z.boolean(),
  hidden: z.array(z.int().min(1)).min(1),
  moments: z.array(insideMomentSchema),
});
export type InsideNet = z.output<typeof insideNetSchema>;

/** inside.json: what a run recorded inside its nets, or why it recorded nothing. */
export const runInsideSchema = z.object({
  /** The interval it recorded at (the one asked for, or stretched to stay within the limits). */
  every: z.int().min(1),
  nets: z.array(insideNetSchema),
  notRecorded: z.string().optional(),
});
export type RunInside = z.output<typeof runInsideSchema>;

/** The standard deviation of one layer's outputs over the recorded moments: lowest, highest, and at the last. */
export const stdRangeSchema = z.object({ min: z.number(), max: z.number(), last: z.number() });
export type StdRange = z.output<typeof stdRangeSchema>;

/** What the run record keeps of its insides for the claims: per net and hidden layer, its outputs' spread. */
export const insideSpreadSchema = z.object({
  nets: z.array(
    z.object({
      label: z.string(),
      key: seriesKeySchema,
      batchNorm: z.boolean(),
      activationStd: z.array(stdRangeSchema),
      normalizedStd: z.array(stdRangeSchema),
    }),
  ),
});
export type InsideSpread = z.output<typeof insideSpreadSchema>;

/** The spread the record keeps, from the recorded moments (layers with no recorded output are left out). */
export function insideSpread(inside: RunInside): InsideSpread {
  const rangeOf = (values: number[]): StdRange => ({
    min: Math.min(...values),
    max: Math.max(...values),
    last: values.at(-1)!,
  });
  const ranges = (net: InsideNet, of: (layer: InsideLayer) => Histogram | undefined): StdRange[] =>
    net.hidden.flatMap((_, i) => {
      const stds = net.moments.flatMap((m) => {
        const histogram = m.layers[i] && of(m.layers[i]);
        return histogram ? [histogram.std] : [];
      });
      return stds.length > 0 ? [rangeOf(stds)] : [];
    });
  return {
    nets: inside.nets.map((net) => ({
      label: net.label,
      key: net.key,
      batchNorm: net.batchNorm,
      activationStd: ranges(net, (layer) => layer.activation),
      normalizedStd: ranges(net, (layer) => layer.normalized),
    })),
  };
}

/** A net as the recording plan sees it. */
export interface InsideNetShape {
  hidden: readonly number[];
  batchNorm: boolean;
}

/** What a run will record: the interval, the moments per net, and the bytes of inside.json (an upper estimate). */
export interface InsidePlan {
  every: number;
  moments: number;
  bytes: number;
  /** Set when even the first and last moment do not fit in INSIDE_LIMIT_BYTES. */
  tooLarge?: string;
}

/** A histogram's JSON at most: its counts (up to 6 digits and a comma each) and four numbers with their names. */
const HISTOGRAM_BYTES = INSIDE_BINS * 7 + 130;
/** A layer's two numbers and names, and a moment's step and brackets. */
const LAYER_EXTRA_BYTES = 80;
const MOMENT_EXTRA_BYTES = 40;

/** The moments `updates` updates recorded every `every` give: 0, every, 2 every, ..., and the last update. */
export function insideMomentCount(updates: number, every: number): number {
  if (updates <= 0) return 0;
  const regular = Math.floor((updates - 1) / every) + 1;
  return (updates - 1) % every === 0 ? regular : regular + 1;
}

/** Whether update `step` (0-based) of `updates` is a recorded moment. */
export const isInsideMoment = (step: number, updates: number, every: number): boolean =>
  step % every === 0 || step === updates - 1;

/** The bytes one moment of a net takes in inside.json at most. */
export function momentBytes(net: InsideNetShape): number {
  const layers = net.hidden.length + 1;
  const histograms = 2 * layers + net.hidden.length * (net.batchNorm ? 2 : 1);
  return MOMENT_EXTRA_BYTES + layers * LAYER_EXTRA_BYTES + histograms * HISTOGRAM_BYTES;
}

/**
 * The recording of `nets` trained for `updates` updates each, asked every `asked` updates: the
 * interval stretched (doubled until it fits) so that each net has at most INSIDE_MOMENTS_LIMIT moments and
 * the run at most INSIDE_LIMIT_BYTES; too large when even its first and last moment do not fit.
 */
export function insidePlan(nets: readonly InsideNetShape[], updates: number, asked: number): InsidePlan {
  const perMoment = nets.reduce((sum, net) => sum + momentBytes(net), 0);
  const bytesAt = (every: number) => insideMomentCount(updates, every) * perMoment;
  let every = Math.max(1, asked);
  while (
    every < updates &&
    (insideMomentCount(updates, every) > INSIDE_MOMENTS_LIMIT || bytesAt(every) > INSIDE_LIMIT_BYTES)
  )
    every *= 2;
  every = Math.min(every, Math.max(updates, 1));
  const plan = { every, moments: insideMomentCount(updates, every), bytes: bytesAt(every) };
  if (plan.bytes <= INSIDE_LIMIT_BYTES) return plan;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return {
    ...plan,
    tooLarge: `nothing is recorded inside the nets: ${nets.length} nets take ${mib(plan.bytes)} at their first and last update alone, more than the ${mib(INSIDE_LIMIT_BYTES)} kept with a run`,
  };
}

import { z } from 'zod';
import { OPTIMIZER_NAMES } from './optimizers';
import { ACTIVATIONS, initSchema } from './params';

/*
 * What a hyper-parameter search can range over besides the book's lr and weight decay (issue #20): the
 * parameters of a trial's net that the MNIST experiments and the workbench set. Each is declared once
 * here (its label, its values); the search's `searchAlso` ranges name them, the engine applies a trial's
 * values to its net (engine/experiments/search-trial.ts), the series' keys and the summary carry them as
 * typed fields. The mini-batch size is not among them: the trials of a search share their batches.
 */

const numeric = (label: string, value: z.ZodNumber, integer: boolean) => ({ label, value, integer, numeric: true });
const choice = <T extends z.ZodType>(label: string, value: T) => ({ label, value, integer: false, numeric: false });

export const SEARCHABLE = {
  hiddenSize: numeric('width of every hidden layer', z.int().min(1).max(2000), true),
  hiddenLayers: numeric('number of hidden layers', z.int().min(1).max(20), true),
  dropoutRatio: numeric('dropout ratio', z.number().min(0).max(0.95), false),
  optimizer: choice('optimizer', z.enum(OPTIMIZER_NAMES)),
  activation: choice('activation', z.enum(ACTIVATIONS)),
  init: choice('weight init', initSchema),
  batchNorm: choice('Batch Norm', z.boolean()),
} as const;

export type SearchableName = keyof typeof SEARCHABLE;
export const SEARCHABLE_NAMES = Object.keys(SEARCHABLE) as SearchableName[];
const NUMERIC_NAMES = SEARCHABLE_NAMES.filter((name) => SEARCHABLE[name].numeric) as [
  SearchableName,
  ...SearchableName[],
];

/** A trial's values of the parameters it searched besides lr and weight decay, in typed fields. */
export const searchedValuesSchema = z
  .object({
    hiddenSize: SEARCHABLE.hiddenSize.value.optional(),
    hiddenLayers: SEARCHABLE.hiddenLayers.value.optional(),
    dropoutRatio: SEARCHABLE.dropoutRatio.value.optional(),
    optimizer: SEARCHABLE.optimizer.value.optional(),
    activation: SEARCHABLE.activation.value.optional(),
    init: SEARCHABLE.init.value.optional(),
    batchNorm: SEARCHABLE.batchNorm.value.optional(),
  })
  .strict();
export type SearchedValues = z.output<typeof searchedValuesSchema>;

/** One more range of a search: a numeric parameter on a log or linear scale, or a list of choices. */
export const searchRangeSchema = z.discriminatedUnion('scale', [
  z
    .object({ param: z.enum(NUMERIC_NAMES), scale: z.literal('log'), min: z.number().gt(0), max: z.number().gt(0) })
    .strict(),
  z.object({ param: z.enum(NUMERIC_NAMES), scale: z.literal('linear'), min: z.number(), max: z.number() }).strict(),
  z
    .object({
      param: z.enum(SEARCHABLE_NAMES as [SearchableName, ...SearchableName[]]),
      scale: z.literal('choice'),
      choices: z
        .array(z.union([z.number(), z.string(), z.boolean()]))
        .min(1)
        .max(20),
    })
    .strict(),
]);
export type SearchRange = z.output<typeof searchRangeSchema>;

/** Why a list of ranges cannot be searched (each message with the index of its range), or none. */
export function searchRangeProblems(ranges: readonly SearchRange[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const seen = new Set<SearchableName>();
  ranges.forEach((range, index) => {
    const { label, value } = SEARCHABLE[range.param];
    if (seen.has(range.param)) problems.push({ index, message: `${range.param} is searched twice` });
    seen.add(range.param);
    const values = range.scale === 'choice' ? range.choices : [range.min, range.max];
    for (const v of values)
      if (!value.safeParse(v).success)
        problems.push({ index, message: `${JSON.stringify(v)} is not a valid ${label}` });
    if (range.scale !== 'choice' && !(range.min < range.max))
      problems.push({ index, message: `${range.param}: min (${range.min}) must be below max (${range.max})` });
  });
  return problems;
}

/** The value of a range at unit position u in [0, 1] (log: uniform in the exponent; integers rounded). */
export function rangeValueAt(range: SearchRange, u: number): number | string | boolean {
  if (range.scale === 'choice')
    return range.choices[Math.min(range.choices.length - 1, Math.floor(u * range.choices.length))]!;
  const value =
    range.scale === 'linear'
      ? range.min + u * (range.max - range.min)
      : 10 ** (Math.log10(range.min) + u * (Math.log10(range.max) - Math.log10(range.min)));
  return SEARCHABLE[range.param].integer ? Math.round(value) : value;
}

/** A trial's values of `ranges` at the unit positions `units` (one per range), checked. */
export function searchedValuesAt(ranges: readonly SearchRange[], units: readonly number[]): SearchedValues {
  return searchedValuesSchema.parse(
    Object.fromEntries(ranges.map((range, i) => [range.param, rangeValueAt(range, units[i]!)])),
  );
}

/** The searched values a trial's series key holds (the same typed fields), or undefined when none. */
export function searchedValuesOf(key: Partial<Record<SearchableName, unknown>>): SearchedValues | undefined {
  const present = SEARCHABLE_NAMES.filter((name) => key[name] !== undefined);
  if (present.length === 0) return undefined;
  return searchedValuesSchema.parse(Object.fromEntries(present.map((name) => [name, key[name]])));
}

/**
 * A trial's hidden layers: the search's, with a searched width (every layer that wide) and number (the
 * search's widths, the last repeated when there are more layers).
 */
export function searchedHidden(hidden: readonly number[], { hiddenSize, hiddenLayers }: SearchedValues): number[] {
  const layers = Array.from(
    { length: hiddenLayers ?? hidden.length },
    (_, i) => hidden[Math.min(i, hidden.length - 1)]!,
  );
  return hiddenSize === undefined ? layers : layers.map(() => hiddenSize);
}

/**
 * The values of the heaviest trial the ranges allow, for the memory estimate and the room kept for
 * nets: the widest and deepest layers, Batch Norm and dropout when they may be on, Adam when it may be
 * chosen (the most optimizer state).
 */
export function heaviestValues(ranges: readonly SearchRange[]): SearchedValues {
  const largest = (range: SearchRange) =>
    range.scale === 'choice' ? Math.max(...range.choices.filter((c) => typeof c === 'number')) : range.max;
  const values: Record<string, unknown> = {};
  for (const range of ranges) {
    const choices = range.scale === 'choice' ? range.choices : [];
    if (range.param === 'batchNorm') values.batchNorm = choices.includes(true);
    else if (range.param === 'optimizer') values.optimizer = choices.includes('Adam') ? 'Adam' : choices.at(-1);
    else if (SEARCHABLE[range.param].numeric) values[range.param] = largest(range);
  }
  return searchedValuesSchema.parse(values);
}

/** `hidden size:50, optimizer:Adam` for a trial's book line; empty without searched values. */
export function searchedValuesText(values: SearchedValues | undefined): string {
  if (!values) return '';
  return SEARCHABLE_NAMES.filter((name) => values[name] !== undefined)
    .map((name) => `${SEARCHABLE[name].label}:${String(values[name])}`)
    .join(', ');
}

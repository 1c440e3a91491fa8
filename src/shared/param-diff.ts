/**
 * What sets runs apart: their parameters as flat, dotted paths (the names `lab run --set` takes:
 * `lr`, `hidden`, `optimizers.Adam.lr`), what differs from the book's defaults, what differs between
 * runs, and the command line that reproduces a run.
 */

/**
 * A parameter's value at one path: a number, string or boolean, or a list of them or of unnamed
 * objects (a search's ranges).
 */
export type FlatValue =
  number | string | boolean | null | readonly (number | string | boolean | null | Readonly<Record<string, unknown>>)[];

const isNamed = (item: unknown): item is { name: string } =>
  !!item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string';

/**
 * The leaves of a parameter set: a list of named items (the optimizers) becomes the list of names plus
 * one path per item field (`optimizers.Adam.lr`); other lists stay whole (`hidden`).
 */
export function flattenParams(params: Readonly<Record<string, unknown>>, prefix = ''): Map<string, FlatValue> {
  const out = new Map<string, FlatValue>();
  for (const [key, value] of Object.entries(params)) {
    const path = prefix + key;
    if (Array.isArray(value) && value.length > 0 && value.every(isNamed)) {
      out.set(
        path,
        value.map((item) => item.name),
      );
      for (const item of value) {
        const { name, ...fields } = item as Record<string, unknown> & { name: string };
        for (const [leaf, leafValue] of flattenParams(fields, `${path}.${name}.`)) out.set(leaf, leafValue);
      }
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [leaf, leafValue] of flattenParams(value as Record<string, unknown>, `${path}.`))
        out.set(leaf, leafValue);
    } else {
      out.set(path, value as FlatValue);
    }
  }
  return out;
}

const same = (a: FlatValue | undefined, b: FlatValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One parameter across several runs. */
export interface ParamRow {
  path: string;
  /** The value in each run, in order; undefined where a run has no such parameter. */
  values: (FlatValue | undefined)[];
  differs: boolean;
}

/** Every parameter path of the runs, in first-seen order, with whether the runs disagree on it. */
export function compareParams(runs: readonly Readonly<Record<string, unknown>>[]): ParamRow[] {
  const flat = runs.map((params) => flattenParams(params));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  return paths.map((path) => {
    const values = flat.map((f) => f.get(path));
    return { path, values, differs: values.some((v) => !same(v, values[0])) };
  });
}

/** Not settings of the book's to differ from: the seed, and recording inside the net (which changes no number). */
const UNCOMPARED = new Set(['seed', 'insideEvery']);

/** The parameters of a run that differ from the defaults (the book's), as [path, value] pairs. */
export function changedParams(
  params: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
): [string, FlatValue][] {
  const book = flattenParams(defaults);
  return [...flattenParams(params)].filter(([path, value]) => !UNCOMPARED.has(path) && !same(value, book.get(path)));
}

/** A value as a person reads it: 0.1, relu, 50, 50, and an object of a list as JSON. */
export function formatValue(value: FlatValue | undefined): string {
  if (value === undefined) return '–';
  if (value === null || typeof value !== 'object') return String(value);
  return value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
}

/** `lr 0.1, epochs 50`: the changes compactly, for tables and legends; '' when the run is the book's. */
export function describeChanges(changes: readonly [string, FlatValue][]): string {
  return changes.map(([path, value]) => `${path} ${formatValue(value)}`).join(', ');
}

/** A word as a POSIX shell reads it literally. */
function shellWord(text: string): string {
  return /^[\w.,:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that reproduces a run: `npm run lab -- run <id> --set key=<JSON> ... --seed N`, one
 * --set per top-level parameter that differs from the defaults (whole, as JSON, so it is exact).
 */
export function commandLineFor(
  experiment: string,
  params: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  seed: number,
): string {
  const sets = Object.entries(params)
    .filter(([key, value]) => key !== 'seed' && JSON.stringify(value) !== JSON.stringify(defaults[key]))
    .map(([key, value]) => `--set ${shellWord(`${key}=${JSON.stringify(value)}`)}`);
  return ['npm run lab -- run', shellWord(experiment), ...sets, `--seed ${seed}`].join(' ');
}

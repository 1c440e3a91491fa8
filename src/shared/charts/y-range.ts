/**
 * The y range of a line chart: the book's (Fig. 6-9 clips the loss at 1), extended so that no curve is
 * ever entirely out of sight, or, with the view's "fit y to data", the range of the data drawn. Only
 * finite values count: NaN and ±Infinity (a diverged run) neither move nor break the axis.
 */

export interface YRange {
  min: number;
  max: number;
}

/** The smallest and largest finite value, or null when there is none. */
export function finiteExtent(values: Iterable<number>): YRange | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/** Half the power of ten at or below `size` (2.3 -> 0.5, 0.25 -> 0.05): the step axis ends round to. */
const unitOf = (size: number): number => (size > 0 ? 10 ** Math.floor(Math.log10(size)) / 2 : 0.5);

/** A sum or product of axis units without float dust (0.30000000000000004 -> 0.3) or -0. */
const clean = (value: number): number => Number(value.toPrecision(12)) + 0;

/** `value` rounded up to a round number of its own size: 2.31 -> 2.5, 0.83 -> 0.85, 13 -> 15. */
export const niceCeil = (value: number, unit = unitOf(Math.abs(value))): number =>
  clean(Math.ceil(value / unit) * unit);

/** `value` rounded down likewise: 2.31 -> 2, -0.83 -> -0.85. */
export const niceFloor = (value: number, unit = unitOf(Math.abs(value))): number =>
  clean(Math.floor(value / unit) * unit);

/** The round-ended range around `extent`, rounded on the scale of its span (never empty). */
export function niceRange(extent: YRange): YRange {
  const unit = unitOf(extent.max - extent.min || Math.abs(extent.max));
  const min = niceFloor(extent.min, unit);
  const max = niceCeil(extent.max, unit);
  return max > min ? { min, max } : { min, max: clean(max + unit) };
}

/**
 * The y range to draw `curves` in: with `fit`, the data's own (round-ended); else the book's range,
 * widened to take in every curve that lies entirely outside it (a slow learner whose loss stays above
 * the book's top). Null when neither gives one: no book range and nothing finite to fit.
 */
export function yRangeFor(curves: readonly (readonly number[])[], book: YRange | null, fit: boolean): YRange | null {
  if (fit) {
    const extent = finiteExtent(curves.flat());
    return extent ? niceRange(extent) : book;
  }
  if (book === null) return null;
  const outside = curves
    .map((c) => finiteExtent(c))
    .filter((e): e is YRange => e !== null && (e.min > book.max || e.max < book.min));
  const extent = finiteExtent(outside.flatMap((e) => [e.min, e.max]));
  if (!extent) return book;
  return { min: Math.min(book.min, niceFloor(extent.min)), max: Math.max(book.max, niceCeil(extent.max)) };
}

type YAxisLike = { type?: unknown; min?: unknown; max?: unknown };

/** A numeric axis end, or null (auto, 'dataMax', a function). */
const numeric = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The y axis of charts laid on top of each other (a comparison): one that takes in every chart's own
 * range, so a run whose curves left the first run's range is still in sight. Ends that are not numbers
 * (the axis fits the data itself) stay as the first chart has them.
 */
export function unionYAxis(axes: readonly unknown[]): unknown {
  const [first, ...rest] = axes as YAxisLike[];
  if (!first || Array.isArray(first) || rest.length === 0) return first;
  /** Every chart's end, or null when one of them is not a number. */
  const ends = (key: 'min' | 'max'): number[] | null => {
    const values = axes.map((a) => numeric((a as YAxisLike | undefined)?.[key]));
    return values.every((v) => v !== null) ? values : null;
  };
  const mins = ends('min');
  const maxes = ends('max');
  return { ...first, ...(mins ? { min: Math.min(...mins) } : {}), ...(maxes ? { max: Math.max(...maxes) } : {}) };
}

import type { Series } from './runs';

/** The last finite value of a list (null when there is none). */
export function lastFinite(values: readonly number[]): number | null {
  for (let k = values.length - 1; k >= 0; k--) if (Number.isFinite(values[k])) return values[k]!;
  return null;
}

/**
 * The last value of a series (null before its first point). A NaN or infinite value (a record written
 * elsewhere; the engine stops a series before one) is passed over: the value before it is the last known.
 */
export const finalValue = (series: Series | undefined): number | null => lastFinite(series?.y ?? []);

import type { Series } from './runs';
import type { KeyResult } from './slots/slot';
import { smoothCurve } from './smooth';

/** Building blocks of the slots' key results. */

/** The last value of a series (null before its first point). */
export const finalValue = (series: Series | undefined): number | null => series?.y.at(-1) ?? null;

/** Each loss series' last point of the book's smoothed curve, labelled `<name> loss`. */
export function finalSmoothedLosses(series: readonly Series[]): KeyResult[] {
  return series
    .filter((s) => s.metric === 'loss')
    .map((s) => ({ label: `${s.name} loss`, value: smoothCurve(s.y).at(-1) ?? null }));
}

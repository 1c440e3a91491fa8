import { lastFinite } from './last-value';
import type { Series } from './runs';
import type { KeyResult } from './slots/slot';
import { smoothCurve } from './smooth';

/** Building blocks of the slots' key results. */

export { finalValue, lastFinite } from './last-value';

/** Each loss series' last point of the book's smoothed curve, labelled `<name> loss`. */
export function finalSmoothedLosses(series: readonly Series[]): KeyResult[] {
  return series
    .filter((s) => s.metric === 'loss')
    .map((s) => ({ label: `${s.name} loss`, value: lastFinite(smoothCurve(s.y)) }));
}

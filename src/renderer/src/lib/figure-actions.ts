import { searchRanges } from '../../../shared/charts';
import type { FieldSpec, FieldValue, FormValues, GroupValue } from './param-form';

/**
 * What the figures' interactions change in the form: a point picked on the optimizer paths' contour
 * becomes the start point, a region brushed on the search's scatter becomes the searched ranges.
 */

const START_X = /^start_?x$/i;
const START_Y = /^start_?y$/i;

/** The form updates that move the start point to (x, y): `startX`/`startY` numbers, or a group `start` {x, y}. */
export function startUpdates(fields: readonly FieldSpec[], values: FormValues, x: number, y: number): Record<string, FieldValue> {
  const fx = fields.find((f) => f.kind === 'number' && START_X.test(f.name));
  const fy = fields.find((f) => f.kind === 'number' && START_Y.test(f.name));
  if (fx && fy) return { [fx.name]: String(x), [fy.name]: String(y) };
  const group = fields.find((f) => f.kind === 'group' && /start/i.test(f.name) && f.members.some((m) => m.name === 'x'));
  if (group) return { [group.name]: { ...((values[group.name] as GroupValue | undefined) ?? {}), x: String(x), y: String(y) } };
  return {};
}

/** The search's parameters with its ranges set to a brushed region of (learning rate, weight decay). */
export function narrowedParams(
  params: Record<string, unknown> | null | undefined,
  region: { x: [number, number]; y: [number, number] },
): Record<string, unknown> | null {
  if (!params) return null;
  const round = (v: number) => Number(v.toPrecision(3));
  const next: Record<string, unknown> = { ...params };
  const set = (name: string, [lo, hi]: [number, number]) => {
    if (`${name}Min` in params && `${name}Max` in params) {
      next[`${name}Min`] = round(lo);
      next[`${name}Max`] = round(hi);
    } else if (Array.isArray(params[`${name}Range`])) next[`${name}Range`] = [round(lo), round(hi)];
    else if (Array.isArray(params[name])) next[name] = [round(lo), round(hi)];
    else return false;
    return true;
  };
  const ok = set('lr', region.x) && set('weightDecay', region.y);
  return ok && searchRanges(next).lr ? next : null;
}

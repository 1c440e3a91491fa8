import type { Series } from '../runs';
import { pointwiseRange } from './band';

/**
 * One quantity measured on several seeded repeats of a net (the workbench's seeds), summed up point by
 * point: the mean, and the lowest and highest repeat as a band, so that a figure shows how much of a
 * difference is noise. Point k averages the repeats that have a finite value there; a repeat that
 * diverged leaves the mean from its stop on, which `divergedAt` marks (the first repeat's stop).
 */
export interface SeedSpread {
  mean: Series;
  low: Series;
  high: Series;
  /** How many repeats were summed. */
  repeats: number;
}

/** The spread of `repeats` (same metric, x positions from 0 in the same steps), named `name`. */
export function seedSpread(repeats: readonly Series[], name: string): SeedSpread | null {
  const first = repeats[0];
  if (!first) return null;
  const longest = repeats.reduce((a, b) => (b.x.length > a.x.length ? b : a), first);
  const x = [...longest.x];
  const { mean, low, high } = pointwiseRange(
    repeats.map((s) => s.y),
    x.length,
  );
  const stops = repeats.flatMap((s) => (s.divergedAt === undefined ? [] : [s.divergedAt]));
  const divergedAt = stops.length > 0 ? Math.min(...stops) : undefined;
  const series = (suffix: string, y: number[]): Series => ({
    name: suffix === '' ? name : `${name} ${suffix}`,
    metric: first.metric,
    key: { ...first.key, replicate: undefined },
    x,
    y,
    ...(suffix === '' && divergedAt !== undefined ? { divergedAt } : {}),
  });
  return { mean: series('', mean), low: series('min', low), high: series('max', high), repeats: repeats.length };
}

/** Point by point `a - b` of two series at the same x positions (a net's train minus test accuracy). */
export function differenceSeries(a: Series, b: Series, name: string): Series {
  const n = Math.min(a.x.length, a.y.length, b.y.length);
  return {
    name,
    metric: a.metric,
    key: a.key,
    x: a.x.slice(0, n),
    y: Array.from({ length: n }, (_, k) => a.y[k]! - b.y[k]!),
    ...(a.divergedAt !== undefined || b.divergedAt !== undefined
      ? { divergedAt: Math.min(a.divergedAt ?? Infinity, b.divergedAt ?? Infinity) }
      : {}),
  };
}

/**
 * The space a search samples: each parameter's range and how trials spread over it. Samplers work
 * in unit coordinates (each dimension's position in [0, 1], of the exponent on a log scale), so one
 * sampler serves every range.
 */
export interface SearchDimension {
  name: string;
  min: number;
  max: number;
  /** 'log': uniform in log10 (the book's 10^U(log10 min, log10 max)); 'linear': uniform in the value. */
  scale: 'log' | 'linear';
}

/** A point of the space in unit coordinates, one per dimension, each in [0, 1]. */
export type UnitPoint = readonly number[];

/** The value at unit position u of a dimension (the book's expression on a log scale). */
export function valueAt({ min, max, scale }: SearchDimension, u: number): number {
  if (scale === 'linear') return min + u * (max - min);
  const [lo, hi] = [Math.log10(min), Math.log10(max)];
  return 10 ** (lo + u * (hi - lo));
}

/** Proposes trials and hears how they did: Optuna's ask and tell. */
export interface Sampler {
  /**
   * How many trials it proposes before it needs to hear back (Infinity: it never does). The search
   * trains that many side by side, then tells their results.
   */
  readonly roundSize: number;
  ask(): UnitPoint;
  /** A trial's result, higher is better; NaN for a trial that diverged (worse than any). */
  tell(point: UnitPoint, value: number): void;
}

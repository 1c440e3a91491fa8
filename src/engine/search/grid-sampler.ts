import type { Random } from '../random';
import type { Sampler, SearchDimension, UnitPoint } from './search-space';

/**
 * A grid of k values per dimension, both ends included and evenly spaced as the dimension samples
 * (in the exponent on a log scale), k the smallest with k^d >= trials: 100 trials over lr and weight
 * decay are a 10 x 10 grid. The grid's points are visited in a shuffled order, so that a search cut
 * short (or with fewer trials than points) still spreads over the whole range.
 */
export class GridSampler implements Sampler {
  readonly roundSize = Infinity;
  private readonly order: UnitPoint[];
  private next = 0;

  constructor(dimensions: readonly SearchDimension[], trials: number, random: Random) {
    const k = gridSide(trials, dimensions.length);
    const ticks = Array.from({ length: k }, (_, i) => (k === 1 ? 0.5 : i / (k - 1)));
    const points = dimensions.reduce<number[][]>(
      (partial) => partial.flatMap((point) => ticks.map((tick) => [...point, tick])),
      [[]],
    );
    this.order = Array.from(random.permutation(points.length), (i) => points[i]!);
  }

  ask(): UnitPoint {
    const point = this.order[this.next % this.order.length]!;
    this.next += 1;
    return point;
  }

  tell(): void {}
}

/** The fewest values per dimension whose grid has room for every trial. */
export function gridSide(trials: number, dimensions: number): number {
  let k = Math.max(1, Math.floor(trials ** (1 / dimensions)));
  while (k ** dimensions < trials) k += 1;
  return k;
}

import type { Random } from '../random';
import type { Sampler, SearchDimension, UnitPoint } from './search-space';

/** The book's search: every dimension uniform (in the exponent on a log scale), in dimension order. */
export class RandomSampler implements Sampler {
  readonly roundSize = Infinity;

  constructor(
    private readonly dimensions: readonly SearchDimension[],
    private readonly random: Random,
  ) {}

  ask(): UnitPoint {
    return this.dimensions.map(() => this.random.uniform());
  }

  tell(): void {}
}

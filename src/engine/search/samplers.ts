import type { SamplerName } from '../../shared/slots/hyperparameter-search';
import type { Random } from '../random';
import { GridSampler } from './grid-sampler';
import { RandomSampler } from './random-sampler';
import type { Sampler, SearchDimension } from './search-space';
import { TpeSampler } from './tpe-sampler';

/** The sampler a search names, over its dimensions, for its number of trials, drawing from `random`. */
export function createSampler(
  name: SamplerName,
  dimensions: readonly SearchDimension[],
  trials: number,
  random: Random,
): Sampler {
  switch (name) {
    case 'random':
      return new RandomSampler(dimensions, random);
    case 'grid':
      return new GridSampler(dimensions, trials, random);
    case 'tpe':
      return new TpeSampler(dimensions, random);
  }
}

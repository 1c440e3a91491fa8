import type { Activation, WeightInit } from '../../shared/params';

/**
 * The book's weight_init_std: a number is itself; 'he'/'relu' -> sqrt(2/fan_in); 'xavier'/'sigmoid' ->
 * sqrt(1/fan_in).
 */
export function initStd(init: WeightInit, fanIn: number): number {
  if (typeof init === 'number') return init;
  return init === 'he' ? Math.sqrt(2 / fanIn) : Math.sqrt(1 / fanIn);
}

/** The init a net gets when none is named, as in MultiLayerNet: He for ReLU, Xavier otherwise. */
export function defaultInitFor(activation: Activation): WeightInit {
  return activation === 'relu' ? 'he' : 'xavier';
}

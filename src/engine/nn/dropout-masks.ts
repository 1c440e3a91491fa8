import { Random } from '../random';
import { RandomStream } from '../random-streams';

/** Where a training pass gets its dropout masks: rows x units values, 1 for a kept unit, 0 for a dropped one. */
export type MaskSource = (rows: number, units: number) => Float32Array;

/**
 * The book's masks (keep where uniform > ratio), drawn in JS from a seeded stream so that a run's
 * masks depend only on the seed and the member, never on the backend or the thread. The Dropout layer
 * (dropout.ts) and the dropout figure (sampleDropoutMasks) both draw through it. No tfjs here: the
 * hosts' main processes call it too.
 */
export function randomMasks(ratio: number, random: Random): MaskSource {
  return (rows, units) => {
    const mask = new Float32Array(rows * units);
    for (let i = 0; i < mask.length; i++) mask[i] = random.uniform() > ratio ? 1 : 0;
    return mask;
  };
}

export interface DropoutMasksRequest {
  ratio: number;
  seed: number;
  /** Which training step's masks (0-based): every earlier step's are drawn first, as a net would. */
  step: number;
  /** The hidden layers' sizes, in order (a Dropout after each). */
  sizes: number[];
}

/**
 * Fig. 6-22: the masks net 0 of a run with `seed` would draw at training step `step` for one input
 * (a batch of one row), layer by layer: the same stream and draws as MultiLayerNetExtend's Dropout
 * layers. `true` marks a dropped neuron.
 */
export function sampleDropoutMasks({ ratio, seed, step, sizes }: DropoutMasksRequest): boolean[][] {
  const masks = randomMasks(ratio, new Random(seed, RandomStream.dropoutMasks(0)));
  let drawn: Float32Array[] = [];
  for (let k = 0; k <= step; k++) drawn = sizes.map((units) => masks(1, units));
  return drawn.map((mask) => Array.from(mask, (keep) => keep === 0));
}

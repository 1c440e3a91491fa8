/**
 * Every random stream of the lab's experiments, named in one place. A run's numbers come from
 * `new Random(seed, stream)` (random.ts): the run's seed and one of these streams, so that what one
 * part of a run draws never shifts what another draws, and a net's numbers depend only on the seed and
 * its index (never on which thread trains it or which nets train beside it). The numbers are part of
 * every saved run: changing one changes the series of every run with that seed.
 */
export const RandomStream = {
  /** The mini-batches every net of a run trains on, drawn once and shared (epoch-nets). */
  batches: 0,
  /** The initial weights of net `member` (0-based) of a run. */
  memberInit: (member: number): number => 1 + member,
  /** The dropout masks of net `member` (0-based) of a run. */
  dropoutMasks: (member: number): number => 1_000_000 + member,
  /** hyperparameter-search: the shuffle of the training images before the validation split. */
  validationSplit: 3_000_000,
  /** hyperparameter-search: every trial's learning rate and weight decay, drawn in trial order. */
  trialSampling: 3_000_001,
  /** workbench: the training images it takes when it takes a random N of them. */
  workbenchImages: 4_000_000,
  /** init-activations: the standard normal inputs. */
  activationInputs: 0,
  /** init-activations: the standard normal draws of every layer's W (scaled by each init's std). */
  activationWeights: 1,
} as const;

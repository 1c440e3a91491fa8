import { type ExperimentParams, defaultParams } from './experiments';
import { dropout } from './slots/dropout';
import { initMnist, initSeriesName } from './slots/init-mnist';
import { optimizersMnist } from './slots/optimizers-mnist';
import { weightDecay } from './slots/weight-decay';
import { type Recipe, type WorkbenchParams, recipe, workbenchParams } from './slots/workbench';

/*
 * The book's comparisons as workbench presets: Fig. 6-9, 6-15, 6-20/21 and 6-23 with any parameters of
 * their experiments become the workbench parameters that train the very same nets on the very same
 * batches (engine/experiments/workbench-presets.test.ts proves it number for number), so a learner can
 * extend one of them with a variant of their own.
 */

export const PRESET_EXPERIMENTS = [optimizersMnist.id, initMnist.id, weightDecay.id, dropout.id] as const;
export type PresetExperiment = (typeof PRESET_EXPERIMENTS)[number];

export const isPresetExperiment = (id: string): id is PresetExperiment =>
  (PRESET_EXPERIMENTS as readonly string[]).includes(id);

const schedule = (p: { lrSchedule: Recipe['lrSchedule']; lrEvery: number; lrFactor: number }) => ({
  lrSchedule: p.lrSchedule,
  lrEvery: p.lrEvery,
  lrFactor: p.lrFactor,
});

/** Fig. 6-9 and 6-15: every net on the same random batches of all training images, a loss per update. */
function iterationPreset(
  p: { iterations: number; batchSize: number; seed: number },
  variants: Recipe[],
  sameStartWeights: boolean,
): WorkbenchParams {
  return workbenchParams.parse({
    variants,
    trainSize: 60_000,
    trainImages: 'first',
    batchSize: p.batchSize,
    batchOrder: 'random',
    length: 'iterations',
    iterations: p.iterations,
    evaluation: 'none',
    seeds: 1,
    sameStartWeights,
    seed: p.seed,
  });
}

/** Fig. 6-20 to 6-23: the overfitting net on the first images without and with a regulariser, test accuracy. */
function overfittingPreset(
  p: { trainSize: number; epochs: number; batchSize: number; seed: number },
  variants: Recipe[],
  batchOrder: 'random' | 'shuffle',
): WorkbenchParams {
  return workbenchParams.parse({
    variants,
    trainSize: p.trainSize,
    trainImages: 'first',
    batchSize: p.batchSize,
    batchOrder,
    length: 'epochs',
    epochs: p.epochs,
    evaluation: 'test',
    seeds: 1,
    sameStartWeights: false,
    seed: p.seed,
  });
}

/** Per preset experiment, the workbench parameters that repeat its run with `params`. */
const PRESETS: { [Id in PresetExperiment]: (params: ExperimentParams<Id>) => WorkbenchParams } = {
  [optimizersMnist.id]: (p) =>
    iterationPreset(
      p,
      p.optimizers.map((optimizer) =>
        recipe({
          ...schedule(p),
          name: optimizer.name,
          hidden: p.hidden,
          activation: p.activation,
          init: p.init,
          lambda: p.lambda,
          optimizer,
        }),
      ),
      p.sameStartWeights,
    ),
  [initMnist.id]: (p) =>
    iterationPreset(
      p,
      p.inits.map((init) =>
        recipe({
          ...schedule(p),
          name: initSeriesName(init),
          hidden: p.hidden,
          activation: p.activation,
          init,
          optimizer: { name: 'SGD', lr: p.lr },
        }),
      ),
      false,
    ),
  [weightDecay.id]: (p) =>
    overfittingPreset(
      p,
      (p.lambda === 0 ? [0] : [0, p.lambda]).map((lambda) =>
        recipe({
          ...schedule(p),
          name: `λ=${lambda}`,
          hidden: p.hidden,
          init: p.init,
          lambda,
          optimizer: { name: 'SGD', lr: p.lr },
        }),
      ),
      'random',
    ),
  [dropout.id]: (p) =>
    overfittingPreset(
      p,
      (p.dropoutRatio === 0 ? [0] : [0, p.dropoutRatio]).map((dropoutRatio) =>
        recipe({
          ...schedule(p),
          name: dropoutRatio === 0 ? 'no dropout' : `dropout ${dropoutRatio}`,
          hidden: p.hidden,
          dropoutRatio,
          optimizer: { name: 'SGD', lr: p.lr },
        }),
      ),
      'shuffle',
    ),
};

/** The workbench parameters that repeat a run of `id` with `params`. */
export const workbenchPreset = <Id extends PresetExperiment>(id: Id, params: ExperimentParams<Id>): WorkbenchParams =>
  (PRESETS[id] as (params: ExperimentParams<Id>) => WorkbenchParams)(params);

/** The preset of an experiment at the book's defaults (the workbench's preset buttons). */
export const bookPreset = (id: PresetExperiment): WorkbenchParams => workbenchPreset(id, defaultParams(id));

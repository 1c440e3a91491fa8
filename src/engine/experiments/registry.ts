import type { ExperimentId } from '../../shared/experiments';
import { batchNorm } from './batch-norm';
import type { ExperimentModule } from './context';
import { dropout } from './dropout';
import { hyperparameterSearch } from './hyperparameter-search';
import { initActivations } from './init-activations';
import { initMnist } from './init-mnist';
import { optimizerPaths } from './optimizer-paths';
import { optimizersMnist } from './optimizers-mnist';
import { weightDecay } from './weight-decay';

/** Each experiment id and the engine module that runs it. */
export const EXPERIMENT_MODULES: { [Id in ExperimentId]: ExperimentModule<Id> } = {
  'optimizer-paths': optimizerPaths,
  'optimizers-mnist': optimizersMnist,
  'init-activations': initActivations,
  'init-mnist': initMnist,
  'batch-norm': batchNorm,
  'weight-decay': weightDecay,
  dropout,
  'hyperparameter-search': hyperparameterSearch,
};

import type { ExperimentId, ExperimentParams } from '../../shared/experiments';
import { batchNorm } from './batch-norm';
import type { ExperimentContext, ExperimentResult } from './context';
import { dropout } from './dropout';
import { hyperparameterSearch } from './hyperparameter-search';
import { initActivations } from './init-activations';
import { initMnist } from './init-mnist';
import { optimizerPaths } from './optimizer-paths';
import { optimizersMnist } from './optimizers-mnist';
import { weightDecay } from './weight-decay';

/** An experiment's engine module: how to run it and how many steps its progress bar counts. */
export interface ExperimentModule<Id extends ExperimentId> {
  run(params: ExperimentParams<Id>, context: ExperimentContext): Promise<ExperimentResult>;
  totalSteps(params: ExperimentParams<Id>): number;
}

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

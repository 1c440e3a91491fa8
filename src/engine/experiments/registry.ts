import type { ExperimentId, ExperimentParams } from '../../shared/experiments';
import type { ExperimentContext, ExperimentResult } from './context';
import { optimizersMnist } from './optimizers-mnist';

/** An experiment's engine module: how to run it and how many steps its progress bar counts. */
export interface ExperimentModule<Id extends ExperimentId> {
  run(params: ExperimentParams<Id>, context: ExperimentContext): Promise<ExperimentResult>;
  totalSteps(params: ExperimentParams<Id>): number;
}

/** Each experiment id and the engine module that runs it. */
export const EXPERIMENT_MODULES: { [Id in ExperimentId]: ExperimentModule<Id> } = {
  'optimizers-mnist': optimizersMnist,
};

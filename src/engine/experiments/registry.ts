import type { ExperimentId, ExperimentParams } from '../../shared/experiments';
import type { ExperimentContext, ExperimentResult } from './context';
import { runOptimizersMnist } from './optimizers-mnist';

type Runner<Id extends ExperimentId> = (params: ExperimentParams<Id>, context: ExperimentContext) => Promise<ExperimentResult>;

/** Each experiment id and the engine module that runs it. */
export const EXPERIMENT_RUNNERS: { [Id in ExperimentId]: Runner<Id> } = {
  'optimizers-mnist': runOptimizersMnist,
};

/** How many steps the progress bar counts for a run. */
export function totalSteps<Id extends ExperimentId>(id: Id, params: ExperimentParams<Id>): number {
  switch (id) {
    case 'optimizers-mnist':
      return params.iterations;
  }
  return 1;
}

import type { ExperimentId, ExperimentParams } from '../../shared/experiments';
import { batchNorm as batchNormSlot } from '../../shared/slots/batch-norm';
import { dropout as dropoutSlot } from '../../shared/slots/dropout';
import { hyperparameterSearch as hyperparameterSearchSlot } from '../../shared/slots/hyperparameter-search';
import { initActivations as initActivationsSlot } from '../../shared/slots/init-activations';
import { initMnist as initMnistSlot } from '../../shared/slots/init-mnist';
import { optimizerPaths as optimizerPathsSlot } from '../../shared/slots/optimizer-paths';
import { optimizersMnist as optimizersMnistSlot } from '../../shared/slots/optimizers-mnist';
import { weightDecay as weightDecaySlot } from '../../shared/slots/weight-decay';
import { workbench as workbenchSlot } from '../../shared/slots/workbench';
import { batchNorm } from './batch-norm';
import type { ExperimentModule } from './context';
import { dropout } from './dropout';
import { hyperparameterSearch } from './hyperparameter-search';
import { initActivations } from './init-activations';
import { initMnist } from './init-mnist';
import { optimizerPaths } from './optimizer-paths';
import { optimizersMnist } from './optimizers-mnist';
import { weightDecay } from './weight-decay';
import { workbench } from './workbench';

/**
 * The engine module of every experiment, under its slot's id: a mapped type over the ids, so an
 * experiment without a module (or a module whose parameters are not its slot's) does not compile.
 */
export const EXPERIMENT_MODULES: { [Id in ExperimentId]: ExperimentModule<ExperimentParams<Id>> } = {
  [optimizerPathsSlot.id]: optimizerPaths,
  [optimizersMnistSlot.id]: optimizersMnist,
  [initActivationsSlot.id]: initActivations,
  [initMnistSlot.id]: initMnist,
  [batchNormSlot.id]: batchNorm,
  [weightDecaySlot.id]: weightDecay,
  [dropoutSlot.id]: dropout,
  [hyperparameterSearchSlot.id]: hyperparameterSearch,
  [workbenchSlot.id]: workbench,
};

import { type InitMnistParams, initSeriesName } from '../../shared/experiment-defs/init-mnist';
import type { ExperimentContext, ExperimentResult } from './context';
import { runNamedLossNets } from './named-loss-nets';
import type { ExperimentModule } from './registry';

/** One net per weight init, all trained with SGD; each loss series is named after its init (std=0.01, Xavier, He). */
function run(params: InitMnistParams, context: ExperimentContext): Promise<ExperimentResult> {
  return runNamedLossNets(context, params.inits.map(initSeriesName), {
    iterations: params.iterations,
    batchSize: params.batchSize,
    seed: params.seed,
    members: params.inits.map((init) => ({
      hidden: params.hidden,
      activation: params.activation,
      init,
      lambda: 0,
      optimizer: { name: 'SGD', lr: params.lr },
    })),
  });
}

export const initMnist: ExperimentModule<'init-mnist'> = {
  run,
  totalSteps: (params) => params.iterations,
};

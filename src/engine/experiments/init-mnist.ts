// Reproduces the book's ch06/weight_init_compare.py (§6.2.4, Fig. 6-15): std 0.01, Xavier and He on MNIST.
import { type InitMnistParams, initLossSeries } from '../../shared/slots/init-mnist';
import { scheduleOf } from '../../shared/lr-schedule';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';
import { runNamedLossNets } from './named-loss-nets';

/** One net per weight init, all trained with SGD; each loss series is named after its init (std=0.01, Xavier, He). */
function run(params: InitMnistParams, context: ExperimentContext): Promise<ExperimentResult> {
  return runNamedLossNets(context, params.inits.map(initLossSeries), {
    iterations: params.iterations,
    batchSize: params.batchSize,
    seed: params.seed,
    members: params.inits.map((init) => ({
      hidden: params.hidden,
      activation: params.activation,
      init,
      lambda: 0,
      optimizer: { name: 'SGD', lr: params.lr },
      schedule: scheduleOf(params),
    })),
  });
}

export const initMnist: ExperimentModule<InitMnistParams> = {
  run,
  totalSteps: (params) => params.iterations,
};

import type { OptimizersMnistParams } from '../../shared/experiments';
import type { ExperimentContext, ExperimentResult } from './context';
import { runNamedLossNets } from './named-loss-nets';
import type { ExperimentModule } from './registry';

/** One net per optimizer, same architecture and init, one loss series named after the optimizer. */
function run(params: OptimizersMnistParams, context: ExperimentContext): Promise<ExperimentResult> {
  return runNamedLossNets(
    context,
    params.optimizers.map((o) => o.name),
    {
      iterations: params.iterations,
      batchSize: params.batchSize,
      seed: params.seed,
      members: params.optimizers.map((optimizer) => ({
        hidden: params.hidden,
        activation: params.activation,
        init: params.init,
        lambda: params.lambda,
        optimizer,
      })),
    },
  );
}

export const optimizersMnist: ExperimentModule<'optimizers-mnist'> = {
  run,
  totalSteps: (params) => params.iterations,
};

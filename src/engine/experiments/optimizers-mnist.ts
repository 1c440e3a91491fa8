// Reproduces the book's ch06/optimizer_compare_mnist.py (§6.1.8, Fig. 6-9): one MultiLayerNet per optimizer on MNIST.
import { type OptimizersMnistParams, optimizerLossSeries } from '../../shared/slots/optimizers-mnist';
import { scheduleOf } from '../../shared/lr-schedule';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';
import { runNamedLossNets } from './named-loss-nets';

/**
 * One net per optimizer, same architecture and init, one loss series named after the optimizer. Each net
 * draws its own starting weights, as the book's script does, unless `sameStartWeights` gives every net
 * the first one's.
 */
function run(params: OptimizersMnistParams, context: ExperimentContext): Promise<ExperimentResult> {
  return runNamedLossNets(
    context,
    params.optimizers.map((o) => optimizerLossSeries(o.name)),
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
        schedule: scheduleOf(params),
        ...(params.sameStartWeights ? { weightsFrom: 0 } : {}),
      })),
    },
  );
}

export const optimizersMnist: ExperimentModule<OptimizersMnistParams> = {
  run,
  totalSteps: (params) => params.iterations,
};

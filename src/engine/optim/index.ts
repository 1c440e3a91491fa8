import type { OptimizerSpec } from '../../shared/optimizers';
import { AdaGrad } from './adagrad';
import { Adam } from './adam';
import { Momentum } from './momentum';
import { Nesterov } from './nesterov';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

export { AdaGrad, Adam, Momentum, Nesterov, RMSprop, SGD, type Optimizer };

/** The optimizer a validated spec names, with its hyper-parameters. */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.name) {
    case 'SGD':
      return new SGD(spec.lr);
    case 'Momentum':
      return new Momentum(spec.lr, spec.momentum);
    case 'Nesterov':
      return new Nesterov(spec.lr, spec.momentum);
    case 'AdaGrad':
      return new AdaGrad(spec.lr);
    case 'RMSprop':
      return new RMSprop(spec.lr, spec.decayRate);
    case 'Adam':
      return new Adam(spec.lr, spec.beta1, spec.beta2);
  }
}

// The book's common/optimizer.py: each optimizer's class and everything else about it (defaults,
// formula, colour, labels) live in one descriptor per optimizer, src/shared/optimizers/<name>.ts.
export {
  AdaGrad,
  Adam,
  EPSILON,
  Momentum,
  Nesterov,
  type Optimizer,
  type ParamArrays,
  RMSprop,
  SGD,
  createOptimizer,
} from '../../shared/optimizers';

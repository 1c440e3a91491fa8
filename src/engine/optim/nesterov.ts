import { Optimizer, type ParamArrays } from './optimizer';

/** v = momentum * v - lr * g; p += momentum^2 * v - (1 + momentum) * lr * g (the book's form of NAG). */
export class Nesterov extends Optimizer {
  constructor(
    readonly lr = 0.01,
    readonly momentum = 0.9,
  ) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    const { lr, momentum: m } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const v = this.slot('v', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        v[i] = m * v[i]! - lr * g[i]!;
        p[i]! += m * m * v[i]! - (1 + m) * lr * g[i]!;
      }
    }
  }
}

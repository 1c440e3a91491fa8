import { Optimizer, type ParamArrays } from './optimizer';

/** v = momentum * v - lr * g; p += v */
export class Momentum extends Optimizer {
  constructor(
    readonly lr = 0.01,
    readonly momentum = 0.9,
  ) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    const { lr, momentum } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const v = this.slot('v', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        v[i] = momentum * v[i]! - lr * g[i]!;
        p[i]! += v[i]!;
      }
    }
  }
}

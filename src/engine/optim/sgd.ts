import { Optimizer, type ParamArrays } from './optimizer';

/** p -= lr * g */
export class SGD extends Optimizer {
  constructor(readonly lr = 0.01) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    const lr = this.lr;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      for (let i = 0, n = p.length; i < n; i++) p[i]! -= lr * g[i]!;
    }
  }
}
